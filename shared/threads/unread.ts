// What is unread for one member, from a mark kept on their device (never in the shared document):
// the ids of the posts they had seen. Ids, not a time, because a post written offline arrives with
// an older timestamp than the moment the reader last looked, and must still count as new.
import type { ThreadSummary } from './queries.js';

export interface ThreadReadMark {
  /** Post ids seen in this thread. */
  readonly seenPostIds: readonly string[];
  /** When the member last looked, on their own clock. */
  readonly at: number;
}

type PostStub = ThreadSummary['posts'][number];

/** Posts by others, not deleted, that the mark does not cover. No mark means never opened: all unread. */
export function unreadPostIds(posts: readonly PostStub[], mark: ThreadReadMark | null, me: string): string[] {
  const seen = new Set(mark?.seenPostIds ?? []);
  return posts.filter((post) => !post.deleted && post.authorId !== me && !seen.has(post.id)).map((post) => post.id);
}

export function unreadCount(thread: Pick<ThreadSummary, 'posts'>, mark: ThreadReadMark | null, me: string): number {
  return unreadPostIds(thread.posts, mark, me).length;
}

/** The mark after reading every post shown now. */
export function markAllSeen(posts: readonly PostStub[], now: number): ThreadReadMark {
  return { seenPostIds: posts.map((post) => post.id), at: now };
}

/** Reads a mark back from the local store, where anything may have been left; bad values count as none. */
export function parseReadMark(value: unknown): ThreadReadMark | null {
  if (typeof value !== 'object' || value === null) return null;
  const { seenPostIds, at } = value as Record<string, unknown>;
  if (!Array.isArray(seenPostIds) || !seenPostIds.every((id) => typeof id === 'string') || typeof at !== 'number') return null;
  return { seenPostIds: seenPostIds as string[], at };
}
