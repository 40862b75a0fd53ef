// Every change to events: schedule, edit, cancel, and RSVP. Each validates its input and runs in one
// transaction with the local origin.
import * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { ID_PATTERN, newId } from '../ids.js';
import { sessionRecord } from '../sessions/doc.js';
import { occurrenceOn } from './recurrence.js';
import {
  EVENTS_KEY,
  EVENT_LIMITS,
  EVENT_RECORD_VERSION,
  RECURRENCES,
  RSVPS_KEY,
  RSVP_ANSWERS,
  eventDescriptionSchema,
  eventTitleSchema,
  rsvpKey,
  timeZoneSchema,
  wallTimeSchema,
  type Recurrence,
  type RsvpAnswer,
} from './schema.js';
import { parseWallTime, wallTimeToInstant } from './time-zone.js';
import { readEventFields } from './queries.js';
import { CommandError, LOCAL_ORIGIN, parse } from '../doc/records.js';

export function eventsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(EVENTS_KEY);
}

export interface EventTiming {
  /** Wall time in `timeZone`, as "2025-03-31T19:00" (what <input type="datetime-local"> gives). */
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  readonly recurrence?: Recurrence;
}

/** Checks that an event's times make sense, with a sentence for each way they can be wrong. */
export function checkTiming(timing: EventTiming): { start: string; end: string; timeZone: string; recurrence: Recurrence } {
  const start = parse(wallTimeSchema, timing.start);
  const end = parse(wallTimeSchema, timing.end);
  const timeZone = parse(timeZoneSchema, timing.timeZone);
  const recurrence = timing.recurrence ?? 'none';
  if (!RECURRENCES.includes(recurrence)) throw new CommandError('Choose how often it repeats.');
  const startsAt = wallTimeToInstant(parseWallTime(start)!, timeZone);
  const endsAt = wallTimeToInstant(parseWallTime(end)!, timeZone);
  if (endsAt < startsAt) throw new CommandError('The event ends before it starts. Check the end date and time.');
  if (endsAt === startsAt) throw new CommandError('The event ends the moment it starts. Give it an end time after the start.');
  if (endsAt - startsAt > EVENT_LIMITS.maxDurationDays * 24 * 60 * 60_000)
    throw new CommandError(`Keep an event to ${EVENT_LIMITS.maxDurationDays} days or less.`);
  return { start, end, timeZone, recurrence };
}

export interface NewEvent extends Actor, EventTiming {
  readonly title: string;
  readonly description?: string;
  readonly sessionId?: string | null;
  readonly id?: string;
}

function checkSession(doc: Y.Doc, sessionId: string | null | undefined): string | null {
  if (sessionId === null || sessionId === undefined || sessionId === '') return null;
  if (!ID_PATTERN.test(sessionId) || !sessionRecord(doc, sessionId)) throw new CommandError('That session no longer exists.');
  return sessionId;
}

export function createEvent(doc: Y.Doc, input: NewEvent): string {
  checkActor(input);
  const title = parse(eventTitleSchema, input.title);
  const description = parse(eventDescriptionSchema, (input.description ?? '').trim());
  const timing = checkTiming(input);
  const sessionId = checkSession(doc, input.sessionId);
  const id = input.id ?? newId();
  if (!ID_PATTERN.test(id)) throw new CommandError('That is not a valid event id.');
  const now = input.now ?? Date.now();
  const events = eventsMap(doc);
  doc.transact(() => {
    // An existing id is overwritten whole: see createEventFromPoll, where two facilitators turning
    // the same poll into an event at once must end with one event.
    const record = new Y.Map<unknown>();
    events.set(id, record);
    const fields = {
      v: EVENT_RECORD_VERSION,
      id,
      title,
      description,
      ...timing,
      sessionId,
      createdAt: now,
      createdBy: input.by,
      updatedAt: now,
      updatedBy: input.by,
    };
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
    record.set(RSVPS_KEY, new Y.Map<unknown>());
  }, LOCAL_ORIGIN);
  return id;
}

function requireEvent(doc: Y.Doc, eventId: string): { record: Y.Map<unknown>; rsvps: Y.Map<unknown> } {
  const record = eventsMap(doc).get(eventId);
  if (!(record instanceof Y.Map) || !readEventFields(record, eventId).ok) throw new CommandError('That event no longer exists.');
  const rsvps = record.get(RSVPS_KEY);
  if (!(rsvps instanceof Y.Map)) throw new CommandError('This event was saved in a shape this version of Hearth cannot change.');
  return { record, rsvps };
}

export interface EventEdit extends Partial<EventTiming> {
  readonly title?: string;
  readonly description?: string;
  readonly sessionId?: string | null;
}

/** Changes an event; its times are checked together, so an edit cannot leave it ending before it starts. */
export function updateEvent(doc: Y.Doc, eventId: string, edit: EventEdit, actor: Actor): void {
  checkActor(actor);
  const { record } = requireEvent(doc, eventId);
  const read = readEventFields(record, eventId);
  if (!read.ok) throw new CommandError('That event no longer exists.');
  const current = read.value;
  const changes: [string, unknown][] = [];
  if (edit.title !== undefined) changes.push(['title', parse(eventTitleSchema, edit.title)]);
  if (edit.description !== undefined) changes.push(['description', parse(eventDescriptionSchema, edit.description.trim())]);
  if (edit.start !== undefined || edit.end !== undefined || edit.timeZone !== undefined || edit.recurrence !== undefined) {
    const timing = checkTiming({
      start: edit.start ?? current.start,
      end: edit.end ?? current.end,
      timeZone: edit.timeZone ?? current.timeZone,
      recurrence: edit.recurrence ?? current.recurrence,
    });
    // The times travel together: two members changing start and end at once can then never leave an
    // event that ends before it starts.
    changes.push(['start', timing.start], ['end', timing.end], ['timeZone', timing.timeZone], ['recurrence', timing.recurrence]);
  }
  if (edit.sessionId !== undefined) changes.push(['sessionId', checkSession(doc, edit.sessionId)]);
  const changed = changes.filter(([key, value]) => record.get(key) !== value);
  if (changed.length === 0) return;
  doc.transact(() => {
    for (const [key, value] of changed) record.set(key, value);
    record.set('updatedAt', actor.now ?? Date.now());
    record.set('updatedBy', actor.by);
  }, LOCAL_ORIGIN);
}

export function deleteEvent(doc: Y.Doc, eventId: string): void {
  requireEvent(doc, eventId);
  doc.transact(() => eventsMap(doc).delete(eventId), LOCAL_ORIGIN);
}

/**
 * A member's answer for one occurrence (its start date in the event's zone), or null to take it back.
 * One entry per member and occurrence: answering again from another device replaces it.
 */
export function setRsvp(doc: Y.Doc, eventId: string, occurrence: string, answer: RsvpAnswer | null, actor: Actor): void {
  checkActor(actor);
  const { record, rsvps } = requireEvent(doc, eventId);
  if (answer !== null && !RSVP_ANSWERS.includes(answer)) throw new CommandError('Answer going, maybe or can’t go.');
  const read = readEventFields(record, eventId);
  if (!read.ok || !occurrenceOn(read.value, occurrence)) throw new CommandError('The event does not happen on that day.');
  const key = rsvpKey(actor.by, occurrence);
  doc.transact(() => {
    if (answer === null) rsvps.delete(key);
    else rsvps.set(key, { memberId: actor.by, occurrence, answer, at: actor.now ?? Date.now() });
  }, LOCAL_ORIGIN);
}
