import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { richDocFromText } from '../../shared/rich-text/rich-text.js';
import {
  createThread,
  deletePost,
  editPost,
  pinThread,
  postsMap,
  reply,
  threadsMap,
  toggleReaction,
} from '../../shared/threads/commands.js';
import { listThreads, readPost, readThread } from '../../shared/threads/queries.js';
import { ADA, GRACE, LIN, communityDoc } from './content-fixtures.js';
import { Network, attempt, seededRandom } from './convergence-network.js';

// Five peers, three members: peers 0 and 3 are Ada's laptop and phone, 1 and 4 are Grace's, so the
// same member toggles the same reaction on two devices at once.
const MEMBERS = [ADA, GRACE, LIN];
const EMOJI = ['👍', '🎉', '❤️'];

type Op =
  | { kind: 'start'; peer: number; words: string }
  | { kind: 'reply'; peer: number; thread: number; words: string; mention: number | null }
  | { kind: 'edit'; peer: number; post: number; words: string }
  | { kind: 'delete'; peer: number; post: number }
  | { kind: 'react'; peer: number; post: number; emoji: number }
  | { kind: 'pin'; peer: number; thread: number; pinned: boolean }
  | { kind: 'deliver'; from: number; to: number; pick: number }
  | { kind: 'sync'; from: number; to: number };

const peer = fc.nat(4);
const pick = fc.nat(50);
const words = fc.constantFrom('Shipped it', 'Nice!', 'Can we talk Tuesday?', 'Done', '+1');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('start' as const), peer, words }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('reply' as const), peer, thread: pick, words, mention: fc.option(fc.nat(2), { nil: null }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), peer, post: pick, words }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), peer, post: pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('react' as const), peer, post: pick, emoji: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pin' as const), peer, thread: pick, pinned: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peer, to: peer, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: peer, to: peer }) },
);

const sortedKeys = (map: Y.Map<unknown>) => [...map.keys()].sort();

function apply(network: Network, step: Op, made: { threads: number; posts: number }): void {
  if (step.kind === 'deliver') return network.deliver(step.from, step.to, step.pick);
  if (step.kind === 'sync') return network.deliverAll(step.from, step.to);
  const doc = network.peer(step.peer);
  const me = MEMBERS[step.peer % MEMBERS.length]!;
  const threads = sortedKeys(threadsMap(doc));
  const posts = sortedKeys(postsMap(doc));
  const mine = posts.filter((id) => (postsMap(doc).get(id) as Y.Map<unknown>).get('authorId') === me);
  switch (step.kind) {
    case 'start':
      createThread(doc, { title: step.words, body: richDocFromText(step.words), by: me });
      made.threads += 1;
      made.posts += 1;
      return;
    case 'reply': {
      const threadId = threads[step.thread % Math.max(1, threads.length)];
      if (!threadId) return;
      const mentioned = step.mention === null ? [] : [{ type: 'mention', attrs: { id: MEMBERS[step.mention], label: 'someone' } }];
      const body = { type: 'doc', content: [{ type: 'paragraph', content: [...mentioned, { type: 'text', text: ` ${step.words}` }] }] };
      attempt(() => {
        reply(doc, threadId, { body, by: me });
        made.posts += 1;
      });
      return;
    }
    case 'edit': {
      const postId = mine[step.post % Math.max(1, mine.length)];
      if (postId) attempt(() => editPost(doc, postId, richDocFromText(step.words), { by: me }));
      return;
    }
    case 'delete': {
      const postId = mine[step.post % Math.max(1, mine.length)];
      if (postId) attempt(() => deletePost(doc, postId, { by: me }));
      return;
    }
    case 'react': {
      const postId = posts[step.post % Math.max(1, posts.length)];
      if (postId) attempt(() => toggleReaction(doc, postId, EMOJI[step.emoji]!, { by: me }));
      return;
    }
    case 'pin': {
      const threadId = threads[step.thread % Math.max(1, threads.length)];
      if (threadId) attempt(() => pinThread(doc, threadId, step.pinned, { by: me }));
      return;
    }
  }
}

function stateOf(doc: Y.Doc) {
  const list = listThreads(doc);
  return { list, threads: list.threads.map((thread) => readThread(doc, thread.id)) };
}

describe('threads converge', () => {
  it('ends equal on every peer, replies attached to their threads, one reaction per member per emoji', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.array(op, { minLength: 5, maxLength: 50 }), fc.integer(), (count, steps, seed) => {
        // Every peer starts with one thread and a reply, so early reactions and edits collide.
        const origin = communityDoc();
        const { thread } = createThread(origin, { title: 'Welcome', body: richDocFromText('Say hi'), by: ADA });
        reply(origin, thread.id, { body: richDocFromText('Hi!'), by: GRACE });
        const network = new Network(origin, count);
        const made = { threads: 1, posts: 2 };
        for (const step of steps) {
          apply(network, step, made);
          // Half-delivered states read cleanly too: the only thing a peer may be missing is a thread
          // whose replies arrived first.
          for (const peerDoc of network.peers) {
            const problems = listThreads(peerDoc).problems.filter((problem) => problem.message !== 'the thread it belongs to is missing');
            expect(problems).toEqual([]);
          }
        }
        network.syncAll(seededRandom(seed));

        const states = network.peers.map(stateOf);
        for (const state of states) expect(state).toEqual(states[0]);
        const doc = network.peers[0]!;
        for (const peerDoc of network.peers) {
          expect(threadsMap(peerDoc).toJSON()).toEqual(threadsMap(doc).toJSON());
          expect(postsMap(peerDoc).toJSON()).toEqual(postsMap(doc).toJSON());
        }

        const { list, threads } = states[0]!;
        expect(list.problems).toEqual([]);
        // Nothing lost or duplicated, and every post shows in its own thread.
        expect(threadsMap(doc).size).toBe(made.threads);
        expect(postsMap(doc).size).toBe(made.posts);
        expect(list.threads).toHaveLength(made.threads);
        const shown = threads.flatMap((view) => view!.posts.map((post) => ({ post, threadId: view!.thread.id })));
        expect(shown).toHaveLength(made.posts);
        for (const { post, threadId } of shown) expect(post.threadId).toBe(threadId);
        for (const view of threads) expect(view!.posts[0]!.id).toBe(view!.thread.firstPostId);
        for (const { post } of shown) {
          const emoji = post.reactions.map((reaction) => reaction.emoji);
          expect(new Set(emoji).size).toBe(emoji.length);
          for (const reaction of post.reactions) {
            expect(new Set(reaction.memberIds).size).toBe(reaction.memberIds.length);
            expect(reaction.memberIds.length).toBeGreaterThan(0);
          }
          if (post.deletedAt !== null) expect(post).toMatchObject({ body: null, reactions: [], mentions: [] });
          expect(readPost(postsMap(doc).get(post.id), post.id).ok).toBe(true);
        }
        // Pinned threads come first.
        const pinned = list.threads.map((item) => item.pinned);
        expect(pinned).toEqual([...pinned].sort((a, b) => Number(b) - Number(a)));
        network.destroy();
      }),
      { numRuns: 150 },
    );
    // Generous: 150 shuffled runs take ~7 s alone and several times that on a busy 2-core machine.
  }, 120_000);
});
