// Reads of a community's threads: the list (pinned first, then by last activity), one thread with its
// posts and reactions, and plain text for search. Malformed records from a peer are skipped and
// reported; a post whose thread is missing is reported, never shown loose.
import { memoByDoc } from '../doc-memo.js';
import * as Y from 'yjs';
import { creatorOf } from '../sync/client-bindings.js';
import { richTextExcerpt, richTextToPlainText } from '../rich-text/plain-text.js';
import { sanitizeRichText, type RichDoc, type SanitizeResult } from '../rich-text/rich-text.js';
import {
  POSTS_KEY,
  POST_READ_LIMITS,
  POST_RECORD_VERSION,
  REACTIONS_KEY,
  THREADS_KEY,
  THREAD_RECORD_VERSION,
  parseReactionKey,
  postFieldsSchema,
  threadFieldsSchema,
  type PostFields,
  type ThreadRecord,
} from './schema.js';
import { type Read, readRecordFields, type RecordType, type SchemaProblem } from '../doc/records.js';

export interface ReactionSummary {
  readonly emoji: string;
  /** Who reacted, in the order they did. */
  readonly memberIds: readonly string[];
}

export interface PostView {
  readonly id: string;
  readonly threadId: string;
  readonly authorId: string;
  readonly createdAt: number;
  readonly editedAt: number | null;
  readonly deletedAt: number | null;
  /** Null once the post is deleted: the marker keeps its place, its words are gone. */
  readonly body: RichDoc | null;
  readonly mentions: readonly string[];
  readonly reactions: readonly ReactionSummary[];
}

// Bodies are plain objects that Yjs hands back by reference, so a body is sanitized once, not on
// every re-render of a long thread.
const sanitized = new WeakMap<object, SanitizeResult>();

function sanitizeBody(body: unknown): SanitizeResult {
  if (typeof body !== 'object' || body === null) return sanitizeRichText(body, POST_READ_LIMITS);
  let result = sanitized.get(body);
  if (!result) {
    result = sanitizeRichText(body, POST_READ_LIMITS);
    sanitized.set(body, result);
  }
  return result;
}

// Fields that commands overwrite. When a peer's updates arrive out of order, Yjs applies the deletion
// of an overwritten value before the new value arrives, so such a field can be missing for a moment;
// it then reads as its default instead of hiding the whole record (and, for a thread, all its posts).
const OVERWRITTEN_THREAD_FIELDS = { pinnedAt: null, pinnedBy: null };
const OVERWRITTEN_POST_FIELDS = { editedAt: null, deletedAt: null, mentions: [], body: { type: 'doc', content: [] } };

const THREAD: RecordType<ThreadRecord> = {
  what: 'thread',
  version: THREAD_RECORD_VERSION,
  schema: threadFieldsSchema,
  defaults: OVERWRITTEN_THREAD_FIELDS,
};
const POST: RecordType<PostFields> = {
  what: 'post',
  version: POST_RECORD_VERSION,
  schema: postFieldsSchema,
  nested: [REACTIONS_KEY],
  defaults: OVERWRITTEN_POST_FIELDS,
};

/** A thread's fields; `createdBy` is who signed the change that made it (the field only for threads from before signed changes). */
export function readThreadFields(value: unknown, key: string): Read<ThreadRecord> {
  const read = readRecordFields(value, key, THREAD);
  if (!read.ok) return read;
  const signer = value instanceof Y.Map ? creatorOf(value) : null;
  return signer && signer !== read.value.createdBy ? { ok: true, value: { ...read.value, createdBy: signer } } : read;
}

export function readPost(value: unknown, key: string, problems: SchemaProblem[] = []): Read<PostView> {
  const read = readRecordFields(value, key, POST);
  if (!read.ok) return read;
  const post = read.value;
  const reactionsMap = (value as Y.Map<unknown>).get(REACTIONS_KEY) as Y.Map<unknown>;
  let body: RichDoc | null = null;
  if (post.deletedAt === null) {
    const result = sanitizeBody(post.body);
    if (!result.ok) return { ok: false, message: `body: ${result.reason}` };
    if (result.dropped > 0)
      problems.push({ where: `posts.${key}.body`, message: `${result.dropped} part(s) of an unknown kind were left out` });
    body = result.doc;
  }
  return {
    ok: true,
    value: {
      id: post.id,
      threadId: post.threadId,
      // Who signed the post, when its creating client is bound (every post since signed changes); the
      // field the writer filled in only for posts older than that.
      authorId: (value instanceof Y.Map ? creatorOf(value) : null) ?? post.authorId,
      createdAt: post.createdAt,
      editedAt: post.editedAt,
      deletedAt: post.deletedAt,
      body,
      mentions: post.deletedAt === null ? [...new Set(post.mentions)] : [],
      reactions: post.deletedAt === null ? readReactions(reactionsMap, key, problems) : [],
    },
  };
}

function readReactions(map: Y.Map<unknown>, postId: string, problems: SchemaProblem[]): ReactionSummary[] {
  const byEmoji = new Map<string, { at: number; memberId: string }[]>();
  for (const [key, at] of map.entries()) {
    const parsed = parseReactionKey(key);
    if (!parsed || typeof at !== 'number' || !Number.isFinite(at)) {
      problems.push({ where: `posts.${postId}.reactions`, message: 'a reaction of an unknown shape was left out' });
      continue;
    }
    const list = byEmoji.get(parsed.emoji) ?? [];
    list.push({ at, memberId: parsed.memberId });
    byEmoji.set(parsed.emoji, list);
  }
  return [...byEmoji.entries()]
    .map(([emoji, list]) => {
      list.sort((a, b) => a.at - b.at || a.memberId.localeCompare(b.memberId));
      return { emoji, first: list[0]!.at, memberIds: list.map((entry) => entry.memberId) };
    })
    .sort((a, b) => a.first - b.first || a.emoji.localeCompare(b.emoji))
    .map(({ emoji, memberIds }) => ({ emoji, memberIds }));
}

interface ThreadsIndex {
  readonly threads: ReadonlyMap<string, ThreadRecord>;
  /** Each thread's readable posts, oldest first, with its first post always at the top. */
  readonly postsOf: ReadonlyMap<string, readonly PostView[]>;
}

function readThreadsIndex(doc: Y.Doc, problems: SchemaProblem[]): ThreadsIndex {
  const threads = new Map<string, ThreadRecord>();
  for (const [key, value] of doc.getMap(THREADS_KEY).entries()) {
    const read = readThreadFields(value, key);
    if (read.ok) threads.set(key, read.value);
    else problems.push({ where: `threads.${key}`, message: read.message });
  }
  const postsOf = new Map<string, PostView[]>();
  for (const [key, value] of doc.getMap(POSTS_KEY).entries()) {
    const read = readPost(value, key, problems);
    if (!read.ok) {
      problems.push({ where: `posts.${key}`, message: read.message });
    } else if (!threads.has(read.value.threadId)) {
      problems.push({ where: `posts.${key}`, message: 'the thread it belongs to is missing' });
    } else {
      const list = postsOf.get(read.value.threadId) ?? [];
      list.push(read.value);
      postsOf.set(read.value.threadId, list);
    }
  }
  for (const [threadId, posts] of postsOf) {
    const firstPostId = threads.get(threadId)!.firstPostId;
    posts.sort(
      (a, b) => Number(b.id === firstPostId) - Number(a.id === firstPostId) || a.createdAt - b.createdAt || a.id.localeCompare(b.id),
    );
  }
  return { threads, postsOf };
}

export interface ThreadSummary extends ThreadRecord {
  readonly pinned: boolean;
  /** The first post's words on one line ("" if it was deleted). */
  readonly excerpt: string;
  /** Replies that were not deleted. */
  readonly replyCount: number;
  /** The newest post's time (or the thread's, if it has none yet). */
  readonly lastActivityAt: number;
  readonly lastPostBy: string;
  /** Everyone who posted, the starter first. */
  readonly participantIds: readonly string[];
  /** Enough of each post to work out what is unread on this device. */
  readonly posts: readonly { readonly id: string; readonly authorId: string; readonly createdAt: number; readonly deleted: boolean }[];
}

function summarize(thread: ThreadRecord, posts: readonly PostView[]): ThreadSummary {
  const first = posts.find((post) => post.id === thread.firstPostId);
  const newest = posts.reduce<PostView | null>((latest, post) => (!latest || post.createdAt >= latest.createdAt ? post : latest), null);
  return {
    ...thread,
    pinned: thread.pinnedAt !== null,
    excerpt: first?.body ? richTextExcerpt(first.body) : '',
    replyCount: posts.filter((post) => post.id !== thread.firstPostId && post.deletedAt === null).length,
    lastActivityAt: Math.max(thread.createdAt, newest?.createdAt ?? 0),
    lastPostBy: newest?.authorId ?? thread.createdBy,
    participantIds: [...new Set([thread.createdBy, ...posts.map((post) => post.authorId)])],
    posts: posts.map((post) => ({ id: post.id, authorId: post.authorId, createdAt: post.createdAt, deleted: post.deletedAt !== null })),
  };
}

export interface ThreadsList {
  /** Pinned threads first (most recently pinned on top), then the rest by last activity. */
  readonly threads: readonly ThreadSummary[];
  readonly problems: readonly SchemaProblem[];
}

/** Kept per document until it changes (shared/doc-memo.ts): treat the result as read-only. */
export const listThreads = memoByDoc(computeThreadsList, { roots: [THREADS_KEY, POSTS_KEY] });

function computeThreadsList(doc: Y.Doc): ThreadsList {
  const problems: SchemaProblem[] = [];
  const index = readThreadsIndex(doc, problems);
  const threads = [...index.threads.values()]
    .map((thread) => summarize(thread, index.postsOf.get(thread.id) ?? []))
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0) ||
        b.lastActivityAt - a.lastActivityAt ||
        a.id.localeCompare(b.id),
    );
  return { threads, problems };
}

export interface ThreadView {
  readonly thread: ThreadSummary;
  readonly posts: readonly PostView[];
  readonly problems: readonly SchemaProblem[];
}

export function readThread(doc: Y.Doc, threadId: string): ThreadView | null {
  const problems: SchemaProblem[] = [];
  const index = readThreadsIndex(doc, problems);
  const thread = index.threads.get(threadId);
  if (!thread) return null;
  const posts = index.postsOf.get(threadId) ?? [];
  return { thread: summarize(thread, posts), posts, problems };
}

export interface PostSearchItem {
  readonly id: string;
  readonly threadId: string;
  /** The thread's title, so a hit in a reply still says where it is. */
  readonly title: string;
  readonly text: string;
  readonly updatedAt: number;
}

/** Every post that was not deleted, as plain text, for the search index. */
export function postsForSearch(doc: Y.Doc): { readonly items: readonly PostSearchItem[]; readonly problems: readonly SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const index = readThreadsIndex(doc, problems);
  const items: PostSearchItem[] = [];
  for (const [threadId, posts] of index.postsOf) {
    const title = index.threads.get(threadId)!.title;
    for (const post of posts) {
      if (!post.body) continue;
      items.push({ id: post.id, threadId, title, text: richTextToPlainText(post.body), updatedAt: post.editedAt ?? post.createdAt });
    }
  }
  return { items, problems };
}
