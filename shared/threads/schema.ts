// Threads and posts: their records, validators and limits. Threads live in the top-level `threads`
// map and posts in the top-level `posts` map (each a Y.Map, keyed by id); a post names its thread.
// A post's body is sanitized rich-text JSON, not a Y.XmlFragment: only its author edits it, and then
// the whole body is replaced, so there is nothing to merge character by character; plain data renders
// a thread of hundreds of posts without an editor per post, and one validator bounds what a peer can
// put in it. Reactions are a Y.Map inside the post keyed by member and emoji, so a member's reaction
// with one emoji exists at most once however many devices toggle it at once.
import * as Y from 'yjs';
import { z } from 'zod';
import { ID_PATTERN } from '../ids.js';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import type { RichTextLimits } from '../rich-text/rich-text.js';

export const THREADS_KEY = 'threads';
export const POSTS_KEY = 'posts';
export const REACTIONS_KEY = 'reactions';

export const THREAD_RECORD_VERSION = 1;
export const POST_RECORD_VERSION = 1;

export const THREAD_LIMITS = {
  titleChars: 200,
} as const;

/**
 * What a member may post. 20,000 characters is a long essay (Discourse's default is 32,000); a
 * 1 MB paste is refused with the size and the limit, and the draft stays in the composer.
 */
export const POST_LIMITS: RichTextLimits = { maxTextChars: 20_000, maxNodes: 5_000, maxDepth: 12 };

/** What a reader accepts from a peer: roomier than the write limit, so a future raise still shows. */
export const POST_READ_LIMITS: RichTextLimits = { maxTextChars: 100_000, maxNodes: 20_000, maxDepth: 24 };

/** The reactions offered with one click; any single emoji is accepted. */
export const QUICK_REACTIONS = ['👍', '❤️', '🎉', '😂', '🙏', '👀', '🔥', '✅'] as const;

export const threadTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the thread a title.')
  .max(THREAD_LIMITS.titleChars, `Keep the title under ${THREAD_LIMITS.titleChars} characters.`);

export const threadFieldsSchema = z.object({
  v: z.number().int().positive().max(THREAD_RECORD_VERSION),
  id,
  title: threadTitleSchema,
  createdAt: timestamp,
  createdBy: id,
  firstPostId: id,
  pinnedAt: timestamp.nullable(),
  pinnedBy: id.nullable(),
});
export type ThreadRecord = z.infer<typeof threadFieldsSchema>;

export const postFieldsSchema = z.object({
  v: z.number().int().positive().max(POST_RECORD_VERSION),
  id,
  threadId: id,
  authorId: id,
  createdAt: timestamp,
  editedAt: timestamp.nullable(),
  deletedAt: timestamp.nullable(),
  /** Validated separately with sanitizeRichText. */
  body: z.unknown(),
  mentions: z.array(id).max(200),
});
export type PostFields = z.infer<typeof postFieldsSchema>;

// One emoji: a pictograph, optionally with skin tone, variation selectors and zero-width joins.
const EMOJI =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)(?:[\uFE0F\u200D\p{Emoji_Modifier}\p{Extended_Pictographic}])*$/u;

export function isReactionEmoji(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 16 && EMOJI.test(value);
}

/** Reactions are keyed "memberId emoji"; the id never holds a space, so the first one splits them. */
export function reactionKey(memberId: string, emoji: string): string {
  return `${memberId} ${emoji}`;
}

export function parseReactionKey(key: string): { memberId: string; emoji: string } | null {
  const space = key.indexOf(' ');
  if (space < 0) return null;
  const memberId = key.slice(0, space);
  const emoji = key.slice(space + 1);
  return ID_PATTERN.test(memberId) && isReactionEmoji(emoji) ? { memberId, emoji } : null;
}

export function newThreadMap(fields: ThreadRecord): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

export function newPostMap(fields: PostFields): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  map.set(REACTIONS_KEY, new Y.Map<unknown>());
  return map;
}
