// When an event happens: its occurrences (one, or one a week or a month at the same local time in its
// zone), and which of them is next. Monthly events on the 29th–31st skip months without that day, as
// RFC 5545's RRULE:FREQ=MONTHLY does, so the exported calendar and the app agree.
import type { EventFields } from './schema.js';
import { addToWall, daysInMonth, parseWallTime, wallDate, wallMinutesBetween, wallTimeToInstant, type WallTime } from './time-zone.js';

export interface Occurrence {
  /** The start date in the event's zone: what an RSVP names. */
  readonly date: string;
  readonly start: number;
  readonly end: number;
}

type Timing = Pick<EventFields, 'start' | 'end' | 'timeZone' | 'recurrence'>;

/** How far ahead and back occurrences are looked for. */
const MAX_STEPS = 5_000;

function nthStart(first: WallTime, timing: Timing, step: number): WallTime | null {
  if (step === 0) return first;
  if (timing.recurrence === 'weekly') return addToWall(first, { days: 7 * step });
  if (timing.recurrence === 'monthly') {
    const months = first.month - 1 + step;
    const year = first.year + Math.floor(months / 12);
    const month = (((months % 12) + 12) % 12) + 1;
    return first.day <= daysInMonth(year, month) ? { ...first, year, month } : null;
  }
  return null;
}

function occurrenceAt(first: WallTime, lengthMinutes: number, timing: Timing, step: number): Occurrence | null {
  const start = nthStart(first, timing, step);
  if (!start) return null;
  return {
    date: wallDate(start),
    start: wallTimeToInstant(start, timing.timeZone),
    end: wallTimeToInstant(addToWall(start, { minutes: lengthMinutes }), timing.timeZone),
  };
}

/** Occurrences that have not ended by `after`, soonest first, at most `limit` of them. */
export function occurrencesAfter(timing: Timing, after: number, limit: number): Occurrence[] {
  const first = parseWallTime(timing.start);
  const last = parseWallTime(timing.end);
  if (!first || !last) return [];
  const lengthMinutes = wallMinutesBetween(first, last);
  const found: Occurrence[] = [];
  if (timing.recurrence === 'none') {
    const only = occurrenceAt(first, lengthMinutes, timing, 0)!;
    return only.end > after && limit > 0 ? [only] : [];
  }
  // Skip straight to about where `after` falls, one step early to be safe.
  const firstStart = wallTimeToInstant(first, timing.timeZone);
  const stepMs = timing.recurrence === 'weekly' ? 7 * 24 * 60 * 60_000 : 28 * 24 * 60 * 60_000;
  let step = Math.max(0, Math.floor((after - firstStart) / stepMs) - (timing.recurrence === 'weekly' ? 1 : 2));
  if (timing.recurrence === 'monthly') {
    // Months vary in length; count calendar months instead.
    const at = new Date(after);
    step = Math.max(0, (at.getUTCFullYear() - first.year) * 12 + at.getUTCMonth() + 1 - first.month - 2);
  }
  for (let tried = 0; found.length < limit && tried < MAX_STEPS; tried += 1, step += 1) {
    const occurrence = occurrenceAt(first, lengthMinutes, timing, step);
    if (occurrence && occurrence.end > after) found.push(occurrence);
  }
  return found;
}

/** The occurrence that starts on `date` (in the event's zone), if the event has one. */
export function occurrenceOn(timing: Timing, date: string): Occurrence | null {
  const first = parseWallTime(timing.start);
  const last = parseWallTime(timing.end);
  const day = parseWallTime(`${date}T00:00`);
  if (!first || !last || !day) return null;
  const lengthMinutes = wallMinutesBetween(first, last);
  let step = 0;
  if (timing.recurrence === 'weekly') {
    const days = Math.round(wallMinutesBetween({ ...first, hour: 0, minute: 0 }, day) / (24 * 60));
    if (days % 7 !== 0) return null;
    step = days / 7;
  } else if (timing.recurrence === 'monthly') {
    if (day.day !== first.day) return null;
    step = (day.year - first.year) * 12 + day.month - first.month;
  }
  if (step < 0) return null;
  const occurrence = occurrenceAt(first, lengthMinutes, timing, step);
  return occurrence && occurrence.date === date ? occurrence : null;
}
