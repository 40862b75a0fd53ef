// What search reads from a community's document, kind by kind: which top-level maps to watch, which
// record a change touched, a cheap listing of the records that should be searchable, and one record
// as plain text. Every read goes through the feature's own validating query, so the index holds the
// same text as notesForSearch, postsForSearch, cardsForSearch and resourcesForSearch (a test holds
// them to it), and a record a peer wrote in a shape we do not understand is skipped, never indexed.
import * as Y from 'yjs';
import { boardsMap, cardsMap } from '../boards/doc.js';
import { readCard } from '../boards/queries.js';
import { BOARD_TOP_LEVEL, boardRecordSchema } from '../boards/schema.js';
import { resourcesMap } from '../library/doc.js';
import { readResource, type Resource } from '../library/queries.js';
import { LIBRARY_TOP_LEVEL } from '../library/schema.js';
import { readNoteBody, readNoteFields, readNotesIndex } from '../notes/queries.js';
import { BODY_KEY, NOTES_KEY } from '../notes/schema.js';
import { richTextToPlainText } from '../rich-text/plain-text.js';
import { readPost, readThreadFields } from '../threads/queries.js';
import { POSTS_KEY, THREADS_KEY } from '../threads/schema.js';

export const SEARCH_KINDS = ['note', 'post', 'card', 'resource'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** One searchable record as plain text. */
export interface SourceItem {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly updatedAt: number;
  /** The thread of a post, the board of a card; null for notes and resources. */
  readonly parentId: string | null;
  /** A resource's kind (link, file, howto); null otherwise. */
  readonly detail: string | null;
  /** Where the item is, in words: a card's board; null otherwise. */
  readonly context: string | null;
}

/**
 * What reading one record found: the item; `gone` when it is not (or no longer) searchable (deleted,
 * in the trash, its thread or board deleted); `malformed` when it is there but cannot be read.
 * `stamp` is the record's context that `list` also reports (see SearchSource.list).
 */
export type SourceRead =
  | { readonly status: 'item'; readonly item: SourceItem; readonly stamp: string }
  | { readonly status: 'gone' }
  | { readonly status: 'malformed'; readonly message: string };

/**
 * How far a change reaches. `record`: re-read that record only (the read decides whether it is still
 * searchable). `text`: only the record's words changed; re-read it if it is indexed, otherwise list.
 * `list`: the change may show or hide other records; list them all again (cheap: no text is read).
 */
export type ChangeScope = 'record' | 'text' | 'list';

export interface SearchSource {
  readonly kind: SearchKind;
  /** The top-level maps whose changes can change this kind's items; the first one is keyed by item id. */
  readonly roots: readonly string[];
  /** The scope of a change to `root` at `path` (path[0] is the record's key); `keys` are the fields changed there. */
  scope(root: string, path: readonly (string | number)[], keys: ReadonlySet<string>): ChangeScope;
  /**
   * Every record that may be searchable, with a stamp of its context: when a record's stamp changes
   * (a post's thread renamed), the record is read again although nothing in it changed. Reads no text.
   */
  list(doc: Y.Doc): Map<string, string>;
  read(doc: Y.Doc, id: string): SourceRead;
}

const GONE: SourceRead = { status: 'gone' };

// ---------- notes ----------

/** Fields of a note whose change cannot show or hide another note. */
const NOTE_TEXT_FIELDS = new Set(['title', 'updatedAt', 'updatedBy', BODY_KEY]);

const noteSource: SearchSource = {
  kind: 'note',
  roots: [NOTES_KEY],
  scope: (_root, path, keys) => {
    if (path.length >= 2) return path[1] === BODY_KEY ? 'text' : 'list';
    // A change of parent or trash state moves every page inside the note in or out of view.
    if (path.length === 1 && [...keys].every((key) => NOTE_TEXT_FIELDS.has(key))) return 'text';
    return 'list';
  },
  list: (doc) => {
    const index = readNotesIndex(doc);
    const listed = new Map([...index.live.keys()].map((id) => [id, '']));
    // Unreadable notes are listed too, so that reading them reports them as skipped.
    for (const key of doc.getMap(NOTES_KEY).keys()) if (!index.all.has(key)) listed.set(key, '');
    return listed;
  },
  read: (doc, id) => {
    const value = doc.getMap(NOTES_KEY).get(id);
    if (value === undefined) return GONE;
    const fields = readNoteFields(value, id);
    if (!fields.ok) return { status: 'malformed', message: fields.message };
    // Liveness (the trash, a page in the trash above it) is decided by `list`, which is why a
    // change of it has the `list` scope.
    if (fields.note.deletedAt !== null) return GONE;
    const problems: { where: string; message: string }[] = [];
    const body = readNoteBody(doc, id, problems);
    const text = richTextToPlainText(body);
    return {
      status: 'item',
      stamp: '',
      item: { id, title: fields.note.title, text, updatedAt: fields.note.updatedAt, parentId: null, detail: null, context: null },
    };
  },
};

// ---------- threads and posts ----------

const postSource: SearchSource = {
  kind: 'post',
  roots: [POSTS_KEY, THREADS_KEY],
  scope: (root) => (root === POSTS_KEY ? 'record' : 'list'),
  list: (doc) => {
    const titles = new Map<string, string>();
    for (const [key, value] of doc.getMap(THREADS_KEY).entries()) {
      const thread = readThreadFields(value, key);
      if (thread.ok) titles.set(key, thread.value.title);
    }
    const listed = new Map<string, string>();
    for (const [key, value] of doc.getMap(POSTS_KEY).entries()) {
      if (!(value instanceof Y.Map)) {
        listed.set(key, '');
        continue;
      }
      const threadId = value.get('threadId');
      const title = typeof threadId === 'string' ? titles.get(threadId) : undefined;
      // A deleted post keeps only a marker; a post without its thread shows nowhere.
      if (title !== undefined && (value.get('deletedAt') ?? null) === null) listed.set(key, title);
    }
    return listed;
  },
  read: (doc, id) => {
    const value = doc.getMap(POSTS_KEY).get(id);
    if (value === undefined) return GONE;
    const post = readPost(value, id);
    if (!post.ok) return { status: 'malformed', message: post.message };
    const thread = readThreadFields(doc.getMap(THREADS_KEY).get(post.value.threadId), post.value.threadId);
    if (!thread.ok || !post.value.body) return GONE;
    return {
      status: 'item',
      stamp: thread.value.title,
      item: {
        id,
        title: thread.value.title,
        text: richTextToPlainText(post.value.body),
        updatedAt: post.value.editedAt ?? post.value.createdAt,
        parentId: post.value.threadId,
        detail: null,
        context: null,
      },
    };
  },
};

// ---------- cards ----------

/** The board's name, or null when there is no readable board by that id. */
function boardName(doc: Y.Doc, boardId: unknown): string | null {
  if (typeof boardId !== 'string') return null;
  const value = boardsMap(doc).get(boardId);
  if (!(value instanceof Y.Map)) return null;
  const parsed = boardRecordSchema.safeParse(value.toJSON());
  return parsed.success && parsed.data.id === boardId ? parsed.data.name : null;
}

const cardSource: SearchSource = {
  kind: 'card',
  roots: [BOARD_TOP_LEVEL.cards, BOARD_TOP_LEVEL.boards],
  scope: (root) => (root === BOARD_TOP_LEVEL.cards ? 'record' : 'list'),
  // A card's stamp is its board's name, so renaming a board re-reads its cards.
  list: (doc) => {
    const boards = new Map<unknown, string | null>();
    const listed = new Map<string, string>();
    for (const [key, value] of cardsMap(doc).entries()) {
      if (!(value instanceof Y.Map)) {
        listed.set(key, '');
        continue;
      }
      const boardId = value.get('boardId');
      let name = boards.get(boardId);
      if (name === undefined) {
        name = boardName(doc, boardId);
        boards.set(boardId, name);
      }
      if (name !== null) listed.set(key, name);
    }
    return listed;
  },
  read: (doc, id) => {
    const value = cardsMap(doc).get(id);
    if (value === undefined) return GONE;
    // A card of a deleted board went with it (and a peer may still be sending its last edits).
    const board = value instanceof Y.Map ? boardName(doc, value.get('boardId')) : '';
    if (board === null) return GONE;
    const location = readCard(doc, id);
    if (!location) return { status: 'malformed', message: 'not a readable card' };
    const { card } = location;
    const text = [
      card.description,
      card.labels.join(' '),
      ...card.checklist.map((item) => item.text),
      ...card.comments.map((comment) => comment.body),
    ]
      .filter((part) => part.length > 0)
      .join('\n');
    return {
      status: 'item',
      stamp: location.board.name,
      item: { id, title: card.title, text, updatedAt: card.updatedAt, parentId: card.boardId, detail: null, context: location.board.name },
    };
  },
};

// ---------- library ----------

function resourceText(resource: Resource): string {
  const parts = [resource.description, resource.tags.join(' ')];
  if (resource.kind === 'link') parts.push(resource.url);
  if (resource.kind === 'file') parts.push(resource.file.name);
  if (resource.kind === 'howto') parts.push(resource.body);
  return parts.filter((part) => part.length > 0).join('\n');
}

const resourceSource: SearchSource = {
  kind: 'resource',
  roots: [LIBRARY_TOP_LEVEL.resources],
  scope: () => 'record',
  list: (doc) => new Map([...resourcesMap(doc).keys()].map((id) => [id, ''])),
  read: (doc, id) => {
    if (!resourcesMap(doc).has(id)) return GONE;
    const resource = readResource(doc, id);
    if (!resource) return { status: 'malformed', message: 'not a readable resource' };
    return {
      status: 'item',
      stamp: '',
      item: {
        id,
        title: resource.title,
        text: resourceText(resource),
        updatedAt: resource.updatedAt,
        parentId: null,
        detail: resource.kind,
        context: null,
      },
    };
  },
};

export const SEARCH_SOURCES: readonly SearchSource[] = [noteSource, postSource, cardSource, resourceSource];
