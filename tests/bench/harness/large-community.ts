// The benchmarks' large community, generated deterministically from a seed through the real commands:
// 50 members, 10 notes each holding the whole B4 trace typed with its history, 10,000 posts in 500
// threads, 2,000 cards on 10 boards, 1,000 library resources. Generating it takes a while (ten B4
// replays, and addCard re-reads every card of the community), so its state is cached under
// node_modules/.cache/hearth-bench/, keyed by the seed, the shape, this file, the trace and the Yjs
// version. Changes to the content model do not invalidate it (records written by an older version stay
// readable, as from a peer running one); the generate measure checks the cached community still reads
// whole, and regenerates it if not, or when HEARTH_BENCH_REGENERATE=1.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { addCard, addChecklistItem, addComment, createBoard, setCardAssignee, setCardLabel } from '../../../shared/boards/commands.js';
import { boardColumns } from '../../../shared/boards/queries.js';
import { createCommunity, upsertMember } from '../../../shared/community/commands.js';
import { addFile, addHowTo, addLink } from '../../../shared/library/commands.js';
import { createNote, noteBody, recordNoteEdit } from '../../../shared/notes/commands.js';
import { createThread, pinThread, reply, toggleReaction } from '../../../shared/threads/commands.js';
import { QUICK_REACTIONS } from '../../../shared/threads/schema.js';
import { applyPatches, loadTrace, TRACE_FILE } from './trace.js';

export const DEFAULT_SEED = 20_260_401;
export const SHAPE = {
  members: 50,
  notes: 10,
  threads: 500,
  postsPerThread: 20,
  boards: 10,
  cardsPerBoard: 200,
  resources: 1_000,
} as const;
const CACHE_DIR = join(process.cwd(), 'node_modules/.cache/hearth-bench');
/** Files whose change makes a cached community stale. */
const SOURCES = ['tests/bench/harness/large-community.ts', 'tests/bench/harness/trace-apply.ts', 'node_modules/yjs/package.json'];

export interface LargeCommunity {
  readonly communityId: string;
  readonly name: string;
  /** The member whose device opens it in the benchmarks (the founder). */
  readonly memberId: string;
  readonly memberName: string;
  /** Y.encodeStateAsUpdateV2 of the whole document. */
  readonly state: Uint8Array;
  readonly counts: {
    readonly members: number;
    readonly notes: number;
    readonly threads: number;
    readonly posts: number;
    readonly boards: number;
    readonly cards: number;
    readonly resources: number;
  };
  readonly generatedMs: number;
  readonly fromCache: boolean;
}

type Meta = Omit<LargeCommunity, 'state' | 'fromCache'>;

/** Loads the cached community for `seed`, or generates (and caches) it. */
export function largeCommunity(seed = DEFAULT_SEED, log: (line: string) => void = () => undefined, regenerate = false): LargeCommunity {
  const key = cacheKey(seed);
  const stateFile = join(CACHE_DIR, `large-community-${key}.bin`);
  const metaFile = join(CACHE_DIR, `large-community-${key}.json`);
  if (!regenerate && existsSync(stateFile) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    return { ...meta, state: new Uint8Array(readFileSync(stateFile)), fromCache: true };
  }
  log(`generating the large community (seed ${seed}); cached afterwards in ${CACHE_DIR}`);
  const generated = generateLargeCommunity(seed, log);
  mkdirSync(CACHE_DIR, { recursive: true });
  const { state, fromCache: _fromCache, ...meta } = generated;
  // Written under temporary names and renamed, so a run killed mid-write leaves no half cache.
  writeFileSync(`${stateFile}.tmp`, state);
  writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
  renameSync(`${stateFile}.tmp`, stateFile);
  renameSync(`${metaFile}.tmp`, metaFile);
  return generated;
}

function cacheKey(seed: number): string {
  const hash = createHash('sha256').update(`seed ${seed}\n`).update(JSON.stringify(SHAPE));
  for (const file of [TRACE_FILE, ...SOURCES.map((source) => join(process.cwd(), source))]) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = [
  'Ada',
  'Bea',
  'Cato',
  'Dara',
  'Eli',
  'Femi',
  'Gus',
  'Hana',
  'Ines',
  'Jon',
  'Kira',
  'Lior',
  'Mina',
  'Noor',
  'Otto',
  'Pia',
  'Quin',
  'Ravi',
  'Sol',
  'Tess',
  'Uma',
  'Vik',
  'Wren',
  'Xavi',
  'Yara',
];
const LAST = ['Abara', 'Brandt', 'Costa', 'Duarte', 'Eklund', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen'];
const WORDS = (
  'the a of to and in we our group next week plan draft review idea budget meeting notes session goal progress update question answer share thanks ' +
  'board card deadline launch workshop feedback chapter garden recipe trail camera print sketch lesson practice coach mentor habit focus project ' +
  'client pricing offer outline talk podcast newsletter website design test measure learn ship write read call try keep start finish today tomorrow'
).split(' ');
const TAGS = [
  'beginner',
  'advanced',
  'tools',
  'pricing',
  'marketing',
  'writing',
  'design',
  'video',
  'checklist',
  'template',
  'reading',
  'podcast',
  'course',
  'local',
  'free',
];
const LABELS = ['urgent', 'blocked', 'idea', 'research', 'quick win', 'design', 'content'];
const COLUMNS = ['Backlog', 'To do', 'Doing', 'Review', 'Done'];
const START = Date.UTC(2025, 0, 6, 9, 0, 0);
const YEAR_MS = 365 * 24 * 3_600_000;

export function generateLargeCommunity(seed: number, log: (line: string) => void = () => undefined): LargeCommunity {
  const started = performance.now();
  const phase = (what: string): void => log(`  ${what} (${((performance.now() - started) / 1_000).toFixed(1)} s)`);
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const words = (count: number): string => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = (): string => {
    const text = words(int(6, 18));
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = (): string => Array.from({ length: int(1, 4) }, sentence).join(' ');
  const richBody = (): unknown => ({
    type: 'doc',
    content: Array.from({ length: int(1, 3) }, () => ({ type: 'paragraph', content: [{ type: 'text', text: paragraph() }] })),
  });

  // Commands that take no id (columns, checklist items, comments) draw one from crypto; during
  // generation crypto draws from the seed, so the same seed gives the same bytes.
  const crypto = globalThis.crypto as Crypto & { getRandomValues: Crypto['getRandomValues'] };
  const ownRandom = Object.prototype.hasOwnProperty.call(crypto, 'getRandomValues') ? crypto.getRandomValues : null;
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
    if (array) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
    }
    return array;
  }) as Crypto['getRandomValues'];
  const id = (): string => {
    let value = '';
    for (let i = 0; i < 16; i += 1) value += '0123456789abcdefghjkmnpqrstvwxyz'[Math.floor(random() * 32)];
    return value;
  };

  try {
    const doc = new Y.Doc({ gc: true });
    // Each member edits from their own device, so the document holds one Yjs client per member.
    const members = Array.from({ length: SHAPE.members }, (_, index) => ({
      id: id(),
      displayName: `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`,
      clientId: 1_000 + Math.floor(random() * 2 ** 30),
    }));
    const as = (member: (typeof members)[number]): void => {
      doc.clientID = member.clientId;
    };
    let clock = START;
    const tick = (maxMs: number): number => (clock += int(1_000, maxMs));
    const founder = members[0]!;
    const communityId = id();
    const name = 'Makers of the Long Table';
    as(founder);
    createCommunity(doc, {
      id: communityId,
      name,
      purpose: 'A circle of independent makers who meet every other Tuesday to plan, ship and review their projects.',
      kind: 'mastermind',
      codeOfConduct: 'Be kind, be specific, keep what is shared here in the circle.',
      founder: { id: founder.id, displayName: founder.displayName },
      now: clock,
    });
    for (const member of members.slice(1)) {
      as(member);
      upsertMember(doc, { id: member.id, displayName: member.displayName, now: tick(3_600_000) });
    }

    // Notes: each holds the whole B4 trace, typed one trace transaction per Yjs transaction into the
    // body's paragraph, as the editor's binding writes it.
    const trace = loadTrace();
    for (let n = 0; n < SHAPE.notes; n += 1) {
      const author = members[(n * 5) % members.length]!;
      as(author);
      const noteId = id();
      createNote(doc, {
        id: noteId,
        title: `Paper draft ${n + 1}: a conflict-free replicated JSON datatype`,
        by: author.id,
        now: tick(86_400_000),
      });
      const body = noteBody(doc, noteId)!;
      const text = new Y.XmlText();
      doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [text]);
        body.insert(0, [paragraph]);
        if (trace.startContent.length > 0) text.insert(0, trace.startContent);
      });
      for (const txn of trace.txns) doc.transact(() => applyPatches(text, txn.patches));
      if (n === 0 && text.toString() !== trace.endContent) throw new Error('Replaying the B4 trace did not give its endContent.');
      recordNoteEdit(doc, noteId, { by: author.id, now: tick(3_600_000) });
    }

    phase('notes typed');
    // Threads: 500, each with its first post and 19 replies; some reactions, a few pinned.
    let posts = 0;
    const threadIds: string[] = [];
    const postsPerThreadSpan = YEAR_MS / SHAPE.threads;
    for (let t = 0; t < SHAPE.threads; t += 1) {
      const starter = pick(members);
      as(starter);
      const threadId = id();
      threadIds.push(threadId);
      let when = START + t * postsPerThreadSpan;
      const { post } = createThread(doc, {
        id: threadId,
        postId: id(),
        title: sentence().slice(0, 120),
        body: richBody(),
        by: starter.id,
        now: when,
      });
      posts += 1;
      const postIds = [post.id];
      for (let r = 1; r < SHAPE.postsPerThread; r += 1) {
        const author = pick(members);
        as(author);
        when += int(60_000, 6 * 3_600_000);
        postIds.push(reply(doc, threadId, { id: id(), body: richBody(), by: author.id, now: when }).id);
        posts += 1;
      }
      for (const postId of postIds) {
        if (random() >= 0.2) continue;
        for (let k = int(1, 3); k > 0; k -= 1) {
          const reactor = pick(members);
          as(reactor);
          try {
            toggleReaction(doc, postId, pick(QUICK_REACTIONS), { by: reactor.id, now: when });
          } catch {
            // A member reacting to a post twice with the same emoji toggles it off; that is fine here.
          }
        }
      }
    }
    for (const threadId of threadIds.slice(0, 3)) {
      as(founder);
      pinThread(doc, threadId, true, { by: founder.id, now: tick(60_000) });
    }

    phase('threads written');
    // Boards: 10 of 5 columns, 200 cards each, with assignees, labels, checklists and comments.
    let cards = 0;
    for (let b = 0; b < SHAPE.boards; b += 1) {
      const owner = pick(members);
      as(owner);
      const boardId = createBoard(doc, {
        id: id(),
        name: `${pick(['Launch', 'Studio', 'Garden', 'Workshop', 'Season'])} plan ${b + 1}`,
        by: owner.id,
        columns: COLUMNS,
        now: tick(86_400_000),
      });
      const columns = boardColumns(doc, boardId);
      for (let c = 0; c < SHAPE.cardsPerBoard; c += 1) {
        const author = pick(members);
        as(author);
        const now = tick(3_600_000);
        const cardId = addCard(doc, {
          id: id(),
          boardId,
          columnId: pick(columns).id,
          title: sentence().slice(0, 100),
          description: random() < 0.6 ? paragraph() : '',
          by: author.id,
          now,
        });
        cards += 1;
        if (random() < 0.6) setCardAssignee(doc, cardId, pick(members).id, true, now);
        if (random() < 0.3) setCardLabel(doc, cardId, pick(LABELS), true, now);
        if (random() < 0.1) for (let k = 0; k < 3; k += 1) addChecklistItem(doc, cardId, sentence().slice(0, 80), now);
        if (random() < 0.1) for (let k = 0; k < 2; k += 1) addComment(doc, cardId, { authorId: pick(members).id, body: sentence(), now });
      }
    }
    // The founder (whose device the benchmarks open) has cards of their own on the home's "My cards".
    as(founder);

    phase('boards filled');
    // Library: links, how-tos and files, each with a few tags.
    for (let r = 0; r < SHAPE.resources; r += 1) {
      const adder = pick(members);
      as(adder);
      const common = {
        id: id(),
        by: adder.id,
        tags: Array.from({ length: int(1, 4) }, () => pick(TAGS)),
        description: random() < 0.7 ? sentence() : '',
        now: tick(3_600_000),
      };
      const kind = random();
      if (kind < 0.6)
        addLink(doc, { ...common, url: `https://example.org/${words(3).replaceAll(' ', '-')}/${r}`, title: sentence().slice(0, 80) });
      else if (kind < 0.9)
        addHowTo(doc, { ...common, title: `How to ${words(4)}`, body: Array.from({ length: int(2, 6) }, paragraph).join('\n\n') });
      else {
        const hash = Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
        addFile(doc, {
          ...common,
          file: { hash, name: `${words(2).replaceAll(' ', '-')}-${r}.pdf`, size: int(10_000, 5_000_000), type: 'application/pdf' },
        });
      }
    }

    const state = Y.encodeStateAsUpdateV2(doc);
    doc.destroy();
    return {
      communityId,
      name,
      memberId: founder.id,
      memberName: founder.displayName,
      state,
      counts: {
        members: members.length,
        notes: SHAPE.notes,
        threads: SHAPE.threads,
        posts,
        boards: SHAPE.boards,
        cards,
        resources: SHAPE.resources,
      },
      generatedMs: performance.now() - started,
      fromCache: false,
    };
  } finally {
    if (ownRandom) crypto.getRandomValues = ownRandom;
    else delete (crypto as { getRandomValues?: unknown }).getRandomValues;
  }
}
