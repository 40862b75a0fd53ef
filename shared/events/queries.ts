// Reads of events: what is coming up (with each event's next occurrence and its RSVPs), one event, and
// the occurrences the community home shows. Malformed records are skipped and reported.
import * as Y from 'yjs';
import { occurrencesAfter, type Occurrence } from './recurrence.js';
import {
  EVENTS_KEY,
  EVENT_RECORD_VERSION,
  RSVPS_KEY,
  RSVP_ANSWERS,
  eventFieldsSchema,
  rsvpSchema,
  rsvpKey,
  type EventFields,
  type RsvpAnswer,
  type RsvpRecord,
} from './schema.js';
import { plainValue, type Read, readEntries, readRecordFields, type RecordType, type SchemaProblem } from '../doc/records.js';

export interface RsvpTally {
  readonly yes: readonly string[];
  readonly maybe: readonly string[];
  readonly no: readonly string[];
}

export interface EventView extends EventFields {
  /** The next occurrence that has not ended, or null when the event is over. */
  readonly next: Occurrence | null;
  /** A few occurrences from the next one on (one for a one-off event). */
  readonly upcoming: readonly Occurrence[];
  /** Answers for the next occurrence, member ids sorted by when they answered. */
  readonly rsvps: RsvpTally;
  /** Every readable RSVP, for any occurrence. */
  readonly allRsvps: readonly RsvpRecord[];
}

const OVERWRITTEN_EVENT_FIELDS = { sessionId: null, description: '' };

// RSVPs are read on their own (readRsvps), which reports a record whose RSVPs are not a map.
const EVENT: RecordType<EventFields> = {
  what: 'event',
  version: EVENT_RECORD_VERSION,
  schema: eventFieldsSchema,
  separate: [RSVPS_KEY],
  defaults: OVERWRITTEN_EVENT_FIELDS,
};

export function readEventFields(value: unknown, key: string): Read<EventFields> {
  return readRecordFields(value, key, EVENT);
}

function readRsvps(record: Y.Map<unknown>, where: string, problems: SchemaProblem[]): RsvpRecord[] {
  const map = record.get(RSVPS_KEY);
  if (!(map instanceof Y.Map)) {
    problems.push({ where: `${where}.rsvps`, message: 'not a map' });
    return [];
  }
  const rsvps = readEntries(map, rsvpSchema, `${where}.rsvps`, problems, (rsvp) => rsvpKey(rsvp.memberId, rsvp.occurrence), plainValue);
  return rsvps.sort((a, b) => a.at - b.at || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

export function tallyRsvps(rsvps: readonly RsvpRecord[], occurrence: string | null): RsvpTally {
  const tally: Record<RsvpAnswer, string[]> = { yes: [], maybe: [], no: [] };
  if (occurrence !== null)
    for (const rsvp of rsvps)
      if (rsvp.occurrence === occurrence && RSVP_ANSWERS.includes(rsvp.answer)) tally[rsvp.answer].push(rsvp.memberId);
  return tally;
}

function view(fields: EventFields, rsvps: readonly RsvpRecord[], now: number): EventView {
  const upcoming = occurrencesAfter(fields, now, fields.recurrence === 'none' ? 1 : 4);
  const next = upcoming[0] ?? null;
  return { ...fields, next, upcoming, rsvps: tallyRsvps(rsvps, next?.date ?? null), allRsvps: rsvps };
}

export interface EventsList {
  /** Events still to come (or under way), by their next occurrence. */
  readonly upcoming: readonly EventView[];
  /** Events that are over, the latest first. */
  readonly past: readonly EventView[];
  readonly problems: readonly SchemaProblem[];
}

export function listEvents(doc: Y.Doc, now = Date.now()): EventsList {
  const problems: SchemaProblem[] = [];
  const upcoming: EventView[] = [];
  const past: EventView[] = [];
  for (const [key, value] of doc.getMap(EVENTS_KEY).entries()) {
    const read = readEventFields(value, key);
    if (!read.ok) {
      problems.push({ where: `events.${key}`, message: read.message });
      continue;
    }
    const event = view(read.value, readRsvps(value as Y.Map<unknown>, `events.${key}`, problems), now);
    (event.next ? upcoming : past).push(event);
  }
  const byId = (a: EventView, b: EventView) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  upcoming.sort((a, b) => a.next!.start - b.next!.start || byId(a, b));
  past.sort((a, b) => b.start.localeCompare(a.start) || byId(a, b));
  return { upcoming, past, problems };
}

export function readEvent(doc: Y.Doc, eventId: string, now = Date.now()): EventView | null {
  const value = doc.getMap(EVENTS_KEY).get(eventId);
  const read = readEventFields(value, eventId);
  return read.ok ? view(read.value, readRsvps(value as Y.Map<unknown>, `events.${eventId}`, []), now) : null;
}

export function countUpcomingEvents(doc: Y.Doc, now = Date.now()): number {
  try {
    return listEvents(doc, now).upcoming.length;
  } catch {
    return 0;
  }
}

/** Every readable event, for the calendar export. */
export function allEvents(doc: Y.Doc): EventFields[] {
  const events: EventFields[] = [];
  for (const [key, value] of doc.getMap(EVENTS_KEY).entries()) {
    const read = readEventFields(value, key);
    if (read.ok) events.push(read.value);
  }
  return events.sort((a, b) => a.start.localeCompare(b.start) || (a.id < b.id ? -1 : 1));
}
