// Times as people say them ("5 min ago", "yesterday"), with the full date for a tooltip, and a hook
// that re-renders once a minute so "just now" does not stay "just now".
import { useEffect, useState } from 'react';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export function relativeTime(at: number, now: number = Date.now()): string {
  const elapsed = now - at;
  // A peer's clock can run ahead; a time a little in the future is still "just now".
  if (elapsed < MINUTE_MS) return 'just now';
  if (elapsed < HOUR_MS) return `${Math.floor(elapsed / MINUTE_MS)} min ago`;
  if (elapsed < DAY_MS && new Date(at).getDate() === new Date(now).getDate()) return `${Math.floor(elapsed / HOUR_MS)} h ago`;
  const yesterday = new Date(now - DAY_MS);
  const then = new Date(at);
  if (then.toDateString() === yesterday.toDateString()) return 'yesterday';
  if (elapsed < 7 * DAY_MS) return then.toLocaleDateString(undefined, { weekday: 'long' });
  const sameYear = then.getFullYear() === new Date(now).getFullYear();
  return then.toLocaleDateString(undefined, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' });
}

export function fullTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
}

/** The current time, refreshed every `everyMs`. */
export function useNow(everyMs = MINUTE_MS): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
