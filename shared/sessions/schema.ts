// Sessions' records in the community document: where they live, their limits, and the validators every
// session query runs before the UI sees a session, an agenda item, a hand, an action item or a check-in.
//
//   sessions          Y.Map  sessionId → Y.Map {
//                       v, id, title, seriesId, scheduledAt, facilitatorId, noteId, startedAt, endedAt,
//                       createdAt, createdBy,
//                       run: RunState (plain, written whole: current item + timer, see README),
//                       speaker: { memberId, since, by } | null,
//                       hotSeatOrder: memberId[] (plain, written whole),
//                       agenda: Y.Map<itemId → Y.Map { id, title, kind, minutes, position, done }>,
//                       hands: Y.Map<memberId → { memberId, ticket, raisedAt }>,
//                       attendance: Y.Map<memberId → { firstSeenAt }>          (recorded from presence),
//                       attendanceEdits: Y.Map<memberId → { present, by, at }>  (set by hand; wins),
//                       actions: Y.Map<actionId → Y.Map { id, text, ownerId, dueDate, boardId, cardId, carriedFrom, createdAt, createdBy }>,
//                       checkIns: Y.Map<actionId of the previous session → { status, by, at }> }
//   sessionTemplates  Y.Map  templateId → { v, id, name, items: [{ title, kind, minutes }], createdAt, createdBy }
//   sessionSettings   Y.Map  actionBoardId → the board that action items become cards on
//
// Nested maps are created with their session, never later: two peers creating the same nested map at
// once would each drop the other's entries.
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { isPositionKey } from '../boards/order.js';
import { dueDateSchema } from '../boards/schema.js';

export const SESSION_TOP_LEVEL = { sessions: 'sessions', templates: 'sessionTemplates', settings: 'sessionSettings' } as const;

/** Version of the session record's shape; a reader skips (and reports) sessions from a newer one. */
export const SESSION_RECORD_VERSION = 1;
export const TEMPLATE_RECORD_VERSION = 1;

export const SESSION_LIMITS = {
  titleChars: 120,
  itemTitleChars: 120,
  itemsPerSession: 60,
  /** A time box is whole minutes; four hours is longer than any meeting item should be. */
  minMinutes: 1,
  maxMinutes: 240,
  /** The timer of one item, with every "+5 min", stops growing here. */
  maxTimerMs: 8 * 60 * 60_000,
  actionTextChars: 200,
  actionsPerSession: 100,
  templateNameChars: 60,
  templates: 50,
  hotSeats: 12,
} as const;

export const AGENDA_KINDS = ['topic', 'checkIn', 'hotSeat', 'commitments'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

export const AGENDA_KIND_LABELS = {
  topic: 'Topic',
  checkIn: 'Check-in',
  hotSeat: 'Hot seat',
  commitments: 'Commitments',
} as const satisfies Record<AgendaKind, string>;

export const CHECK_IN_STATUSES = ['done', 'notDone', 'carried'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export const CHECK_IN_LABELS = { done: 'Done', notDone: 'Not done', carried: 'Carried over' } as const satisfies Record<
  CheckInStatus,
  string
>;

const positionSchema = z.string().refine(isPositionKey, 'not an order key');
/** A Yjs client id: whose clock a timer reading is in (see timer.ts). */
const clientId = z.number().int().nonnegative().finite();

export const sessionTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the session a title.')
  .max(SESSION_LIMITS.titleChars, `Keep the title under ${SESSION_LIMITS.titleChars} characters.`);

export const agendaTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the agenda item a title.')
  .max(SESSION_LIMITS.itemTitleChars, `Keep agenda items under ${SESSION_LIMITS.itemTitleChars} characters.`);

/** Minutes of a time box, with a sentence for each way a number can be wrong. */
export const minutesSchema = z
  .number({ error: 'Give the time box in minutes.' })
  .refine((value) => Number.isFinite(value), 'Give the time box in minutes.')
  .refine((value) => value >= 0, 'A time box cannot be negative.')
  .refine((value) => value >= SESSION_LIMITS.minMinutes, `A time box is at least ${SESSION_LIMITS.minMinutes} minute.`)
  .refine((value) => value <= SESSION_LIMITS.maxMinutes, `Keep a time box to ${SESSION_LIMITS.maxMinutes} minutes (4 hours) or less.`)
  .refine((value) => Number.isInteger(value), 'Give the time box in whole minutes.');

export const actionTextSchema = z
  .string()
  .trim()
  .min(1, 'Write what the commitment is.')
  .max(SESSION_LIMITS.actionTextChars, `Keep a commitment under ${SESSION_LIMITS.actionTextChars} characters.`);

export const templateNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the template a name.')
  .max(SESSION_LIMITS.templateNameChars, `Keep the name under ${SESSION_LIMITS.templateNameChars} characters.`);

/**
 * The current item and its timer, written whole so that a "next" and a "pause" pressed at once
 * resolve to one of them on every peer, never a mix. Times are in the clock of Yjs client `clock`.
 */
export const runStateSchema = z.object({
  /** Null before the first item and after the last one. */
  itemId: id.nullable(),
  durationMs: z.number().int().nonnegative().max(SESSION_LIMITS.maxTimerMs),
  /** Time used before `startedAt` (summed over earlier runs of this timer). */
  elapsedMs: z
    .number()
    .int()
    .nonnegative()
    .max(SESSION_LIMITS.maxTimerMs * 2),
  /** When the timer last started running, in the writer's clock; null while it is paused. */
  startedAt: timestamp.nullable(),
  clock: clientId,
  /** Who last changed it, and when — also read from clock `clock`. */
  by: id,
  at: timestamp,
});
export type RunState = z.infer<typeof runStateSchema>;

export const speakerSchema = z.object({ memberId: id, since: timestamp, by: id });
export type Speaker = z.infer<typeof speakerSchema>;

export const sessionFieldsSchema = z.object({
  v: z.number().int().positive().max(SESSION_RECORD_VERSION),
  id,
  title: sessionTitleSchema,
  seriesId: id,
  scheduledAt: timestamp,
  facilitatorId: id,
  noteId: id.nullable(),
  startedAt: timestamp.nullable(),
  endedAt: timestamp.nullable(),
  createdAt: timestamp,
  createdBy: id,
  run: runStateSchema.nullable(),
  speaker: speakerSchema.nullable(),
  hotSeatOrder: z.array(id).max(200),
});
export type SessionFields = z.infer<typeof sessionFieldsSchema>;

export const agendaItemSchema = z.object({
  id,
  title: agendaTitleSchema,
  kind: z.enum(AGENDA_KINDS),
  minutes: minutesSchema,
  position: positionSchema,
  done: z.boolean(),
});
export type AgendaItemRecord = z.infer<typeof agendaItemSchema>;

export const handSchema = z.object({ memberId: id, ticket: z.number().int().nonnegative(), raisedAt: timestamp });
export type HandRecord = z.infer<typeof handSchema>;

export const presenceRecordSchema = z.object({ firstSeenAt: timestamp });
export const attendanceEditSchema = z.object({ present: z.boolean(), by: id, at: timestamp });

export const actionItemSchema = z.object({
  id,
  text: actionTextSchema,
  ownerId: id,
  dueDate: dueDateSchema.nullable(),
  boardId: id.nullable(),
  cardId: id.nullable(),
  /** The session this commitment was first made in, when it was carried over from there. */
  carriedFrom: id.nullable(),
  createdAt: timestamp,
  createdBy: id,
});
export type ActionItemRecord = z.infer<typeof actionItemSchema>;

export const checkInSchema = z.object({ status: z.enum(CHECK_IN_STATUSES), by: id, at: timestamp });
export type CheckInRecord = z.infer<typeof checkInSchema>;

export const templateItemSchema = z.object({ title: agendaTitleSchema, kind: z.enum(AGENDA_KINDS), minutes: minutesSchema });
export type TemplateItem = z.infer<typeof templateItemSchema>;

export const templateRecordSchema = z.object({
  v: z.number().int().positive().max(TEMPLATE_RECORD_VERSION),
  id,
  name: templateNameSchema,
  items: z.array(templateItemSchema).max(SESSION_LIMITS.itemsPerSession),
  createdAt: timestamp,
  createdBy: id,
});
export type TemplateRecord = z.infer<typeof templateRecordSchema>;
