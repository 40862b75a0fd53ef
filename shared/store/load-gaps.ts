// After a load: whether the document holds changes back because something they build on is missing
// (a row set aside as damaged), and how many stored rows wait on it. A member's copy fills the gap.
import * as Y from 'yjs';
import type { StoredUpdate } from './store.js';

/** True while Yjs keeps structs or deletions it cannot place yet (what they build on is not here). */
export function hasGap(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/**
 * Applied rows whose changes Yjs did not integrate: a row's structs end past the document's state
 * vector for some client (they wait on a missing clock), or it deletes something not here. Decodes
 * every row a second time, so call it only when hasGap says there is something to count.
 */
export function blockedRowCount(doc: Y.Doc, rows: readonly StoredUpdate[]): number {
  const state = Y.decodeStateVector(Y.encodeStateVector(doc));
  const beyond = (client: number, clock: number) => clock > (state.get(client) ?? 0);
  let blocked = 0;
  for (const row of rows) {
    try {
      const { to } = Y.parseUpdateMetaV2(row.update);
      if ([...to].some(([client, clock]) => beyond(client, clock))) {
        blocked += 1;
        continue;
      }
      if (doc.store.pendingDs === null) continue;
      const { ds } = Y.decodeUpdateV2(row.update);
      if ([...ds.clients].some(([client, deletes]) => deletes.some((range) => beyond(client, range.clock + range.len)))) blocked += 1;
    } catch {
      // Applied rows decoded once already; one that does not now is not this count's to judge.
    }
  }
  return blocked;
}
