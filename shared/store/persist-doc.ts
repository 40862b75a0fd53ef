// Binds one community's Y.Doc to a CommunityStore: loads snapshot + log, appends every change as it
// happens, compacts in the background, flushes on close. See README.md in this folder.
import { sha256Hex } from '../crypto.js';
import * as Y from 'yjs';
import { SNAPSHOT_SEQ, type CommunityStore } from './store.js';

/** Once this many log rows pile up after the snapshot, a compaction is scheduled. */
export const COMPACT_AFTER_ROWS = 200;
/** Compaction waits this long after it is due, so a burst of typing finishes first. */
export const COMPACT_DELAY_MS = 1_500;

/** Transactions that apply stored bytes carry this origin; they are never written back. */
export const STORE_ORIGIN = Symbol('hearth-store');

export interface LoadReport {
  readonly rowsRead: number;
  /** Rows that could not be decoded and were moved aside (kept, not applied). */
  readonly setAside: number;
}

export interface PersistOptions {
  readonly compactAfterRows?: number;
  readonly compactDelayMs?: number;
  /** Called with errors that happen in the background (a failed append or compaction). */
  readonly onError?: (error: unknown) => void;
}

export interface PersistedDoc {
  /** Resolves once the stored state is in the doc; rejects if the store could not be read. */
  readonly whenLoaded: Promise<LoadReport>;
  /** Resolves once every change made so far is durable. */
  flush(): Promise<void>;
  /** Writes a snapshot now and drops the log rows it covers. */
  compactNow(): Promise<void>;
  /** Stops listening, flushes, and cancels pending compaction. Safe to call twice. */
  close(): Promise<void>;
}

/** Records every change made to `doc` from this call on; state the doc already held is not written. */
export function persistDoc(doc: Y.Doc, communityId: string, store: CommunityStore, options: PersistOptions = {}): PersistedDoc {
  const compactAfterRows = options.compactAfterRows ?? COMPACT_AFTER_ROWS;
  const compactDelayMs = options.compactDelayMs ?? COMPACT_DELAY_MS;
  const reportError = options.onError ?? ((error: unknown) => console.error('[hearth store]', error));

  let loaded = false;
  let closed = false;
  let queue: Uint8Array[] = [];
  let writing: Promise<void> | null = null;
  let compacting: Promise<void> | null = null;
  let lastSeq = 0;
  let rowsAfterSnapshot = 0;
  let compactTimer: ReturnType<typeof setTimeout> | null = null;

  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORE_ORIGIN) return;
    queue.push(update);
    pump();
  };
  doc.on('updateV2', onUpdate);

  // Appends are serialised: at most one in flight, and whatever arrives meanwhile is merged into the
  // next row, so fast typing costs one row per write rather than one per keystroke.
  function pump(): void {
    if (!loaded || writing || queue.length === 0) return;
    const batch = queue;
    queue = [];
    const update = mergeInChunks(batch);
    writing = store
      .append(communityId, update)
      .then((seq) => {
        lastSeq = Math.max(lastSeq, seq);
        rowsAfterSnapshot += 1;
        if (rowsAfterSnapshot >= compactAfterRows) scheduleCompaction();
      })
      .catch((error: unknown) => {
        // Keep the bytes: they go out with the next write, or with flush().
        queue = [update, ...queue];
        reportError(error);
        throw error;
      })
      .finally(() => {
        writing = null;
      });
    writing.then(pump, () => undefined);
  }

  function scheduleCompaction(): void {
    if (compactTimer || closed) return;
    compactTimer = setTimeout(() => {
      compactTimer = null;
      compact().catch(reportError);
    }, compactDelayMs);
  }

  async function compact(): Promise<void> {
    if (!loaded) return;
    if (compacting) return compacting;
    compacting = (async () => {
      await settle();
      // Appends that land while the snapshot is written have higher seqs and survive compaction;
      // anything they hold is also in the snapshot, which is harmless: applying an update twice is a no-op.
      const upToSeq = lastSeq;
      const rowsCovered = rowsAfterSnapshot;
      const snapshot = Y.encodeStateAsUpdateV2(doc);
      await store.compact(communityId, snapshot, upToSeq, await sha256Hex(snapshot));
      rowsAfterSnapshot = Math.max(0, rowsAfterSnapshot - rowsCovered);
    })().finally(() => {
      compacting = null;
    });
    return compacting;
  }

  async function settle(): Promise<void> {
    // Each pass writes what queued during the previous one; bounded, since a failed write stops it.
    for (let pass = 0; pass < 1_000; pass += 1) {
      if (writing) {
        await writing;
        continue;
      }
      if (queue.length === 0) return;
      pump();
    }
  }

  const whenLoaded = (async (): Promise<LoadReport> => {
    const stored = await store.load(communityId);
    // A snapshot whose bytes still match the hash this device wrote with it is exactly what Yjs
    // encoded: it is applied without decoding it a first time (half the cost of opening a large
    // community). Anything else, and every log row, is decoded first.
    const trustedSnapshot = stored.snapshot !== null && typeof stored.snapshotSha256 === 'string' && (await sha256Hex(stored.snapshot)) === stored.snapshotSha256;
    const rows = [
      ...(stored.snapshot ? [{ seq: SNAPSHOT_SEQ, update: stored.snapshot }] : []),
      ...stored.updates,
    ];
    // Every row goes in within one transaction, with this binding's listener off: Yjs then cleans up
    // once and encodes no update event per row for a listener that would drop it (STORE_ORIGIN). Row
    // by row, a 260k-row log took ~40× the apply of its state, in one block of the thread. Nothing else
    // runs between off and on (no await), so no local change goes unrecorded.
    const refused: { seq: number; problem: string }[] = [];
    doc.off('updateV2', onUpdate);
    try {
      doc.transact(() => {
        for (const row of rows) {
          const problem = applyStoredUpdate(doc, row.update, row.seq === SNAPSHOT_SEQ && trustedSnapshot);
          if (problem !== null) refused.push({ seq: row.seq, problem });
          else if (row.seq !== SNAPSHOT_SEQ) lastSeq = Math.max(lastSeq, row.seq);
        }
      }, STORE_ORIGIN);
    } finally {
      if (!closed) doc.on('updateV2', onUpdate);
    }
    for (const { seq, problem } of refused) await store.setAside(communityId, seq, problem);
    const setAside = refused.length;
    rowsAfterSnapshot = stored.updates.length;
    loaded = true;
    pump();
    if (rowsAfterSnapshot >= compactAfterRows) scheduleCompaction();
    return { rowsRead: rows.length, setAside };
  })();
  // The caller awaits whenLoaded; this keeps an unawaited rejection from being reported twice.
  whenLoaded.catch(() => undefined);

  return {
    whenLoaded,
    flush: settle,
    compactNow: compact,
    async close() {
      if (closed) return;
      closed = true;
      doc.off('updateV2', onUpdate);
      if (compactTimer) clearTimeout(compactTimer);
      compactTimer = null;
      await whenLoaded.catch(() => undefined);
      if (compacting) await compacting.catch(() => undefined);
      await settle();
    },
  };
}

/**
 * Applies stored bytes; returns null on success or why the bytes were refused. Never throws.
 * `checked`: the bytes are known to be what Yjs encoded (their hash matched), so the first decode that
 * catches garbage before anything touches the document is skipped.
 */
export function applyStoredUpdate(doc: Y.Doc, update: unknown, checked = false): string | null {
  if (!(update instanceof Uint8Array) || update.byteLength === 0) return 'not a binary Yjs update';
  try {
    if (!checked) Y.decodeUpdateV2(update);
    Y.applyUpdateV2(doc, update, STORE_ORIGIN);
    return null;
  } catch (error) {
    return `could not be decoded (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Y.mergeUpdatesV2 slows down sharply on long lists (5,000 updates: 566 ms at once, 95 ms 64 at a time). */
const MERGE_CHUNK = 64;

function mergeInChunks(updates: Uint8Array[]): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let start = 0; start < level.length; start += MERGE_CHUNK) {
      const chunk = level.slice(start, start + MERGE_CHUNK);
      next.push(chunk.length === 1 ? chunk[0]! : Y.mergeUpdatesV2(chunk));
    }
    level = next;
  }
  return level[0]!;
}
