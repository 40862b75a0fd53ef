// Moderation applied on read: a thread view as a member should see it, given the verified membership
// (shared/community/membership-log.ts). Hidden posts lose their words for everyone (the marker says a
// facilitator hid it, and an unhide brings them back); a locked thread takes no replies — replies
// dated after the lock are not shown, whoever wrote them. Only entries that replay accepted count, so
// a plain member's moderation entry changes nothing here.
import type { RichDoc } from '../rich-text/rich-text.js';
import { type Membership, type ModerationState } from '../community/log/replay.js';
import type { PostView, ThreadSummary, ThreadView } from './queries.js';

export interface ModeratedPost extends PostView {
  /** Set when a facilitator or owner hid it; body is then null for everyone. */
  readonly hidden: ModerationState | null;
}

export interface ModeratedThread {
  readonly thread: ThreadSummary;
  readonly posts: readonly ModeratedPost[];
  readonly locked: ModerationState | null;
  readonly pinned: ModerationState | null;
  /** Replies written after the lock, left out; counted so diagnostics can say so. */
  readonly refusedReplies: number;
}

export function moderateThread(view: ThreadView, membership: Membership): ModeratedThread {
  const locked = membership.lockedThreads.get(view.thread.id) ?? null;
  const pinned = membership.pinnedThreads.get(view.thread.id) ?? null;
  const posts: ModeratedPost[] = [];
  let refusedReplies = 0;
  for (const post of view.posts) {
    if (locked && post.createdAt > locked.at && post.id !== view.thread.firstPostId) {
      refusedReplies += 1;
      continue;
    }
    const hidden = membership.hiddenPosts.get(post.id) ?? null;
    posts.push({ ...post, hidden, body: hidden ? null : (post.body satisfies RichDoc | null) });
  }
  return { thread: view.thread, posts, locked, pinned, refusedReplies };
}

/**
 * The threads list as a member should see it: in a signed community pins come from the verified log
 * (only owners and facilitators pin; the record's own pin field is ignored, since any member can write
 * it), and a thread whose first post is hidden shows no excerpt. Re-sorted like listThreads.
 */
export function moderateThreadList(threads: readonly ThreadSummary[], membership: Membership | null): readonly ThreadSummary[] {
  if (!membership?.signed) return threads;
  return threads
    .map((thread) => {
      const pin = membership.pinnedThreads.get(thread.id) ?? null;
      const hiddenStart = membership.hiddenPosts.has(thread.firstPostId);
      return {
        ...thread,
        pinned: pin !== null,
        pinnedAt: pin?.at ?? null,
        pinnedBy: pin?.by ?? null,
        excerpt: hiddenStart ? '' : thread.excerpt,
      };
    })
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0) ||
        b.lastActivityAt - a.lastActivityAt ||
        a.id.localeCompare(b.id),
    );
}

export function canModerate(membership: Membership, memberId: string): boolean {
  if (!membership.signed) return false;
  const role = membership.roles.get(memberId);
  return role === 'owner' || role === 'facilitator';
}
