// While run mode is open, this device publishes its clock in Yjs awareness every few seconds and
// learns every other device's offset from theirs (shared/sessions/timer.ts, README): the timer then
// reads the same on machines whose clocks disagree. Awareness, not the document: a clock reading is
// worthless a moment later and must never be stored.
import { useEffect, useMemo, useState } from 'react';
import type { CommunitySync } from '../../shared/sync/community-sync.js';
import { ClockOffsets } from '../../shared/sessions/timer.js';

/** How often this device's clock reading goes out while run mode is open. */
export const CLOCK_HEARTBEAT_MS = 3_000;
const CLOCK_FIELD = 'clock';

export interface ClockSync {
  /** Another device's clock minus this one's (ms), or null before its first reading arrived. */
  readonly offsetOf: (client: number) => number | null;
  /** Bumps whenever a new reading arrives, so views depending on offsets re-render. */
  readonly version: number;
}

export function useClockSync(sync: CommunitySync | null): ClockSync {
  const offsets = useMemo(() => new ClockOffsets(), []);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!sync) return;
    const awareness = sync.awareness;
    const beat = () => awareness.setLocalStateField(CLOCK_FIELD, { now: Date.now() });
    const onUpdate = ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
      if (origin === 'local') return;
      const receivedAt = Date.now();
      for (const client of [...added, ...updated]) {
        if (client === awareness.clientID) continue;
        const state = awareness.getStates().get(client) as { clock?: { now?: unknown } } | undefined;
        offsets.observe(client, state?.clock?.now, receivedAt);
      }
      setVersion((value) => value + 1);
    };
    beat();
    const timer = setInterval(beat, CLOCK_HEARTBEAT_MS);
    awareness.on('update', onUpdate);
    return () => {
      clearInterval(timer);
      awareness.off('update', onUpdate);
      awareness.setLocalStateField(CLOCK_FIELD, null);
    };
  }, [sync, offsets]);
  return useMemo(() => ({ offsetOf: (client: number) => offsets.offsetOf(client, Date.now()), version }), [offsets, version]);
}

/** The member whose device a Yjs client id belongs to, from awareness (for "Timer follows Maya’s clock"). */
export function memberOfClient(sync: CommunitySync | null, client: number): string | null {
  const state = sync?.awareness.getStates().get(client) as { user?: { id?: unknown } } | undefined;
  return typeof state?.user?.id === 'string' ? state.user.id : null;
}
