// The named changes to a community's threads: start one (with its first post), reply, edit and delete
// one's own posts (a deleted post leaves a marker), react, pin. One transaction each.
import * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { newId } from '../ids.js';
import { emptyRichDoc, mentionedIds, richTextIsEmpty, sanitizeRichText, type RichDoc } from '../rich-text/rich-text.js';
import { readPost, readThreadFields, type PostView } from './queries.js';
import {
  POSTS_KEY,
  POST_LIMITS,
  POST_RECORD_VERSION,
  REACTIONS_KEY,
  THREADS_KEY,
  THREAD_RECORD_VERSION,
  isReactionEmoji,
  newPostMap,
  newThreadMap,
  postFieldsSchema,
  reactionKey,
  threadFieldsSchema,
  type PostFields,
  type ThreadRecord,
} from './schema.js';
import { CommandError, describeZodError, LOCAL_ORIGIN } from '../doc/records.js';

export function threadsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(THREADS_KEY);
}

export function postsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(POSTS_KEY);
}

export interface NewThread extends Actor {
  readonly title: string;
  /** Rich-text JSON from the editor; sanitized here. */
  readonly body: unknown;
  readonly id?: string;
  readonly postId?: string;
}

export function createThread(doc: Y.Doc, input: NewThread): { thread: ThreadRecord; post: PostView } {
  checkActor(input);
  const now = input.now ?? Date.now();
  const threadId = input.id ?? newId();
  const postId = input.postId ?? newId();
  const parsedThread = threadFieldsSchema.safeParse({
    v: THREAD_RECORD_VERSION,
    id: threadId,
    title: input.title,
    createdAt: now,
    createdBy: input.by,
    firstPostId: postId,
    pinnedAt: null,
    pinnedBy: null,
  });
  if (!parsedThread.success) throw new CommandError(describeZodError(parsedThread.error));
  const post = postFields(postId, threadId, input.body, input.by, now);
  if (threadsMap(doc).has(threadId) || postsMap(doc).has(postId)) throw new CommandError('A thread or post with this id already exists.');
  doc.transact(() => {
    threadsMap(doc).set(threadId, newThreadMap(parsedThread.data));
    postsMap(doc).set(postId, newPostMap(post));
  }, LOCAL_ORIGIN);
  return { thread: parsedThread.data, post: readOrThrow(doc, postId) };
}

export interface NewReply extends Actor {
  readonly body: unknown;
  readonly id?: string;
}

export function reply(doc: Y.Doc, threadId: string, input: NewReply): PostView {
  checkActor(input);
  const thread = readThreadFields(threadsMap(doc).get(threadId), threadId);
  if (!thread.ok) throw new CommandError('That thread is gone.');
  const now = input.now ?? Date.now();
  const postId = input.id ?? newId();
  const post = postFields(postId, threadId, input.body, input.by, now);
  if (postsMap(doc).has(postId)) throw new CommandError('A post with this id already exists.');
  doc.transact(() => postsMap(doc).set(postId, newPostMap(post)), LOCAL_ORIGIN);
  return readOrThrow(doc, postId);
}

/** Replaces the body of one's own post; its mentions follow the new body. */
export function editPost(doc: Y.Doc, postId: string, body: unknown, actor: Actor): PostView {
  const { map, post } = ownPost(doc, postId, actor);
  if (post.deletedAt !== null) throw new CommandError('A deleted post cannot be edited.');
  const clean = sanitizeBody(body);
  doc.transact(() => {
    map.set('body', clean);
    map.set('mentions', mentionedIds(clean));
    map.set('editedAt', actor.now ?? Date.now());
  }, LOCAL_ORIGIN);
  return readOrThrow(doc, postId);
}

/** Deletes one's own post: its words and reactions go, a marker stays so replies keep their context. */
export function deletePost(doc: Y.Doc, postId: string, actor: Actor): PostView {
  const { map, post } = ownPost(doc, postId, actor);
  if (post.deletedAt !== null) return post;
  doc.transact(() => {
    map.set('deletedAt', actor.now ?? Date.now());
    map.set('body', emptyRichDoc());
    map.set('mentions', []);
    const reactions = map.get(REACTIONS_KEY);
    if (reactions instanceof Y.Map) reactions.clear();
  }, LOCAL_ORIGIN);
  return readOrThrow(doc, postId);
}

/** Adds the member's reaction with `emoji`, or takes it back; returns whether it is there now. */
export function toggleReaction(doc: Y.Doc, postId: string, emoji: string, actor: Actor): boolean {
  checkActor(actor);
  if (!isReactionEmoji(emoji)) throw new CommandError('Reactions are a single emoji.');
  const map = postsMap(doc).get(postId);
  const read = readPost(map, postId);
  if (!read.ok || !(map instanceof Y.Map)) throw new CommandError('That post is gone.');
  if (read.value.deletedAt !== null) throw new CommandError('A deleted post cannot take reactions.');
  const reactions = map.get(REACTIONS_KEY) as Y.Map<unknown>;
  const key = reactionKey(actor.by, emoji);
  const present = reactions.has(key);
  doc.transact(() => {
    if (present) reactions.delete(key);
    else reactions.set(key, actor.now ?? Date.now());
  }, LOCAL_ORIGIN);
  return !present;
}

/** Pins a thread to the top of the list for everyone, or unpins it. */
export function pinThread(doc: Y.Doc, threadId: string, pinned: boolean, actor: Actor): ThreadRecord {
  checkActor(actor);
  const map = threadsMap(doc).get(threadId);
  const read = readThreadFields(map, threadId);
  if (!read.ok || !(map instanceof Y.Map)) throw new CommandError('That thread is gone.');
  doc.transact(() => {
    map.set('pinnedAt', pinned ? (actor.now ?? Date.now()) : null);
    map.set('pinnedBy', pinned ? actor.by : null);
  }, LOCAL_ORIGIN);
  const after = readThreadFields(map, threadId);
  if (!after.ok) throw new CommandError(after.message);
  return after.value;
}

function postFields(id: string, threadId: string, body: unknown, authorId: string, now: number): PostFields {
  const clean = sanitizeBody(body);
  const parsed = postFieldsSchema.safeParse({
    v: POST_RECORD_VERSION,
    id,
    threadId,
    authorId,
    createdAt: now,
    editedAt: null,
    deletedAt: null,
    body: clean,
    mentions: mentionedIds(clean),
  });
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  return parsed.data;
}

function sanitizeBody(body: unknown): RichDoc {
  const result = sanitizeRichText(body, POST_LIMITS);
  if (!result.ok) {
    throw new CommandError(
      result.tooLong
        ? `This post is ${result.tooLong.textChars.toLocaleString('en')} characters long; posts hold up to ${result.tooLong.limit.toLocaleString('en')}. Shorten it, split it, or put the long part in a note.`
        : result.reason,
    );
  }
  if (richTextIsEmpty(result.doc)) throw new CommandError('Write something first.');
  return result.doc;
}

function ownPost(doc: Y.Doc, postId: string, actor: Actor): { map: Y.Map<unknown>; post: PostView } {
  checkActor(actor);
  const map = postsMap(doc).get(postId);
  const read = readPost(map, postId);
  if (!read.ok || !(map instanceof Y.Map)) throw new CommandError('That post is gone.');
  if (read.value.authorId !== actor.by) throw new CommandError('Only the person who wrote a post can change it.');
  return { map, post: read.value };
}

function readOrThrow(doc: Y.Doc, postId: string): PostView {
  const read = readPost(postsMap(doc).get(postId), postId);
  if (!read.ok) throw new CommandError(read.message);
  return read.value;
}
