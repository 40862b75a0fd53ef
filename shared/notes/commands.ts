// The named changes to a community's notes: create, rename, move under another page, delete (soft,
// so it can be undone) and restore, and stamping who edited a body last. One transaction each.
import * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { ID_PATTERN, newId } from '../ids.js';
import { readNoteFields, readNotesIndex } from './queries.js';
import {
  BODY_KEY,
  NOTES_KEY,
  NOTE_LIMITS,
  NOTE_RECORD_VERSION,
  newNoteMap,
  noteFieldsSchema,
  noteTitleSchema,
  type NoteRecord,
} from './schema.js';
import { CommandError, describeZodError, LOCAL_ORIGIN } from '../doc/records.js';

export function notesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(NOTES_KEY);
}

export interface NewNote extends Actor {
  readonly title: string;
  readonly parentId?: string | null;
  readonly id?: string;
}

export function createNote(doc: Y.Doc, input: NewNote): NoteRecord {
  checkActor(input);
  const now = input.now ?? Date.now();
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const index = readNotesIndex(doc);
    const parent = index.live.get(parentId);
    if (!parent) throw new CommandError('The page to add this note under is gone.');
    if (index.depthOf(parentId) + 1 >= NOTE_LIMITS.depth) throw new CommandError(`Pages nest at most ${NOTE_LIMITS.depth} levels deep.`);
  }
  const parsed = noteFieldsSchema.safeParse({
    v: NOTE_RECORD_VERSION,
    id: input.id ?? newId(),
    title: input.title,
    parentId,
    createdAt: now,
    createdBy: input.by,
    updatedAt: now,
    updatedBy: input.by,
    deletedAt: null,
    deletedBy: null,
  });
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  const notes = notesMap(doc);
  if (notes.has(parsed.data.id)) throw new CommandError('A note with this id already exists.');
  doc.transact(() => notes.set(parsed.data.id, newNoteMap(parsed.data)), LOCAL_ORIGIN);
  return parsed.data;
}

export function renameNote(doc: Y.Doc, noteId: string, title: string, actor: Actor): NoteRecord {
  const { map } = existingNote(doc, noteId, actor);
  const parsed = noteTitleSchema.safeParse(title);
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  doc.transact(() => {
    if (map.get('title') !== parsed.data) map.set('title', parsed.data);
    stamp(map, actor);
  }, LOCAL_ORIGIN);
  return readOrThrow(map, noteId);
}

/** Moves a note under another page (or to the top with `null`); refuses to make a page its own ancestor. */
export function moveNote(doc: Y.Doc, noteId: string, parentId: string | null, actor: Actor): NoteRecord {
  const { map } = existingNote(doc, noteId, actor);
  if (parentId !== null) {
    const index = readNotesIndex(doc);
    if (!index.live.has(parentId)) throw new CommandError('The page to move this note under is gone.');
    if (parentId === noteId || index.ancestorsOf(parentId).includes(noteId))
      throw new CommandError('A page cannot go inside itself or one of its own sub-pages.');
    if (index.depthOf(parentId) + 1 + index.heightOf(noteId) > NOTE_LIMITS.depth) {
      throw new CommandError(`Pages nest at most ${NOTE_LIMITS.depth} levels deep.`);
    }
  }
  doc.transact(() => {
    if (map.get('parentId') !== parentId) map.set('parentId', parentId);
    stamp(map, actor);
  }, LOCAL_ORIGIN);
  return readOrThrow(map, noteId);
}

/** Moves a note to the trash; its sub-pages go with it and come back with it. Undo with restoreNote. */
export function deleteNote(doc: Y.Doc, noteId: string, actor: Actor): NoteRecord {
  const { map } = existingNote(doc, noteId, actor);
  const now = actor.now ?? Date.now();
  doc.transact(() => {
    map.set('deletedAt', now);
    map.set('deletedBy', actor.by);
  }, LOCAL_ORIGIN);
  return readOrThrow(map, noteId);
}

/** Brings a note back from the trash; if the page it was under is gone, it comes back at the top. */
export function restoreNote(doc: Y.Doc, noteId: string, actor: Actor): NoteRecord {
  const { map, fields } = existingNote(doc, noteId, actor);
  const index = readNotesIndex(doc);
  const parentAlive = fields.parentId === null || index.live.has(fields.parentId);
  doc.transact(() => {
    if (map.get('deletedAt') !== null) map.set('deletedAt', null);
    if (map.get('deletedBy') !== null) map.set('deletedBy', null);
    if (!parentAlive) map.set('parentId', null);
  }, LOCAL_ORIGIN);
  return readOrThrow(map, noteId);
}

/** Records that `actor` just edited the note's body; the editor calls it (throttled) while typing. */
export function recordNoteEdit(doc: Y.Doc, noteId: string, actor: Actor): void {
  const { map } = existingNote(doc, noteId, actor);
  doc.transact(() => stamp(map, actor), LOCAL_ORIGIN);
}

/**
 * The note's body, for TipTap's collaboration extension to bind to. This is the one place the UI holds
 * a Y type: rich text is edited through the binding, which writes in its own transactions.
 */
export function noteBody(doc: Y.Doc, noteId: string): Y.XmlFragment | null {
  if (!ID_PATTERN.test(noteId)) return null;
  const map = notesMap(doc).get(noteId);
  if (!(map instanceof Y.Map)) return null;
  const body = map.get(BODY_KEY);
  return body instanceof Y.XmlFragment ? body : null;
}

function stamp(map: Y.Map<unknown>, actor: Actor): void {
  map.set('updatedAt', actor.now ?? Date.now());
  if (map.get('updatedBy') !== actor.by) map.set('updatedBy', actor.by);
}

function existingNote(doc: Y.Doc, noteId: string, actor: Actor): { map: Y.Map<unknown>; fields: NoteRecord } {
  if (!ID_PATTERN.test(noteId)) throw new CommandError('That note is gone.');
  checkActor(actor);
  const map = notesMap(doc).get(noteId);
  if (!(map instanceof Y.Map)) throw new CommandError('That note is gone.');
  return { map, fields: readOrThrow(map, noteId) };
}

function readOrThrow(map: Y.Map<unknown>, noteId: string): NoteRecord {
  const read = readNoteFields(map, noteId);
  if (!read.ok) throw new CommandError(`That note could not be read (${read.message}).`);
  return read.note;
}
