// A note's record: its fields, its validator and its limits. Each note is a Y.Map under the community
// document's top-level `notes` map, so a rename and a move by two members merge field by field, and
// its body is a Y.XmlFragment that TipTap's collaboration extension binds to directly.
import * as Y from 'yjs';
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import type { RichTextLimits } from '../rich-text/rich-text.js';

export const NOTES_KEY = 'notes';

/** Version of the note record's shape; a reader skips (and reports) notes from a newer one. */
export const NOTE_RECORD_VERSION = 1;

export const NOTE_LIMITS = {
  titleChars: 200,
  /**
   * A note body's text; the editor refuses to grow a body past it and says why. Measured in headless
   * Chromium (the e2e setup, React's development build) by pasting into a note and typing: at 2,000
   * characters a keystroke took 34 ms, at 100,000 68 ms (opening the note 1.1 s), at 200,000 90 ms
   * (2.8 s), and at 1 MB 171 ms with 3.2 s for the paste and 7.3 s to open the note again. About
   * 30 pages of text stays comfortably responsive; longer belongs in pages inside the page.
   */
  bodyChars: 100_000,
  /** Nesting of pages under pages. */
  depth: 8,
} as const;

/** What export and search accept from a body a peer wrote; larger bodies are cut, not crashed on. */
export const NOTE_BODY_READ_LIMITS: RichTextLimits = { maxTextChars: 2_000_000, maxNodes: 200_000, maxDepth: 32 };

export const BODY_KEY = 'body';

export const noteTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the note a title.')
  .max(NOTE_LIMITS.titleChars, `Keep the title under ${NOTE_LIMITS.titleChars} characters.`);

export const noteFieldsSchema = z.object({
  v: z.number().int().positive().max(NOTE_RECORD_VERSION),
  id,
  title: noteTitleSchema,
  parentId: id.nullable(),
  createdAt: timestamp,
  createdBy: id,
  updatedAt: timestamp,
  updatedBy: id,
  deletedAt: timestamp.nullable(),
  deletedBy: id.nullable(),
});

export type NoteFields = z.infer<typeof noteFieldsSchema>;

/** A note as queries return it: its fields, plain data only (the body stays in the document). */
export type NoteRecord = NoteFields;

export function newNoteMap(fields: NoteFields): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  map.set(BODY_KEY, new Y.XmlFragment());
  return map;
}
