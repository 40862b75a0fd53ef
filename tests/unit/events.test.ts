// Events: wall times in named zones (across daylight saving), weekly and monthly recurrence, RSVPs per
// occurrence, bad input, and the .ics export read back by ical.js, a full RFC 5545 parser.
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import * as Y from 'yjs';
import { createEvent, deleteEvent, setRsvp, updateEvent } from '../../shared/events/commands.js';
import { escapeText, eventsToIcs, foldLine, icsFileName } from '../../shared/events/ics.js';
import { allEvents, listEvents, readEvent } from '../../shared/events/queries.js';
import { occurrenceOn, occurrencesAfter } from '../../shared/events/recurrence.js';
import { isTimeZone, parseWallTime, wallTimeToInstant, zoneOffsetMs } from '../../shared/events/time-zone.js';
import { ADA, GRACE, LIN, communityDoc } from './content-fixtures.js';
import { CommandError } from '../../shared/doc/records.js';

const HOUR = 60 * 60_000;
const at = (iso: string) => Date.parse(iso);

function refused(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error.message;
    throw error;
  }
  throw new Error('expected the command to refuse');
}

describe('wall times in a time zone', () => {
  it('knows zones and their offsets, in summer and winter', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(zoneOffsetMs('Europe/Berlin', at('2025-01-15T12:00:00Z'))).toBe(HOUR);
    expect(zoneOffsetMs('Europe/Berlin', at('2025-07-15T12:00:00Z'))).toBe(2 * HOUR);
    expect(zoneOffsetMs('Asia/Kolkata', at('2025-07-15T12:00:00Z'))).toBe(5.5 * HOUR);
  });

  it('reads a time skipped by spring-forward as summer time, and a doubled one as its first', () => {
    expect(wallTimeToInstant(parseWallTime('2025-03-30T02:30')!, 'Europe/Berlin')).toBe(at('2025-03-30T01:30:00Z'));
    expect(wallTimeToInstant(parseWallTime('2025-10-26T02:30')!, 'Europe/Berlin')).toBe(at('2025-10-26T00:30:00Z'));
    expect(wallTimeToInstant(parseWallTime('2025-11-02T01:30')!, 'America/New_York')).toBe(at('2025-11-02T05:30:00Z'));
  });

  it('refuses dates that do not exist', () => {
    expect(parseWallTime('2025-02-29T10:00')).toBeNull();
    expect(parseWallTime('2024-02-29T10:00')).not.toBeNull();
    expect(parseWallTime('2025-13-01T10:00')).toBeNull();
    expect(parseWallTime('2025-01-01T24:00')).toBeNull();
    expect(parseWallTime('tomorrow')).toBeNull();
  });
});

describe('recurrence', () => {
  it('keeps a weekly event at its local hour across daylight saving', () => {
    const timing = { start: '2025-03-18T19:00', end: '2025-03-18T20:30', timeZone: 'Europe/Berlin', recurrence: 'weekly' as const };
    const next = occurrencesAfter(timing, at('2025-03-19T00:00:00Z'), 3);
    expect(next.map((occurrence) => [occurrence.date, new Date(occurrence.start).toISOString()])).toEqual([
      ['2025-03-25', '2025-03-25T18:00:00.000Z'],
      ['2025-04-01', '2025-04-01T17:00:00.000Z'],
      ['2025-04-08', '2025-04-08T17:00:00.000Z'],
    ]);
    expect(next[1]!.end - next[1]!.start).toBe(1.5 * HOUR);
    expect(occurrenceOn(timing, '2025-04-01')?.start).toBe(at('2025-04-01T17:00:00Z'));
    expect(occurrenceOn(timing, '2025-04-02')).toBeNull();
    expect(occurrenceOn(timing, '2025-03-11')).toBeNull();
  });

  it('skips months without the day of a monthly event, and finds occurrences far ahead quickly', () => {
    const timing = { start: '2025-01-31T18:00', end: '2025-01-31T19:00', timeZone: 'UTC', recurrence: 'monthly' as const };
    expect(occurrencesAfter(timing, at('2025-01-01T00:00:00Z'), 4).map((occurrence) => occurrence.date)).toEqual([
      '2025-01-31',
      '2025-03-31',
      '2025-05-31',
      '2025-07-31',
    ]);
    expect(occurrencesAfter(timing, at('2045-06-01T00:00:00Z'), 1).map((occurrence) => occurrence.date)).toEqual(['2045-07-31']);
    const weekly = { ...timing, start: '2025-01-01T18:00', end: '2025-01-01T19:00', recurrence: 'weekly' as const };
    expect(occurrencesAfter(weekly, at('2060-01-01T00:00:00Z'), 1)[0]!.date).toBe('2060-01-07');
  });

  it('a one-off event is over once it has ended', () => {
    const timing = { start: '2025-05-01T10:00', end: '2025-05-01T12:00', timeZone: 'Europe/Lisbon', recurrence: 'none' as const };
    expect(occurrencesAfter(timing, at('2025-05-01T10:30:00Z'), 5)).toHaveLength(1);
    expect(occurrencesAfter(timing, at('2025-05-01T11:00:00Z'), 5)).toEqual([]);
  });
});

describe('events and RSVPs', () => {
  const NOW = at('2025-03-01T12:00:00Z');

  it('schedules an event, lists it by its next occurrence, and takes one RSVP per member and occurrence', () => {
    const doc = communityDoc();
    const weekly = createEvent(doc, {
      title: 'Tuesday circle',
      start: '2025-03-04T19:00',
      end: '2025-03-04T20:00',
      timeZone: 'Europe/Berlin',
      recurrence: 'weekly',
      by: ADA,
      now: NOW,
    });
    const oneOff = createEvent(doc, {
      title: 'Spring retreat',
      start: '2025-03-03T09:00',
      end: '2025-03-03T17:00',
      timeZone: 'America/New_York',
      by: ADA,
      now: NOW,
    });
    expect(listEvents(doc, NOW).upcoming.map((event) => event.id)).toEqual([oneOff, weekly]);
    setRsvp(doc, weekly, '2025-03-04', 'yes', { by: GRACE, now: NOW });
    setRsvp(doc, weekly, '2025-03-04', 'maybe', { by: GRACE, now: NOW + 1 });
    setRsvp(doc, weekly, '2025-03-04', 'no', { by: LIN, now: NOW + 2 });
    setRsvp(doc, weekly, '2025-03-11', 'yes', { by: LIN, now: NOW + 3 });
    const event = readEvent(doc, weekly, NOW)!;
    expect(event.rsvps).toEqual({ yes: [], maybe: [GRACE], no: [LIN] });
    expect(event.upcoming.map((occurrence) => occurrence.date)).toEqual(['2025-03-04', '2025-03-11', '2025-03-18', '2025-03-25']);
    // A week later the next occurrence is the 11th, with its own answers.
    expect(readEvent(doc, weekly, at('2025-03-05T00:00:00Z'))!.rsvps).toEqual({ yes: [LIN], maybe: [], no: [] });
    setRsvp(doc, weekly, '2025-03-04', null, { by: GRACE });
    expect(readEvent(doc, weekly, NOW)!.rsvps.maybe).toEqual([]);
    expect(refused(() => setRsvp(doc, weekly, '2025-03-05', 'yes', { by: GRACE }))).toBe('The event does not happen on that day.');
    expect(listEvents(doc, at('2025-03-04T00:00:00Z')).upcoming.map((entry) => entry.id)).toEqual([weekly]);
    expect(listEvents(doc, at('2025-03-04T00:00:00Z')).past.map((entry) => entry.id)).toEqual([oneOff]);
    deleteEvent(doc, oneOff);
    expect(allEvents(doc).map((entry) => entry.id)).toEqual([weekly]);
  });

  it('refuses an event that ends before it starts, and an edit that would make it so', () => {
    const doc = communityDoc();
    const base = { title: 'Meetup', timeZone: 'Europe/Berlin', by: ADA };
    expect(refused(() => createEvent(doc, { ...base, start: '2025-03-04T19:00', end: '2025-03-04T18:00' }))).toBe(
      'The event ends before it starts. Check the end date and time.',
    );
    expect(refused(() => createEvent(doc, { ...base, start: '2025-03-04T19:00', end: '2025-03-04T19:00' }))).toBe(
      'The event ends the moment it starts. Give it an end time after the start.',
    );
    expect(refused(() => createEvent(doc, { ...base, start: '2025-03-04T19:00', end: '2025-04-04T19:00' }))).toBe(
      'Keep an event to 14 days or less.',
    );
    expect(refused(() => createEvent(doc, { ...base, start: '2025-02-30T19:00', end: '2025-03-04T19:00' }))).toBe(
      'Pick a date and a time.',
    );
    expect(
      refused(() => createEvent(doc, { ...base, timeZone: 'Nowhere/Special', start: '2025-03-04T19:00', end: '2025-03-04T20:00' })),
    ).toBe('Pick a time zone from the list.');
    expect(refused(() => createEvent(doc, { ...base, title: ' ', start: '2025-03-04T19:00', end: '2025-03-04T20:00' }))).toBe(
      'Give the event a title.',
    );
    const id = createEvent(doc, { ...base, start: '2025-03-04T19:00', end: '2025-03-04T20:00' });
    expect(refused(() => updateEvent(doc, id, { end: '2025-03-04T18:59' }, { by: ADA }))).toBe(
      'The event ends before it starts. Check the end date and time.',
    );
    updateEvent(doc, id, { start: '2025-03-05T19:00', end: '2025-03-05T21:00', recurrence: 'monthly' }, { by: GRACE, now: 5 });
    expect(readEvent(doc, id, 0)).toMatchObject({
      start: '2025-03-05T19:00',
      end: '2025-03-05T21:00',
      recurrence: 'monthly',
      updatedBy: GRACE,
    });
    // Same wall times, but on the other side of the Atlantic: still one hour, still fine.
    expect(allEvents(doc)).toHaveLength(1);
  });

  it('skips and reports an event a peer wrote in a shape it cannot read', () => {
    const doc = communityDoc();
    doc.transact(() => doc.getMap('events').set('brokenevent0001', new Y.Map()));
    const list = listEvents(doc, 0);
    expect(list.upcoming).toEqual([]);
    expect(list.problems.map((problem) => problem.where)).toEqual(['events.brokenevent0001']);
  });
});

describe('the .ics export', () => {
  const NOW = at('2025-03-01T12:00:00Z');

  function parse(text: string) {
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
    return calendar;
  }

  it('escapes odd characters, drops control characters and folds long lines without splitting a character', () => {
    expect(escapeText('a;b,c\\d\r\ne\u0007f\u0000')).toBe('a\\;b\\,c\\\\d\\nef');
    const folded = foldLine(`SUMMARY:${'🔥'.repeat(40)}`);
    for (const line of folded.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'🔥'.repeat(40)}`);
    expect(icsFileName('Tuesday: “circle” / 🔥 <b>')).toBe('Tuesday circle b.ics');
    expect(icsFileName('???')).toBe('calendar.ics');
  });

  it('is read back by ical.js with the same title, text and occurrences, across daylight saving', () => {
    const doc = communityDoc();
    const title = 'Circle; "Ünïcødé", commas\\backslashes\nand 🔥 — '.padEnd(110, 'x');
    const description = 'Bring:\n- notes, pens; snacks\n\u0007<script>alert(1)</script>';
    const id = createEvent(doc, {
      title,
      description,
      start: '2025-03-18T19:00',
      end: '2025-03-18T20:30',
      timeZone: 'Europe/Berlin',
      recurrence: 'weekly',
      by: ADA,
      now: NOW,
    });
    const text = eventsToIcs(allEvents(doc), { name: 'Tuesday Mastermind', now: NOW });
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);

    const calendar = parse(text);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`${id}@hearth.invalid`);
    expect(event.summary).toBe(readEvent(doc, id, NOW)!.title);
    expect(event.description).toBe('Bring:\n- notes, pens; snacks\n<script>alert(1)</script>');
    const iterator = event.iterator();
    const instants = Array.from({ length: 4 }, () => iterator.next()!.toJSDate().getTime());
    const ours = occurrencesAfter(readEvent(doc, id, NOW)!, NOW, 4).map((occurrence) => occurrence.start);
    expect(instants).toEqual(ours);
    expect(instants.map((instant) => new Date(instant).toISOString())).toEqual([
      '2025-03-18T18:00:00.000Z',
      '2025-03-25T18:00:00.000Z',
      '2025-04-01T17:00:00.000Z',
      '2025-04-08T17:00:00.000Z',
    ]);
    // Years later the zone rules written out still hold.
    const later = occurrencesAfter(readEvent(doc, id, NOW)!, at('2031-10-20T00:00:00Z'), 2).map((occurrence) => occurrence.start);
    const parsedLater: number[] = [];
    const walk = event.iterator();
    for (let next = walk.next(); next && parsedLater.length < 2; next = walk.next()) {
      if (next.toJSDate().getTime() >= at('2031-10-20T00:00:00Z')) parsedLater.push(next.toJSDate().getTime());
    }
    expect(parsedLater.length).toBe(2);
    expect(later).toEqual(parsedLater);
  });

  it('exports the whole calendar: one-off, monthly and UTC events, each with its own zone', () => {
    const doc = communityDoc();
    createEvent(doc, {
      title: 'Retreat',
      start: '2025-06-01T09:00',
      end: '2025-06-03T16:00',
      timeZone: 'America/New_York',
      by: ADA,
      now: NOW,
    });
    createEvent(doc, {
      title: 'Monthly review',
      start: '2025-01-31T18:00',
      end: '2025-01-31T19:00',
      timeZone: 'Asia/Kolkata',
      recurrence: 'monthly',
      by: ADA,
      now: NOW,
    });
    createEvent(doc, { title: 'Server time', start: '2025-04-01T12:00', end: '2025-04-01T13:00', timeZone: 'UTC', by: ADA, now: NOW });
    const text = eventsToIcs(allEvents(doc), { name: 'Club', now: NOW });
    expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);
    expect(text).toContain('DTSTART:20250401T120000Z');
    expect(text).toContain('RRULE:FREQ=MONTHLY;BYMONTHDAY=31');
    const calendar = parse(text);
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    const retreat = events.find((event) => event.summary === 'Retreat')!;
    expect(retreat.startDate.toJSDate().toISOString()).toBe('2025-06-01T13:00:00.000Z');
    expect(retreat.endDate.toJSDate().toISOString()).toBe('2025-06-03T20:00:00.000Z');
    const monthly = events.find((event) => event.summary === 'Monthly review')!.iterator();
    expect(Array.from({ length: 3 }, () => monthly.next()!.toJSDate().toISOString())).toEqual([
      '2025-01-31T12:30:00.000Z',
      '2025-03-31T12:30:00.000Z',
      '2025-05-31T12:30:00.000Z',
    ]);
  });
});
