// Reads of a community's notes: the list with last edit and author, the page tree, the trash, and
// plain text for search. Records a peer wrote in a shape this version does not understand are skipped
// and reported; a tree that concurrent moves bent into a loop is straightened the same way on every peer.
import * as Y from 'yjs';
import { xmlFragmentToRawJson } from '../rich-text/from-xml.js';
import { richTextToPlainText } from '../rich-text/plain-text.js';
import { sanitizeRichText, type RichDoc } from '../rich-text/rich-text.js';
import { BODY_KEY, NOTES_KEY, NOTE_BODY_READ_LIMITS, NOTE_RECORD_VERSION, noteFieldsSchema, type NoteRecord } from './schema.js';
import { memoByDoc } from '../doc-memo.js';
import { checkRecord, type SchemaProblem } from '../doc/records.js';
import { creatorOf, verifiedAuthor } from '../sync/client-bindings.js';

export type ReadNoteResult = { readonly ok: true; readonly note: NoteRecord } | { readonly ok: false; readonly message: string };

/** Validates one note's Y.Map (stored under `key`). */
export function readNoteFields(value: unknown, key: string): ReadNoteResult {
  if (!(value instanceof Y.Map)) return { ok: false, message: 'not a note record' };
  if (!(value.get(BODY_KEY) instanceof Y.XmlFragment)) return { ok: false, message: 'body: not rich text' };
  const version = value.get('v');
  if (typeof version === 'number' && version > NOTE_RECORD_VERSION)
    return { ok: false, message: `written by a newer version of Hearth (note v${version})` };
  const fields: Record<string, unknown> = {};
  for (const [field, fieldValue] of value.entries()) if (field !== BODY_KEY) fields[field] = fieldValue;
  // A field that commands overwrite can be missing for a moment when a peer's updates arrive out of
  // order (Yjs applies the deletion of the old value before the new value arrives); it then reads as a
  // default rather than hiding the note and every page inside it.
  const parsed = noteFieldsSchema.safeParse({
    title: 'Untitled',
    parentId: null,
    deletedAt: null,
    deletedBy: null,
    updatedAt: fields.createdAt,
    updatedBy: fields.createdBy,
    ...fields,
  });
  const read = checkRecord(parsed, key, (note) => note.id);
  return read.ok ? { ok: true, note: withVerifiedAuthors(read.value, value) } : read;
}

/**
 * Who started a note and who last edited it, from the devices that signed the changes rather than the
 * fields their writers filled in. Started by: the member bound to the client that made the note's
 * Y.Map. Last edited by: the member bound to the client that wrote the note's current `updatedAt`,
 * the stamp every edit (rename, move, typing in the body: shared/notes/commands.ts stamp) writes, so
 * the name shown beside "Edited <time>" is whoever wrote that time. (Yjs clocks count per client, so
 * "the newest struct in the body" has no meaning across members; an edit that skips the stamp leaves
 * the older stamp and its writer in place, never someone else's name.) Records from before signed
 * changes have no binding and keep their fields.
 */
function withVerifiedAuthors(note: NoteRecord, map: Y.Map<unknown>): NoteRecord {
  const createdBy = creatorOf(map) ?? note.createdBy;
  // No stamp yet (a record missing it reads its creation as its last edit): its creator.
  const stamped = map.has('updatedAt') && map.doc ? verifiedAuthor(map.doc, map, 'updatedAt') : createdBy;
  const updatedBy = stamped ?? note.updatedBy;
  return createdBy === note.createdBy && updatedBy === note.updatedBy ? note : { ...note, createdBy, updatedBy };
}

export interface NotesIndex {
  /** Every readable note, trashed or not. */
  readonly all: ReadonlyMap<string, NoteRecord>;
  /** Notes that are neither in the trash nor under a page that is. */
  readonly live: ReadonlyMap<string, NoteRecord>;
  /** The parent each note is shown under: its own, unless that is unreadable or would close a loop. */
  readonly parentOf: ReadonlyMap<string, string | null>;
  readonly childrenOf: ReadonlyMap<string | null, readonly string[]>;
  /** Ids from the note's parent up to its top-level page. */
  ancestorsOf(noteId: string): string[];
  /** 0 for a top-level page. */
  depthOf(noteId: string): number;
  /** Levels of sub-pages below a note: 0 for a page without sub-pages. */
  heightOf(noteId: string): number;
  readonly problems: readonly SchemaProblem[];
}

export function readNotesIndex(doc: Y.Doc, problems: SchemaProblem[] = []): NotesIndex {
  const all = new Map<string, NoteRecord>();
  for (const [key, value] of doc.getMap(NOTES_KEY).entries()) {
    const read = readNoteFields(value, key);
    if (read.ok) all.set(key, read.note);
    else problems.push({ where: `notes.${key}`, message: read.message });
  }

  const parentOf = new Map<string, string | null>();
  for (const note of all.values()) parentOf.set(note.id, note.parentId !== null && all.has(note.parentId) ? note.parentId : null);
  // Two members moving pages at once can make A a child of B and B a child of A. Every peer breaks
  // such a loop at the same place (the smallest id in it goes to the top), so all show the same tree.
  for (const start of [...all.keys()].sort()) {
    const seen = new Map<string, number>();
    const chain: string[] = [];
    let current: string | null = start;
    while (current !== null && !seen.has(current)) {
      seen.set(current, chain.length);
      chain.push(current);
      current = parentOf.get(current) ?? null;
    }
    if (current !== null) {
      const loop = chain.slice(seen.get(current)!);
      parentOf.set(loop.sort()[0]!, null);
    }
  }

  const childrenOf = new Map<string | null, string[]>();
  for (const [id, parent] of parentOf) {
    const siblings = childrenOf.get(parent) ?? [];
    siblings.push(id);
    childrenOf.set(parent, siblings);
  }
  for (const siblings of childrenOf.values()) siblings.sort((a, b) => compareTitles(all.get(a)!, all.get(b)!));

  const ancestorsOf = (noteId: string): string[] => {
    const ancestors: string[] = [];
    let current = parentOf.get(noteId) ?? null;
    while (current !== null && ancestors.length <= all.size) {
      ancestors.push(current);
      current = parentOf.get(current) ?? null;
    }
    return ancestors;
  };
  const live = new Map<string, NoteRecord>();
  for (const note of all.values()) {
    if (note.deletedAt === null && ancestorsOf(note.id).every((id) => all.get(id)?.deletedAt === null)) live.set(note.id, note);
  }
  const heightOf = (noteId: string): number => {
    const children = childrenOf.get(noteId) ?? [];
    return children.length === 0 ? 0 : 1 + Math.max(...children.map(heightOf));
  };
  return { all, live, parentOf, childrenOf, ancestorsOf, depthOf: (noteId) => ancestorsOf(noteId).length, heightOf, problems };
}

function compareTitles(a: NoteRecord, b: NoteRecord): number {
  return a.title.localeCompare(b.title, undefined, { sensitivity: 'base', numeric: true }) || a.id.localeCompare(b.id);
}

export interface NoteSummary extends NoteRecord {
  /** Titles of the pages above this one, top first. */
  readonly path: readonly string[];
  readonly subPages: number;
}

export interface NotesList {
  /** Live notes, most recently edited first. */
  readonly notes: readonly NoteSummary[];
  readonly problems: readonly SchemaProblem[];
}

/** Kept per document until it changes (shared/doc-memo.ts): treat the result as read-only. */
export const listNotes = memoByDoc(computeNotesList, { roots: [NOTES_KEY] });

function computeNotesList(doc: Y.Doc): NotesList {
  const problems: SchemaProblem[] = [];
  const index = readNotesIndex(doc, problems);
  const notes = [...index.live.values()]
    .map((note) => summarize(index, note))
    .sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
  return { notes, problems };
}

function summarize(index: NotesIndex, note: NoteRecord): NoteSummary {
  const path = index
    .ancestorsOf(note.id)
    .reverse()
    .map((id) => index.all.get(id)?.title ?? '');
  const subPages = (index.childrenOf.get(note.id) ?? []).filter((id) => index.live.has(id)).length;
  return { ...note, path, subPages };
}

export interface NoteTreeNode {
  readonly note: NoteRecord;
  readonly children: readonly NoteTreeNode[];
}

/** Live notes as a tree of pages; siblings sorted by title. Every live note appears exactly once. */
export function noteTree(doc: Y.Doc): { readonly roots: readonly NoteTreeNode[]; readonly problems: readonly SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const index = readNotesIndex(doc, problems);
  const build = (id: string): NoteTreeNode => ({
    note: index.live.get(id)!,
    children: (index.childrenOf.get(id) ?? []).filter((child) => index.live.has(child)).map(build),
  });
  const roots = (index.childrenOf.get(null) ?? []).filter((id) => index.live.has(id)).map(build);
  return { roots, problems };
}

export interface NoteView extends NoteSummary {
  /** True when the note, or a page above it, is in the trash. */
  readonly trashed: boolean;
}

export function readNote(doc: Y.Doc, noteId: string): NoteView | null {
  const index = readNotesIndex(doc);
  const note = index.all.get(noteId);
  if (!note) return null;
  return { ...summarize(index, note), trashed: !index.live.has(noteId) };
}

/** Notes deleted on purpose (not those only under a deleted page), most recently deleted first. */
export function trashedNotes(doc: Y.Doc): readonly NoteSummary[] {
  const index = readNotesIndex(doc);
  return [...index.all.values()]
    .filter((note) => note.deletedAt !== null)
    .map((note) => summarize(index, note))
    .sort((a, b) => (b.deletedAt ?? 0) - (a.deletedAt ?? 0) || a.id.localeCompare(b.id));
}

/** A note's body as sanitized rich text, or an empty document when it cannot be read. */
export function readNoteBody(doc: Y.Doc, noteId: string, problems: SchemaProblem[] = []): RichDoc {
  const map = doc.getMap(NOTES_KEY).get(noteId);
  const body = map instanceof Y.Map ? map.get(BODY_KEY) : null;
  if (!(body instanceof Y.XmlFragment)) return { type: 'doc', content: [] };
  const result = sanitizeRichText(xmlFragmentToRawJson(body), NOTE_BODY_READ_LIMITS);
  if (!result.ok) {
    problems.push({ where: `notes.${noteId}.body`, message: result.reason });
    return { type: 'doc', content: [] };
  }
  if (result.dropped > 0)
    problems.push({ where: `notes.${noteId}.body`, message: `${result.dropped} part(s) of an unknown kind were left out` });
  return result.doc;
}

export interface SearchItem {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly updatedAt: number;
}

/** Every live note as plain text, for the search index. */
export function notesForSearch(doc: Y.Doc): { readonly items: readonly SearchItem[]; readonly problems: readonly SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const index = readNotesIndex(doc, problems);
  const items = [...index.live.values()].map((note) => ({
    id: note.id,
    title: note.title,
    text: richTextToPlainText(readNoteBody(doc, note.id, problems)),
    updatedAt: note.updatedAt,
  }));
  return { items, problems };
}
