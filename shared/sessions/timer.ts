// The session timer's arithmetic, and how members whose clocks disagree still see the same countdown.
//
// The timer is never ticked through the network. It is stored as a duration, the time already used,
// and — while it runs — the moment it started, read from the clock of the device that started it
// (its Yjs client id is stored with it). Every device computes the remaining time itself:
//
//     remaining = duration − used − (now in the starter's clock − startedAt)
//
// "Now in the starter's clock" is this device's clock plus its estimated offset to the starter's,
// which ClockOffsets learns from the clock readings devices publish in Yjs awareness while run mode is
// open (see README). A paused timer holds no clock reading at all, so it reads the same everywhere.
import type { RunState } from './schema.js';
import { SESSION_LIMITS } from './schema.js';

/** This device's clock, and what it knows about other devices' clocks. */
export interface ClockReading {
  /** This device's Yjs client id (doc.clientID): the clock a timer it starts is written in. */
  readonly client: number;
  /** This device's clock now (Date.now()). */
  readonly now: number;
  /** Another device's clock minus this one's, in ms; null or missing when unknown (taken as 0). */
  readonly offsetOf?: (client: number) => number | null;
}

type Timer = Pick<RunState, 'durationMs' | 'elapsedMs' | 'startedAt' | 'clock'>;

/** `reading.now`, expressed in the clock the timer was started with. */
export function nowInClockOf(timer: Pick<RunState, 'clock'>, reading: ClockReading): number {
  if (timer.clock === reading.client) return reading.now;
  return reading.now + (reading.offsetOf?.(timer.clock) ?? 0);
}

/** Time used so far, never negative (a starter's clock that ran backwards does not add time). */
export function usedMs(timer: Timer, reading: ClockReading): number {
  const running = timer.startedAt === null ? 0 : Math.max(0, nowInClockOf(timer, reading) - timer.startedAt);
  return timer.elapsedMs + running;
}

/** Time left; negative once the time box is over (shown as overtime). */
export function remainingMs(timer: Timer, reading: ClockReading): number {
  return timer.durationMs - usedMs(timer, reading);
}

export function isRunning(timer: Pick<RunState, 'startedAt'>): boolean {
  return timer.startedAt !== null;
}

/** The timer started (or resumed) now, in this device's clock. */
export function startedTimer<T extends Timer>(timer: T, reading: ClockReading): T {
  if (timer.startedAt !== null) return timer;
  return { ...timer, startedAt: reading.now, clock: reading.client };
}

/** The timer paused now: what ran so far is folded into `elapsedMs`, and no clock reading remains. */
export function pausedTimer<T extends Timer>(timer: T, reading: ClockReading): T {
  if (timer.startedAt === null) return timer;
  return { ...timer, elapsedMs: Math.min(usedMs(timer, reading), SESSION_LIMITS.maxTimerMs * 2), startedAt: null };
}

/** More time for the current item; the start stays as it was, so it needs no clock. */
export function extendedTimer<T extends Timer>(timer: T, extraMs: number): T {
  return { ...timer, durationMs: Math.min(SESSION_LIMITS.maxTimerMs, Math.max(0, timer.durationMs + extraMs)) };
}

/** "12:05", "0:09", "−1:30" for overtime; seconds round up so a fresh 15-minute timer reads 15:00. */
export function formatRemaining(ms: number): string {
  const overtime = ms < 0;
  const totalSeconds = overtime ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const body =
    hours > 0
      ? `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`
      : `${minutes}:${String(seconds).padStart(2, '0')}`;
  return overtime && totalSeconds > 0 ? `−${body}` : body;
}

/** How many clock samples per device the offset estimate looks at (the newest ones). */
export const CLOCK_SAMPLES = 8;
/** A sample older than this no longer counts: the other clock may have been corrected since. */
export const CLOCK_SAMPLE_MAX_AGE_MS = 5 * 60_000;

interface Sample {
  readonly offset: number;
  readonly receivedAt: number;
}

/**
 * Estimates, per device, how far its clock is from this one's, from readings it published.
 *
 * A reading of the remote clock R that arrives here when this clock reads L gives R − L = offset −
 * delay, and the delay is never negative, so the largest of a few recent samples is the best
 * estimate: the one that travelled fastest. On a LAN or loopback the error is a few milliseconds;
 * over the internet, half a round trip at worst, far under the one-second resolution of the display.
 */
export class ClockOffsets {
  private readonly samples = new Map<number, Sample[]>();

  observe(client: number, remoteNow: unknown, localReceivedAt: number): void {
    if (typeof remoteNow !== 'number' || !Number.isFinite(remoteNow) || !Number.isInteger(client)) return;
    const list = this.samples.get(client) ?? [];
    list.push({ offset: remoteNow - localReceivedAt, receivedAt: localReceivedAt });
    while (list.length > CLOCK_SAMPLES) list.shift();
    this.samples.set(client, list);
  }

  /** The estimated offset (their clock − this clock), or null when nothing recent was heard. */
  offsetOf(client: number, now: number): number | null {
    const fresh = (this.samples.get(client) ?? []).filter((sample) => now - sample.receivedAt <= CLOCK_SAMPLE_MAX_AGE_MS);
    if (fresh.length === 0) return null;
    return Math.max(...fresh.map((sample) => sample.offset));
  }
}
