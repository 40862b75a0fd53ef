// Wall-clock times in a named (IANA) time zone and the instants they mean, with Intl as the only
// source of zone rules, so shared/ needs no time-zone database of its own.
//
// An event is stored as the wall time its organiser typed ("2025-03-31T19:00") plus their zone
// ("Europe/Berlin"), as iCalendar does with TZID: a weekly event stays at 19:00 in Berlin across
// daylight-saving changes, and each member's app shows the instant in their own zone.

export interface WallTime {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_MS = 24 * 60 * 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` names a time zone this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instant`, in ms (Berlin in winter: +3,600,000). */
export function zoneOffsetMs(zone: string, instant: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? NaN);
  const era = parts.find((part) => part.type === 'era')?.value;
  const year = era === 'BC' || era === 'B' ? 1 - get('year') : get('year');
  const asUtc = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

export function instantToWallTime(instant: number, zone: string): WallTime {
  const shifted = new Date(instant + zoneOffsetMs(zone, instant));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

function sameWall(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

/**
 * The instant a wall time in `zone` means. As RFC 5545 says: a time that happens twice (clocks going
 * back) is the first of the two; a time that never happens (clocks going forward) is read with the
 * offset from before the change, so 02:30 on a spring-forward night in Berlin is 03:30 summer time.
 */
export function wallTimeToInstant(wall: WallTime, zone: string): number {
  const asUtc = wallAsUtc(wall);
  const before = zoneOffsetMs(zone, asUtc - DAY_MS);
  const offsets = [...new Set([before, zoneOffsetMs(zone, asUtc), zoneOffsetMs(zone, asUtc + DAY_MS)])];
  const valid = offsets.map((offset) => asUtc - offset).filter((instant) => sameWall(instantToWallTime(instant, zone), wall));
  return valid.length > 0 ? Math.min(...valid) : asUtc - before;
}

/** "2025-03-31T19:00" → its parts, or null unless it is a real date and time. */
export function parseWallTime(value: unknown): WallTime | null {
  if (typeof value !== 'string') return null;
  const match = WALL_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || hour > 23 || minute > 59) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day, hour, minute };
}

export function formatWallTime(wall: WallTime): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

export function wallDate(wall: WallTime): string {
  return formatWallTime(wall).slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Plain calendar arithmetic on a wall time (no zone): minutes and days carry over as on a calendar. */
export function addToWall(wall: WallTime, change: { readonly days?: number; readonly minutes?: number }): WallTime {
  const shifted = new Date(wallAsUtc(wall) + (change.days ?? 0) * DAY_MS + (change.minutes ?? 0) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

/** Minutes from one wall time to another, as a calendar counts them. */
export function wallMinutesBetween(from: WallTime, to: WallTime): number {
  return Math.round((wallAsUtc(to) - wallAsUtc(from)) / 60_000);
}

export interface ZoneTransition {
  readonly at: number;
  readonly offsetBeforeMs: number;
  readonly offsetAfterMs: number;
}

/** Every change of the zone's offset in [from, to), found by sampling daily and bisecting to the minute. */
export function zoneTransitions(zone: string, from: number, to: number): ZoneTransition[] {
  const transitions: ZoneTransition[] = [];
  let previousAt = from;
  let previousOffset = zoneOffsetMs(zone, from);
  for (let at = from + DAY_MS; at < to + DAY_MS; at += DAY_MS) {
    const sampleAt = Math.min(at, to);
    const offset = zoneOffsetMs(zone, sampleAt);
    if (offset !== previousOffset) {
      let low = previousAt;
      let high = sampleAt;
      while (high - low > 60_000) {
        const middle = low + Math.floor((high - low) / 2 / 60_000) * 60_000 || low + 60_000;
        if (zoneOffsetMs(zone, middle) === previousOffset) low = middle;
        else high = middle;
      }
      if (high < to) transitions.push({ at: high, offsetBeforeMs: previousOffset, offsetAfterMs: offset });
    }
    previousAt = sampleAt;
    previousOffset = offset;
    if (sampleAt >= to) break;
  }
  return transitions;
}
