// Polls' records in the community document, their limits and validators.
//
//   polls  Y.Map  pollId → Y.Map { v, id, question, kind, closesAt, closedAt, closedBy, timeZone, eventId,
//                                  createdAt, createdBy,
//                                  options: Y.Map<optionId → { id, label, start, end, position, removedAt }>,
//                                  ballots: Y.Map<memberId → { memberId, answers: { optionId: answer }, at }> }
//
// One vote per member: a member's ballot is one value under their id, replaced whole when they change
// it, so two devices voting at once leave one ballot (the same one on every peer), never two and never
// a mix. Options are removed softly (removedAt), so a ballot that names one still reads: that answer
// just stops counting, and its voter is told.
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { isPositionKey } from '../boards/order.js';
import { timeZoneSchema, wallTimeSchema } from '../events/schema.js';

export const POLLS_KEY = 'polls';
export const POLL_RECORD_VERSION = 1;

export const POLL_LIMITS = {
  questionChars: 200,
  optionChars: 120,
  minOptions: 2,
  maxOptions: 20,
} as const;

export const POLL_KINDS = ['single', 'multiple', 'schedule'] as const;
export type PollKind = (typeof POLL_KINDS)[number];
export const POLL_KIND_LABELS = { single: 'One choice', multiple: 'Several choices', schedule: 'Find a time' } as const satisfies Record<
  PollKind,
  string
>;

/** Choice polls use only "yes"; a scheduling poll asks yes / if need be / no for each time. */
export const ANSWERS = ['yes', 'ifNeedBe', 'no'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_LABELS = { yes: 'Yes', ifNeedBe: 'If need be', no: 'No' } as const satisfies Record<Answer, string>;

export const questionSchema = z
  .string()
  .trim()
  .min(1, 'Ask a question.')
  .max(POLL_LIMITS.questionChars, `Keep the question under ${POLL_LIMITS.questionChars} characters.`);

export const optionLabelSchema = z
  .string()
  .trim()
  .min(1, 'An option needs some words.')
  .max(POLL_LIMITS.optionChars, `Keep options under ${POLL_LIMITS.optionChars} characters.`);

export const pollFieldsSchema = z.object({
  v: z.number().int().positive().max(POLL_RECORD_VERSION),
  id,
  question: questionSchema,
  kind: z.enum(POLL_KINDS),
  closesAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  closedBy: id.nullable(),
  /** The zone a scheduling poll's times are in. */
  timeZone: timeZoneSchema.nullable(),
  /** The event a scheduling poll was turned into. */
  eventId: id.nullable(),
  createdAt: timestamp,
  createdBy: id,
});
export type PollFields = z.infer<typeof pollFieldsSchema>;

export const optionSchema = z.object({
  id,
  /** Empty for a scheduling poll's times, which read from start and end. */
  label: z.string().trim().max(POLL_LIMITS.optionChars),
  start: wallTimeSchema.nullable(),
  end: wallTimeSchema.nullable(),
  position: z.string().refine(isPositionKey, 'not an order key'),
  removedAt: timestamp.nullable(),
});
export type PollOption = z.infer<typeof optionSchema>;

export const ballotSchema = z.object({
  memberId: id,
  answers: z.record(id, z.enum(ANSWERS)),
  at: timestamp,
});
export type Ballot = z.infer<typeof ballotSchema>;
