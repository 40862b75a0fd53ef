// The changes this device refused for a community (shared/sync/change-log.ts refusals), re-read when
// the log's counters move; the same list is kept until a refusal is added, so a change that was
// applied does not re-render what shows the refusals.
import { useEffect, useState } from 'react';
import type { ChangeLog, Refusal } from '../../shared/sync/change-log.js';

const NONE: readonly Refusal[] = [];

export function useRefusals(changes: ChangeLog | null): readonly Refusal[] {
  const [refusals, setRefusals] = useState<readonly Refusal[]>(() => changes?.refusals() ?? NONE);
  useEffect(() => {
    if (!changes) {
      setRefusals(NONE);
      return;
    }
    const read = () =>
      setRefusals((held) => {
        const now = changes.refusals();
        // Kept newest last and bounded: the same length and the same newest entry is the same list.
        return now.length === held.length && now[now.length - 1] === held[held.length - 1] ? held : now;
      });
    read();
    return changes.onCounters(read);
  }, [changes]);
  return refusals;
}
