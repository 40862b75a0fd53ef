// Boards' records in the community document: where they live, their limits and the validators every
// board query runs before the UI sees a board, a column or a card.
//
//   boards        Y.Map  boardId  → Y.Map { id, name, createdAt, createdBy }
//   boardColumns  Y.Map  columnId → Y.Map { id, boardId, name, position }
//   boardCards    Y.Map  cardId   → Y.Map { id, boardId, place: { columnId, position }, title, description,
//                                           dueDate, assignees: Y.Map<memberId → true>,
//                                           labels: Y.Map<label → true>, checklist: Y.Map<itemId → item>,
//                                           comments: Y.Map<commentId → comment>, createdAt, createdBy,
//                                           updatedAt }
//
// Every record is a Y.Map so that members editing different fields at once both keep their edit. A
// card's column and its position travel together in `place`, one value, so two concurrent moves can
// never mix one's column with the other's position. Nested maps are created with their card, never
// later: two peers creating the same nested map at once would each drop the other's entries.
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { isPositionKey } from './order.js';

export const BOARD_TOP_LEVEL = { boards: 'boards', columns: 'boardColumns', cards: 'boardCards' } as const;

export const BOARD_LIMITS = {
  boardNameChars: 80,
  columnNameChars: 60,
  columnsPerBoard: 30,
  cardTitleChars: 200,
  cardDescriptionChars: 10_000,
  labelChars: 24,
  labelsPerCard: 10,
  checklistItemChars: 300,
  checklistItemsPerCard: 100,
  commentChars: 4_000,
} as const;

export const DEFAULT_COLUMNS = ['To do', 'Doing', 'Done'] as const;

export const positionSchema = z.string().refine(isPositionKey, 'not an order key');

export const boardNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the board a name.')
  .max(BOARD_LIMITS.boardNameChars, `Keep the board’s name under ${BOARD_LIMITS.boardNameChars} characters.`);

export const columnNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the column a name.')
  .max(BOARD_LIMITS.columnNameChars, `Keep the column’s name under ${BOARD_LIMITS.columnNameChars} characters.`);

export const cardTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the card a title.')
  .max(BOARD_LIMITS.cardTitleChars, `Keep the title under ${BOARD_LIMITS.cardTitleChars} characters.`);

export const cardDescriptionSchema = z
  .string()
  .max(
    BOARD_LIMITS.cardDescriptionChars,
    `Keep the description under ${BOARD_LIMITS.cardDescriptionChars.toLocaleString('en')} characters.`,
  );

/** Labels are short, lower-case words, so “Urgent” and “urgent ” are one label. */
export const labelSchema = z
  .string()
  .transform((value) => value.trim().replace(/\s+/g, ' ').toLowerCase())
  .pipe(
    z.string().min(1, 'A label needs a word.').max(BOARD_LIMITS.labelChars, `Keep labels under ${BOARD_LIMITS.labelChars} characters.`),
  );

/** A calendar day, as `<input type="date">` gives it; no time zone, so it means the same day everywhere. */
export const dueDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2025-03-31.')
  .refine(
    (value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'That date does not exist.',
  );

export const checklistTextSchema = z
  .string()
  .trim()
  .min(1, 'Write what needs doing.')
  .max(BOARD_LIMITS.checklistItemChars, `Keep checklist items under ${BOARD_LIMITS.checklistItemChars} characters.`);

export const commentBodySchema = z
  .string()
  .trim()
  .min(1, 'Write something first.')
  .max(BOARD_LIMITS.commentChars, `Keep comments under ${BOARD_LIMITS.commentChars.toLocaleString('en')} characters.`);

/**
 * Versions of the board, column and card records' shapes, stored as `v` (records from before versions
 * read as 1) and checked by the queries (readVersioned) rather than kept in the views.
 */
export const BOARD_RECORD_VERSION = 1;
export const COLUMN_RECORD_VERSION = 1;
export const CARD_RECORD_VERSION = 1;

export const boardRecordSchema = z.object({
  id,
  name: boardNameSchema,
  createdAt: timestamp,
  createdBy: id,
});
export type BoardRecord = z.infer<typeof boardRecordSchema>;

export const columnRecordSchema = z.object({
  id,
  boardId: id,
  name: columnNameSchema,
  position: positionSchema,
});
export type ColumnRecord = z.infer<typeof columnRecordSchema>;

export const placeSchema = z.object({ columnId: id, position: positionSchema });
export type CardPlace = z.infer<typeof placeSchema>;

export const checklistItemSchema = z.object({
  id,
  text: checklistTextSchema,
  done: z.boolean(),
  position: positionSchema,
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const commentSchema = z.object({
  id,
  authorId: id,
  body: commentBodySchema,
  createdAt: timestamp,
});
export type CardComment = z.infer<typeof commentSchema>;

/**
 * The card's own fields. `place`, assignees, labels, checklist items and comments are checked one by
 * one by the queries, so one bad entry hides that entry, not the whole card.
 */
export const cardCoreSchema = z.object({
  id,
  boardId: id,
  title: cardTitleSchema,
  description: cardDescriptionSchema,
  dueDate: dueDateSchema.nullable(),
  createdAt: timestamp,
  createdBy: id,
  updatedAt: timestamp,
});
