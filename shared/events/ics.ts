// Events as an iCalendar (.ics, RFC 5545) file that any calendar app imports: one event or the whole
// calendar. Times keep their zone (DTSTART;TZID=Europe/Berlin:…) with a VTIMEZONE built from the
// runtime's zone rules, so a weekly event stays at its local hour across daylight saving in every
// calendar. (The `ics` package writes only UTC or floating times, which would move such an event by
// an hour twice a year; this writer is small and checked against ical.js, a full parser, in tests.)
import type { EventFields } from './schema.js';
import { parseWallTime, wallTimeToInstant, zoneOffsetMs, zoneTransitions, type WallTime } from './time-zone.js';

export interface CalendarInfo {
  /** The community's name, shown by calendar apps as the calendar's name. */
  readonly name: string;
  /** When the file is made (DTSTAMP); for tests. */
  readonly now?: number;
}

/** How far ahead a recurring event's zone rules are written out. */
const RECURRING_ZONE_YEARS = 10;
const CRLF = '\r\n';
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu']);

/** TEXT value escaping (RFC 5545 §3.3.11), with control characters that no calendar shows removed. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/** Folds a content line at 75 octets of UTF-8 without splitting a character (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function wallStamp(wall: WallTime): string {
  return `${pad(wall.year, 4)}${pad(wall.month)}${pad(wall.day)}T${pad(wall.hour)}${pad(wall.minute)}00`;
}

function utcStamp(instant: number): string {
  const date = new Date(instant);
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}

function offsetStamp(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
}

/** The UTC fields of an instant that was already shifted by an offset, read as a wall time. */
function shiftedWall(shifted: number): WallTime {
  const date = new Date(shifted);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}

function isUtc(zone: string): boolean {
  return UTC_ZONES.has(zone);
}

/**
 * One VTIMEZONE for `zone` covering [from, to): the offset at `from`, then one observance per change
 * until `to`. One observance per change (rather than RDATE lists) is the form every parser reads the
 * same way; ical.js, for one, reads only the first value of an RDATE.
 */
function vtimezone(zone: string, from: number, to: number): string[] {
  const transitions = zoneTransitions(zone, from, to);
  const initialOffset = zoneOffsetMs(zone, from);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', start: string, offsetFrom: number, offsetTo: number) =>
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${start}`,
      `TZOFFSETFROM:${offsetStamp(offsetFrom)}`,
      `TZOFFSETTO:${offsetStamp(offsetTo)}`,
      `END:${kind}`,
    );
  // Daylight time is the larger offset of a pair; a zone with no changes in range is all standard.
  const initialKind = transitions[0] && transitions[0].offsetAfterMs < initialOffset ? 'DAYLIGHT' : 'STANDARD';
  observance(initialKind, wallStamp(shiftedWall(from + initialOffset)), initialOffset, initialOffset);
  for (const transition of transitions) {
    // An observance starts at a local time in the offset in force before the change.
    observance(
      transition.offsetAfterMs > transition.offsetBeforeMs ? 'DAYLIGHT' : 'STANDARD',
      wallStamp(shiftedWall(transition.at + transition.offsetBeforeMs)),
      transition.offsetBeforeMs,
      transition.offsetAfterMs,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

function eventLines(event: EventFields, stamp: number): string[] {
  const start = parseWallTime(event.start)!;
  const end = parseWallTime(event.end)!;
  const when = (wall: WallTime) => (isUtc(event.timeZone) ? `:${wallStamp(wall)}Z` : `;TZID=${event.timeZone}:${wallStamp(wall)}`);
  const lines = [
    'BEGIN:VEVENT',
    `UID:${event.id}@hearth.invalid`,
    `DTSTAMP:${utcStamp(stamp)}`,
    `CREATED:${utcStamp(event.createdAt)}`,
    `LAST-MODIFIED:${utcStamp(event.updatedAt)}`,
    `DTSTART${when(start)}`,
    `DTEND${when(end)}`,
    `SUMMARY:${escapeText(event.title)}`,
  ];
  if (event.description.trim()) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.recurrence === 'weekly') lines.push('RRULE:FREQ=WEEKLY');
  if (event.recurrence === 'monthly') lines.push(`RRULE:FREQ=MONTHLY;BYMONTHDAY=${start.day}`);
  lines.push('END:VEVENT');
  return lines;
}

/** The .ics text for `events` (one or many): CRLF line ends, folded lines, one VTIMEZONE per zone. */
export function eventsToIcs(events: readonly EventFields[], calendar: CalendarInfo): string {
  const stamp = calendar.now ?? Date.now();
  const spans = new Map<string, { from: number; to: number }>();
  for (const event of events) {
    if (isUtc(event.timeZone)) continue;
    const start = wallTimeToInstant(parseWallTime(event.start)!, event.timeZone);
    const end = wallTimeToInstant(parseWallTime(event.end)!, event.timeZone);
    const year = new Date(start).getUTCFullYear();
    const from = Date.UTC(year, 0, 1);
    const to =
      event.recurrence === 'none' ? Date.UTC(new Date(end).getUTCFullYear() + 1, 0, 1) : Date.UTC(year + RECURRING_ZONE_YEARS, 0, 1);
    const span = spans.get(event.timeZone);
    spans.set(event.timeZone, span ? { from: Math.min(span.from, from), to: Math.max(span.to, to) } : { from, to });
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hearth//Hearth community calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    ...[...spans.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([zone, span]) => vtimezone(zone, span.from, span.to)),
    ...events.flatMap((event) => eventLines(event, stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** A file name for an export: the title's letters, digits and spaces, or "calendar". */
export function icsFileName(title: string): string {
  const cleaned = title
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} _-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  return `${cleaned || 'calendar'}.ics`;
}
