import { describe, expect, it } from 'vitest';
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
import { listThreads, postsForSearch, readThread } from '../../shared/threads/queries.js';
import { POST_LIMITS, REACTIONS_KEY, newPostMap, newThreadMap } from '../../shared/threads/schema.js';
import { markAllSeen, parseReadMark, unreadCount, unreadPostIds } from '../../shared/threads/unread.js';
import { ADA, GRACE, LIN, T0, communityDoc, doc, originsOf, paragraph, text } from './content-fixtures.js';
import { CommandError, LOCAL_ORIGIN } from '../../shared/doc/records.js';

const body = (value: string) => richDocFromText(value);
const mention = (id: string, label: string) => ({ type: 'mention', attrs: { id, label } });

function startThread(community: Y.Doc, title = 'Weekly wins', now = T0) {
  return createThread(community, { title, body: body('What did you ship?'), by: ADA, now });
}

describe('threads: commands', () => {
  it('starts a thread with its first post in one local transaction', () => {
    const community = communityDoc();
    let started: ReturnType<typeof startThread> | undefined;
    expect(originsOf(community, () => (started = startThread(community)))).toEqual([LOCAL_ORIGIN]);
    const { thread, post } = started!;
    expect(thread).toEqual({
      v: 1,
      id: thread.id,
      title: 'Weekly wins',
      createdAt: T0,
      createdBy: ADA,
      firstPostId: post.id,
      pinnedAt: null,
      pinnedBy: null,
    });
    expect(post).toMatchObject({
      threadId: thread.id,
      authorId: ADA,
      createdAt: T0,
      editedAt: null,
      deletedAt: null,
      body: body('What did you ship?'),
      reactions: [],
    });
    expect(listThreads(community)).toEqual({
      threads: [
        {
          ...thread,
          pinned: false,
          excerpt: 'What did you ship?',
          replyCount: 0,
          lastActivityAt: T0,
          lastPostBy: ADA,
          participantIds: [ADA],
          posts: [{ id: post.id, authorId: ADA, createdAt: T0, deleted: false }],
        },
      ],
      problems: [],
    });
  });

  it('refuses bad input with a clear message and leaves the document untouched', () => {
    const community = communityDoc();
    expect(() => createThread(community, { title: ' ', body: body('hi'), by: ADA })).toThrow(/Give the thread a title/);
    expect(() => createThread(community, { title: 'Empty', body: body('   '), by: ADA })).toThrow(/Write something first/);
    expect(() => createThread(community, { title: 'Not rich text', body: '<p>hi</p>', by: ADA })).toThrow(/not a rich-text document/);
    expect(() => createThread(community, { title: 'Nobody', body: body('hi'), by: 'NOPE' })).toThrow(CommandError);
    expect(() => reply(community, 'nosuchthread0000', { body: body('hi'), by: ADA })).toThrow(/thread is gone/);
    expect(threadsMap(community).size + postsMap(community).size).toBe(0);
  });

  it('refuses a 1 MB post with its size and the limit', () => {
    const community = communityDoc();
    const huge = doc(paragraph(text('x'.repeat(1_048_576))));
    expect(() => createThread(community, { title: 'Huge', body: huge, by: ADA })).toThrow(
      'This post is 1,048,576 characters long; posts hold up to 20,000. Shorten it, split it, or put the long part in a note.',
    );
    const { thread } = startThread(community);
    expect(() => reply(community, thread.id, { body: huge, by: GRACE })).toThrow(/1,048,576 characters/);
    expect(reply(community, thread.id, { body: doc(paragraph(text('y'.repeat(POST_LIMITS.maxTextChars)))), by: GRACE }).body).toBeTruthy();
  });

  it('replies in order, and sorts threads by last activity', () => {
    const community = communityDoc();
    const older = startThread(community, 'Older', T0);
    const newer = startThread(community, 'Newer', T0 + 10);
    expect(listThreads(community).threads.map((thread) => thread.title)).toEqual(['Newer', 'Older']);
    const first = reply(community, older.thread.id, { body: body('Shipped billing'), by: GRACE, now: T0 + 20 });
    const second = reply(community, older.thread.id, { body: body('Nice!'), by: LIN, now: T0 + 30 });
    expect(originsOf(community, () => reply(community, newer.thread.id, { body: body('Early'), by: LIN, now: T0 + 25 }))).toEqual([
      LOCAL_ORIGIN,
    ]);
    const list = listThreads(community).threads;
    expect(list.map((thread) => [thread.title, thread.replyCount, thread.lastActivityAt, thread.lastPostBy])).toEqual([
      ['Older', 2, T0 + 30, LIN],
      ['Newer', 1, T0 + 25, LIN],
    ]);
    expect(list[0]!.participantIds).toEqual([ADA, GRACE, LIN]);
    expect(readThread(community, older.thread.id)?.posts.map((post) => post.id)).toEqual([older.post.id, first.id, second.id]);
  });

  it('keeps the first post first even when a reply carries an earlier clock', () => {
    const community = communityDoc();
    const { thread, post } = startThread(community, 'Skewed', T0);
    const early = reply(community, thread.id, { body: body('My clock is slow'), by: GRACE, now: T0 - 60_000 });
    expect(readThread(community, thread.id)?.posts.map((item) => item.id)).toEqual([post.id, early.id]);
  });

  it('edits one’s own post, updating mentions, and refuses others’ posts', () => {
    const community = communityDoc();
    const { thread } = startThread(community);
    const post = reply(community, thread.id, { body: body('First try'), by: GRACE, now: T0 + 1 });
    const edited = doc(paragraph(text('Thanks '), mention(ADA, 'Ada'), text(' and '), mention(LIN, 'Lin'), text('!')));
    expect(originsOf(community, () => editPost(community, post.id, edited, { by: GRACE, now: T0 + 5 }))).toEqual([LOCAL_ORIGIN]);
    const after = readThread(community, thread.id)!.posts[1]!;
    expect(after).toMatchObject({ editedAt: T0 + 5, mentions: [ADA, LIN] });
    expect(after.body).toEqual(edited);
    expect(() => editPost(community, post.id, body('Hijacked'), { by: LIN })).toThrow(/Only the person who wrote a post/);
    expect(() => deletePost(community, post.id, { by: ADA })).toThrow(/Only the person who wrote a post/);
    expect(() => editPost(community, post.id, body(''), { by: GRACE })).toThrow(/Write something first/);
    expect(() => editPost(community, 'nosuchpost000000', body('x'), { by: GRACE })).toThrow(/post is gone/);
  });

  it('stores the members a post mentions', () => {
    const community = communityDoc();
    const { post } = createThread(community, {
      title: 'Hello',
      body: doc(paragraph(mention(GRACE, 'Grace'), text(' welcome! cc '), mention(GRACE, 'Grace'))),
      by: ADA,
    });
    expect(post.mentions).toEqual([GRACE]);
    expect(postsMap(community).get(post.id)).toBeInstanceOf(Y.Map);
    expect((postsMap(community).get(post.id) as Y.Map<unknown>).get('mentions')).toEqual([GRACE]);
  });

  it('deletes one’s own post, leaving a marker without its words or reactions', () => {
    const community = communityDoc();
    const { thread } = startThread(community);
    const post = reply(community, thread.id, { body: body('Oops, wrong thread'), by: GRACE, now: T0 + 1 });
    toggleReaction(community, post.id, '👀', { by: ADA });
    expect(originsOf(community, () => deletePost(community, post.id, { by: GRACE, now: T0 + 2 }))).toEqual([LOCAL_ORIGIN]);
    const marker = readThread(community, thread.id)!.posts[1]!;
    expect(marker).toMatchObject({ id: post.id, authorId: GRACE, deletedAt: T0 + 2, body: null, reactions: [], mentions: [] });
    expect(JSON.stringify(postsMap(community).toJSON())).not.toContain('wrong thread');
    expect(listThreads(community).threads[0]!.replyCount).toBe(0);
    expect(deletePost(community, post.id, { by: GRACE }).deletedAt).toBe(T0 + 2);
    expect(() => editPost(community, post.id, body('Back'), { by: GRACE })).toThrow(/deleted post cannot be edited/);
    expect(() => toggleReaction(community, post.id, '👍', { by: ADA })).toThrow(/deleted post/);
  });

  it('toggles one reaction per member per emoji', () => {
    const community = communityDoc();
    const { post } = startThread(community);
    expect(originsOf(community, () => expect(toggleReaction(community, post.id, '👍', { by: GRACE, now: T0 + 1 })).toBe(true))).toEqual([
      LOCAL_ORIGIN,
    ]);
    expect(toggleReaction(community, post.id, '🎉', { by: LIN, now: T0 + 2 })).toBe(true);
    expect(toggleReaction(community, post.id, '👍', { by: LIN, now: T0 + 3 })).toBe(true);
    expect(readThread(community, post.threadId)!.posts[0]!.reactions).toEqual([
      { emoji: '👍', memberIds: [GRACE, LIN] },
      { emoji: '🎉', memberIds: [LIN] },
    ]);
    expect(toggleReaction(community, post.id, '👍', { by: GRACE })).toBe(false);
    expect(readThread(community, post.threadId)!.posts[0]!.reactions).toEqual([
      { emoji: '🎉', memberIds: [LIN] },
      { emoji: '👍', memberIds: [LIN] },
    ]);
    for (const emoji of ['👩🏽‍💻', '🇳🇱', '❤️', '1️⃣']) expect(toggleReaction(community, post.id, emoji, { by: ADA })).toBe(true);
    for (const bad of ['', 'lol', '👍 👍', '<img>', '👍'.repeat(9)])
      expect(() => toggleReaction(community, post.id, bad, { by: ADA })).toThrow(/single emoji/);
    expect(() => toggleReaction(community, 'nosuchpost000000', '👍', { by: ADA })).toThrow(/post is gone/);
  });

  it('pins a thread above the rest, and unpins it', () => {
    const community = communityDoc();
    const rules = startThread(community, 'House rules', T0);
    startThread(community, 'Busy thread', T0 + 100);
    expect(originsOf(community, () => pinThread(community, rules.thread.id, true, { by: GRACE, now: T0 + 200 }))).toEqual([LOCAL_ORIGIN]);
    expect(listThreads(community).threads.map((thread) => [thread.title, thread.pinned])).toEqual([
      ['House rules', true],
      ['Busy thread', false],
    ]);
    expect(listThreads(community).threads[0]).toMatchObject({ pinnedAt: T0 + 200, pinnedBy: GRACE });
    pinThread(community, rules.thread.id, false, { by: ADA });
    expect(listThreads(community).threads.map((thread) => thread.title)).toEqual(['Busy thread', 'House rules']);
    expect(() => pinThread(community, 'nosuchthread0000', true, { by: ADA })).toThrow(/thread is gone/);
  });

  it('turns links it would never open into plain text', () => {
    const community = communityDoc();
    const hostile = doc(
      paragraph(
        { type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
        { type: 'text', text: ' safe', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }, { type: 'bold' }] },
      ),
    );
    const { post } = createThread(community, { title: 'Links', body: hostile, by: ADA });
    expect(post.body).toEqual(
      doc(
        paragraph(text('click'), {
          type: 'text',
          text: ' safe',
          marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'https://example.org/' } }],
        }),
      ),
    );
  });
});

describe('threads: reading what peers wrote', () => {
  it('skips and reports threads and posts of an unknown shape, and posts whose thread is missing', () => {
    const community = communityDoc();
    const { thread, post } = startThread(community);
    const threads = threadsMap(community);
    const posts = postsMap(community);
    threads.set('plainthread00001', { title: 'not a map' });
    threads.set(
      'newerthread00001',
      newThreadMap({
        v: 7,
        id: 'newerthread00001',
        title: 'From the future',
        createdAt: T0,
        createdBy: ADA,
        firstPostId: 'x0000000',
        pinnedAt: null,
        pinnedBy: null,
      }),
    );
    const base = { v: 1, threadId: thread.id, authorId: GRACE, createdAt: T0 + 1, editedAt: null, deletedAt: null, mentions: [] };
    posts.set('orphanpost000001', newPostMap({ ...base, id: 'orphanpost000001', threadId: 'nosuchthread0000', body: body('lost') }));
    posts.set('badbody000000001', newPostMap({ ...base, id: 'badbody000000001', body: '<script>alert(1)</script>' }));
    posts.set('hugebody00000001', newPostMap({ ...base, id: 'hugebody00000001', body: doc(paragraph(text('z'.repeat(1_048_576)))) }));
    const noReactions = new Y.Map<unknown>();
    noReactions.set('id', 'noreactions00001');
    posts.set('noreactions00001', noReactions);
    posts.set(
      'mixed00000000001',
      newPostMap({
        ...base,
        id: 'mixed00000000001',
        body: doc(paragraph(text('kept')), { type: 'iframe', attrs: { src: 'https://evil.example' } }),
      }),
    );
    const reactions = (posts.get(post.id) as Y.Map<Y.Map<unknown>>).get(REACTIONS_KEY)!;
    reactions.set('garbage', 1);
    reactions.set(`${LIN} 👍`, 'yesterday');
    reactions.set(`${LIN} 🙏`, T0);

    const list = listThreads(community);
    expect(list.threads.map((item) => [item.title, item.replyCount])).toEqual([['Weekly wins', 1]]);
    expect(list.problems.map((problem) => problem.where).sort()).toEqual(
      [
        'posts.badbody000000001',
        'posts.hugebody00000001',
        'posts.mixed00000000001.body',
        'posts.noreactions00001',
        'posts.orphanpost000001',
        `posts.${post.id}.reactions`,
        `posts.${post.id}.reactions`,
        'threads.newerthread00001',
        'threads.plainthread00001',
      ].sort(),
    );
    expect(list.problems.find((problem) => problem.where === 'posts.orphanpost000001')?.message).toBe(
      'the thread it belongs to is missing',
    );
    expect(list.problems.find((problem) => problem.where === 'posts.hugebody00000001')?.message).toMatch(
      /1,048,576 characters; the limit is 100,000/,
    );
    const view = readThread(community, thread.id)!;
    expect(view.posts.map((item) => item.id)).toEqual([post.id, 'mixed00000000001']);
    expect(view.posts[1]!.body).toEqual(doc(paragraph(text('kept'))));
    expect(view.posts[0]!.reactions).toEqual([{ emoji: '🙏', memberIds: [LIN] }]);
    expect(readThread(community, 'plainthread00001')).toBeNull();
  });

  it('keeps showing a thread and its posts while a peer’s changes are only half delivered', () => {
    const origin = communityDoc();
    const { thread, post } = startThread(origin);
    const [writer, reader] = [new Y.Doc(), new Y.Doc()];
    for (const peer of [writer, reader]) Y.applyUpdate(peer, Y.encodeStateAsUpdate(origin));
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    startThread(writer, 'Another', T0 + 1);
    pinThread(writer, thread.id, true, { by: GRACE, now: T0 + 2 });
    editPost(writer, post.id, body('Edited'), { by: ADA, now: T0 + 3 });
    // The pin and the edit arrive before the change they build on: their deletions apply at once.
    Y.applyUpdate(reader, updates[2]!);
    Y.applyUpdate(reader, updates[1]!);
    const list = listThreads(reader);
    expect(list.problems).toEqual([]);
    expect(list.threads.map((item) => [item.title, item.pinned])).toEqual([['Weekly wins', false]]);
    expect(readThread(reader, thread.id)?.posts).toHaveLength(1);
    Y.applyUpdate(reader, updates[0]!);
    expect(listThreads(reader).threads.map((item) => [item.title, item.pinned])).toEqual([
      ['Weekly wins', true],
      ['Another', false],
    ]);
    expect(readThread(reader, thread.id)?.posts[0]?.body).toEqual(body('Edited'));
  });

  it('gives search every post that was not deleted, with its thread’s title', () => {
    const community = communityDoc();
    const { thread, post } = startThread(community);
    const gone = reply(community, thread.id, { body: body('never mind'), by: GRACE, now: T0 + 1 });
    deletePost(community, gone.id, { by: GRACE });
    const kept = reply(community, thread.id, {
      body: doc(paragraph(text('Shipped '), text('search', 'bold'), text(' for '), mention(ADA, 'Ada'))),
      by: LIN,
      now: T0 + 2,
    });
    editPost(community, kept.id, doc(paragraph(text('Shipped search for '), mention(ADA, 'Ada'))), { by: LIN, now: T0 + 3 });
    expect(postsForSearch(community).items).toEqual([
      { id: post.id, threadId: thread.id, title: 'Weekly wins', text: 'What did you ship?', updatedAt: T0 },
      { id: kept.id, threadId: thread.id, title: 'Weekly wins', text: 'Shipped search for @Ada', updatedAt: T0 + 3 },
    ]);
  });
});

describe('threads: unread on this device', () => {
  it('counts others’ posts not yet seen, including ones written offline with an older clock', () => {
    const community = communityDoc();
    const { thread } = createThread(community, { title: 'Mine', body: body('Mine'), by: ADA, now: T0 });
    const graceReply = reply(community, thread.id, { body: body('Hi'), by: GRACE, now: T0 + 10 });
    const summary = () => listThreads(community).threads[0]!;
    expect(unreadCount(summary(), null, ADA)).toBe(1);
    expect(unreadCount(summary(), null, GRACE)).toBe(1);
    const mark = markAllSeen(summary().posts, T0 + 20);
    expect(unreadCount(summary(), mark, ADA)).toBe(0);
    const offline = reply(community, thread.id, { body: body('Written on the train'), by: LIN, now: T0 + 5 });
    const adaAgain = reply(community, thread.id, { body: body('Mine again'), by: ADA, now: T0 + 30 });
    expect(unreadPostIds(summary().posts, mark, ADA)).toEqual([offline.id]);
    deletePost(community, offline.id, { by: LIN });
    expect(unreadCount(summary(), mark, ADA)).toBe(0);
    expect(unreadPostIds(summary().posts, null, LIN)).toEqual([thread.firstPostId, graceReply.id, adaAgain.id]);
  });

  it.each([[null], ['x'], [{ seenPostIds: 'all', at: 1 }], [{ seenPostIds: [1], at: 1 }], [{ seenPostIds: [] }]])(
    'treats a damaged mark %j as no mark',
    (value) => {
      expect(parseReadMark(value)).toBeNull();
    },
  );

  it('reads back a good mark', () => {
    expect(parseReadMark({ seenPostIds: ['abcdefgh'], at: 5 })).toEqual({ seenPostIds: ['abcdefgh'], at: 5 });
  });
});
