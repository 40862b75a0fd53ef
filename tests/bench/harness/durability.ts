// A CommunityStore wrapper that notes when each append resolves, so each keystroke's time until it is
// durable is known. No Node or DOM imports: the Node storage measure and the Chromium page share it.
import type { CommunityStore } from '../../../shared/store/store.js';

export interface DurabilityProbe {
  readonly store: CommunityStore;
  /** Milliseconds from each keystroke to the resolution of the append that holds it, in typing order. */
  readonly latencies: number[];
  counts(): { readonly appends: number; readonly compactions: number };
}

/**
 * `keyTimes[k]` is when keystroke k was typed; `typed()` how many have been typed. persistDoc calls
 * append with every change not yet written, so the keystrokes typed before a call are the ones that
 * call makes durable.
 */
export function durabilityProbe(inner: CommunityStore, keyTimes: Float64Array, typed: () => number): DurabilityProbe {
  const latencies: number[] = [];
  let durableUpTo = 0;
  let compactions = 0;
  let appends = 0;
  const store: CommunityStore = {
    listCommunities: () => inner.listCommunities(),
    putCommunity: (entry) => inner.putCommunity(entry),
    load: (id) => inner.load(id),
    append: (id, update, checksum) => {
      const covered = typed();
      appends += 1;
      return inner.append(id, update, checksum).then((seq) => {
        const now = performance.now();
        for (let k = durableUpTo; k < covered; k += 1) latencies.push(now - keyTimes[k]!);
        durableUpTo = Math.max(durableUpTo, covered);
        return seq;
      });
    },
    compact: (id, snapshot, upToSeq, sha256) => {
      compactions += 1;
      return inner.compact(id, snapshot, upToSeq, sha256);
    },
    setAside: (id, seq, reason) => inner.setAside(id, seq, reason),
    stats: (id) => inner.stats(id),
    close: () => inner.close(),
  };
  return { store, latencies, counts: () => ({ compactions, appends }) };
}
