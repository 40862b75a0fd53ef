// Events' records in the community document, their limits and validators.
//
//   events  Y.Map  eventId → Y.Map { v, id, title, description, start, end, timeZone, recurrence,
//                                    sessionId, createdAt, createdBy, updatedAt, updatedBy,
//                                    rsvps: Y.Map<"memberId occurrenceDate" → { memberId, occurrence, answer, at }> }
//
// `start` and `end` are wall times ("2025-03-31T19:00") in `timeZone` (an IANA name), as iCalendar's
// DTSTART;TZID= keeps them, so a weekly event stays at the same local hour across daylight saving.
// An RSVP is per member and per occurrence (the occurrence's start date in the event's zone), keyed
// by both, so a member has one answer per occurrence however many devices answer at once.
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { isTimeZone, parseWallTime } from './time-zone.js';

export const EVENTS_KEY = 'events';
export const RSVPS_KEY = 'rsvps';
export const EVENT_RECORD_VERSION = 1;

export const EVENT_LIMITS = {
  titleChars: 120,
  descriptionChars: 4_000,
  /** An event that runs longer than this is more likely a typo than a gathering. */
  maxDurationDays: 14,
} as const;

export const RECURRENCES = ['none', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export const RECURRENCE_LABELS = { none: 'Does not repeat', weekly: 'Every week', monthly: 'Every month' } as const satisfies Record<
  Recurrence,
  string
>;

export const RSVP_ANSWERS = ['yes', 'maybe', 'no'] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];
export const RSVP_LABELS = { yes: 'Going', maybe: 'Maybe', no: 'Can’t go' } as const satisfies Record<RsvpAnswer, string>;

export const eventTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give the event a title.')
  .max(EVENT_LIMITS.titleChars, `Keep the title under ${EVENT_LIMITS.titleChars} characters.`);

export const eventDescriptionSchema = z
  .string()
  .max(EVENT_LIMITS.descriptionChars, `Keep the description under ${EVENT_LIMITS.descriptionChars.toLocaleString('en')} characters.`);

export const wallTimeSchema = z.string().refine((value) => parseWallTime(value) !== null, 'Pick a date and a time.');
export const timeZoneSchema = z.string().refine(isTimeZone, 'Pick a time zone from the list.');

/** An occurrence's date: the day it starts on, in the event's own zone. */
export const occurrenceSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const eventFieldsSchema = z.object({
  v: z.number().int().positive().max(EVENT_RECORD_VERSION),
  id,
  title: eventTitleSchema,
  description: eventDescriptionSchema,
  start: wallTimeSchema,
  end: wallTimeSchema,
  timeZone: timeZoneSchema,
  recurrence: z.enum(RECURRENCES),
  sessionId: id.nullable(),
  createdAt: timestamp,
  createdBy: id,
  updatedAt: timestamp,
  updatedBy: id,
});
export type EventFields = z.infer<typeof eventFieldsSchema>;

export const rsvpSchema = z.object({ memberId: id, occurrence: occurrenceSchema, answer: z.enum(RSVP_ANSWERS), at: timestamp });
export type RsvpRecord = z.infer<typeof rsvpSchema>;

/** RSVPs are keyed "memberId occurrence"; an id never holds a space. */
export function rsvpKey(memberId: string, occurrence: string): string {
  return `${memberId} ${occurrence}`;
}
