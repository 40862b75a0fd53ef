// Timing helpers shared by the measures: a clock every process on this machine shares, percentiles,
// and a probe for the longest stretch the event loop was blocked (what a UI on this thread would feel).
import { performance } from 'node:perf_hooks';

/**
 * Milliseconds on CLOCK_MONOTONIC. Linux gives every process the same monotonic clock, so a time taken
 * in one peer process can be subtracted from a time taken in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Probed<T> {
  readonly ms: number;
  /** Longest gap between two runs of a 0 ms timer while `fn` ran: the worst block of this thread. */
  readonly stallMs: number;
  readonly value: T;
}

/** Runs `fn` with a 0 ms timer ticking beside it and reports the longest gap between ticks. */
export async function probeStalls<T>(fn: () => Promise<T>): Promise<Probed<T>> {
  let stallMs = 0;
  let last = performance.now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    if (!stopped) timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, 0);
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the probe see the last stretch
  stopped = true;
  clearTimeout(timer);
  stallMs = Math.max(stallMs, performance.now() - last);
  return { ms, stallMs, value };
}

/** Median of `runs` timings of `fn` after `warmup` untimed runs. */
export async function timeMedian(runs: number, warmup: number, fn: () => unknown): Promise<{ median: number; all: number[] }> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const all: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    all.push(performance.now() - start);
  }
  return { median: median(all), all };
}

export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects after `ms`; every wait in the benchmarks is bounded by one of these. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
