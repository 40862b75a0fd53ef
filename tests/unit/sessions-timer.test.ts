// The session timer when members' clocks disagree: a countdown started on one device reads the same on
// another whose clock is minutes off, once that device has heard the starter's clock through presence.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { createSession } from '../../shared/sessions/session-commands.js';
import { extendTimer, pauseTimer, startSession, startTimer } from '../../shared/sessions/run-commands.js';
import { readSession } from '../../shared/sessions/queries.js';
import { CLOCK_SAMPLE_MAX_AGE_MS, ClockOffsets, formatRemaining, remainingMs, type ClockReading } from '../../shared/sessions/timer.js';
import { ADA, GRACE, T0, communityDoc } from './content-fixtures.js';

const MIN = 60_000;

/** Two devices: Ada's clock is right; Grace's runs `skew` ms ahead. Real time is `t`. */
function twoDevices(skew: number) {
  const ada = communityDoc();
  const grace = new Y.Doc();
  const id = createSession(ada, {
    title: 'Hot seat',
    scheduledAt: T0,
    agenda: [{ title: 'Hot seat', kind: 'hotSeat', minutes: 15 }],
    by: ADA,
    now: T0,
  });
  const sync = () => {
    Y.applyUpdate(grace, Y.encodeStateAsUpdate(ada));
    Y.applyUpdate(ada, Y.encodeStateAsUpdate(grace));
  };
  sync();
  const adaOffsets = new ClockOffsets();
  const graceOffsets = new ClockOffsets();
  // Presence heartbeats in both directions, each taking 20 ms to arrive.
  for (let beat = 0; beat < 4; beat += 1) {
    const t = T0 + beat * 3_000;
    graceOffsets.observe(ada.clientID, t, t + 20 + skew);
    adaOffsets.observe(grace.clientID, t + skew, t + 20);
  }
  // While run mode is open the heartbeats go on: one more arrives just before each reading.
  const adaAt = (t: number): ClockReading => {
    adaOffsets.observe(grace.clientID, t - 1_000 + skew, t - 980);
    return { client: ada.clientID, now: t, offsetOf: (client) => adaOffsets.offsetOf(client, t) };
  };
  const graceAt = (t: number): ClockReading => {
    graceOffsets.observe(ada.clientID, t - 1_000, t - 980 + skew);
    return { client: grace.clientID, now: t + skew, offsetOf: (client) => graceOffsets.offsetOf(client, t + skew) };
  };
  return { ada, grace, id, sync, adaAt, graceAt };
}

describe('the timer across clocks that disagree', () => {
  it('reads the same remaining time on a device whose clock is 2 minutes ahead', () => {
    const { ada, grace, id, sync, adaAt, graceAt } = twoDevices(2 * MIN);
    startSession(ada, id, { by: ADA, clock: adaAt(T0 + 10_000) });
    sync();
    const t = T0 + 10_000 + 4 * MIN;
    const onAda = remainingMs(readSession(ada, id)!.run!, adaAt(t));
    const onGrace = remainingMs(readSession(grace, id)!.run!, graceAt(t));
    expect(onAda).toBe(11 * MIN);
    // Off by the 20 ms the heartbeat took, not by two minutes.
    expect(Math.abs(onGrace - onAda)).toBeLessThanOrEqual(20);
    // Without the offset (nothing heard yet) Grace would see two minutes gone: the failure this prevents.
    expect(remainingMs(readSession(grace, id)!.run!, { client: grace.clientID, now: t + 2 * MIN })).toBe(9 * MIN);
  });

  it('a member whose clock is behind pauses and resumes it; everyone still agrees', () => {
    const { ada, grace, id, sync, adaAt, graceAt } = twoDevices(-3 * MIN);
    startSession(ada, id, { by: ADA, clock: adaAt(T0 + 10_000) });
    sync();
    pauseTimer(grace, id, { by: GRACE, clock: graceAt(T0 + 10_000 + 5 * MIN) });
    sync();
    const paused = readSession(ada, id)!.run!;
    expect(Math.abs(paused.elapsedMs - 5 * MIN)).toBeLessThanOrEqual(20);
    expect(remainingMs(paused, adaAt(T0 + 99 * MIN))).toBe(remainingMs(paused, graceAt(T0 + 3 * MIN)));
    startTimer(grace, id, { by: GRACE, clock: graceAt(T0 + 20 * MIN) });
    extendTimer(grace, id, 5, { by: GRACE, clock: graceAt(T0 + 20 * MIN) });
    sync();
    const t = T0 + 22 * MIN;
    expect(
      Math.abs(remainingMs(readSession(ada, id)!.run!, adaAt(t)) - remainingMs(readSession(grace, id)!.run!, graceAt(t))),
    ).toBeLessThanOrEqual(20);
    expect(Math.round(remainingMs(readSession(ada, id)!.run!, adaAt(t)) / 1000)).toBe(13 * 60);
  });

  it('agrees within the heartbeat delay for any skew, start time and reading time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.integer({ min: 0, max: 10 * MIN }),
        fc.integer({ min: 0, max: 30 * MIN }),
        (skew, startAfter, readAfter) => {
          const { ada, grace, id, sync, adaAt, graceAt } = twoDevices(skew);
          startSession(ada, id, { by: ADA, clock: adaAt(T0 + startAfter) });
          sync();
          const t = T0 + startAfter + readAfter;
          const difference = remainingMs(readSession(ada, id)!.run!, adaAt(t)) - remainingMs(readSession(grace, id)!.run!, graceAt(t));
          expect(Math.abs(difference)).toBeLessThanOrEqual(20);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('clock offsets from presence heartbeats', () => {
  it('takes the sample that travelled fastest, ignores junk, and forgets old samples', () => {
    const offsets = new ClockOffsets();
    offsets.observe(7, 10_000 + 5_000, 10_000 + 300);
    offsets.observe(7, 13_000 + 5_000, 13_000 + 15);
    // A renewal of a stale reading (y-protocols re-sends the old state every 15 s) only looks slower.
    offsets.observe(7, 13_000 + 5_000, 28_000);
    offsets.observe(7, 'soon', 29_000);
    offsets.observe(7, Number.NaN, 29_000);
    expect(offsets.offsetOf(7, 30_000)).toBe(4_985);
    expect(offsets.offsetOf(8, 30_000)).toBeNull();
    expect(offsets.offsetOf(7, 28_000 + CLOCK_SAMPLE_MAX_AGE_MS + 1)).toBeNull();
  });

  it('formats remaining time for the display, with overtime', () => {
    expect(formatRemaining(15 * MIN)).toBe('15:00');
    expect(formatRemaining(15 * MIN - 1)).toBe('15:00');
    expect(formatRemaining(9_001)).toBe('0:10');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(-90_500)).toBe('−1:30');
    expect(formatRemaining(2 * 60 * MIN)).toBe('2:00:00');
  });
});
