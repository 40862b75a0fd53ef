// Binds one community's Y.Doc to a CommunityStore: loads snapshot + log, appends every change as it
// happens, compacts in the background, flushes on close. See README.md in this folder.
import { sha256Hex } from '../crypto.js';
import * as Y from 'yjs';
import { crc32 } from './checksum.js';
import { blockedRowCount, hasGap } from './load-gaps.js';
import { SNAPSHOT_SEQ, type CommunityStore, type StoreDamage, type StoredUpdate } from './store.js';
import { errorMessage } from '../errors.js';

/** Once this many log rows pile up after the snapshot, a compaction is scheduled. */
export const COMPACT_AFTER_ROWS = 200;
/** Compaction waits this long after it is due, so a burst of typing finishes first. */
export const COMPACT_DELAY_MS = 1_500;

/** Transactions that apply stored bytes carry this origin; they are never written back. */
export const STORE_ORIGIN = Symbol('hearth-store');

export interface LoadReport {
  readonly rowsRead: number;
  /**
   * Saved changes found damaged and moved aside (kept, never applied): log rows or a snapshot whose
   * checksum does not match or that cannot be decoded, and stretches of a file log that do not read.
   */
  readonly setAside: number;
  /**
   * Stored changes that were read but wait, unapplied, for something they build on that is missing
   * (set aside now or earlier); a member's copy fills the gap (see hasGap). 0 on an intact load.
   */
  readonly blocked: number;
  /** Bytes of a last log record cut off mid-write (never acknowledged), moved aside; 0 if none. */
  readonly tornTailBytes: number;
  /** One line per piece of damage, for diagnostics (a headless peer prints them). */
  readonly problems: readonly string[];
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
      .append(communityId, update, rowChecksum(update))
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
    const { snapshotTrusted, refused, accepted } = await checkStoredRows(stored.snapshot, stored.snapshotSha256 ?? null, stored.updates);
    // Every row goes in within one transaction, with this binding's listener off: Yjs then cleans up
    // once and encodes no update event per row for a listener that would drop it (STORE_ORIGIN). Row
    // by row, a 260k-row log took ~40× the apply of its state, in one block of the thread. Nothing else
    // runs between off and on (no await), so no local change goes unrecorded.
    const applied: StoredUpdate[] = [];
    doc.off('updateV2', onUpdate);
    try {
      doc.transact(() => {
        for (const row of accepted) {
          const problem = applyStoredUpdate(doc, row.update, row.seq === SNAPSHOT_SEQ && snapshotTrusted);
          if (problem !== null) refused.push({ seq: row.seq, problem });
          else {
            applied.push(row);
            if (row.seq !== SNAPSHOT_SEQ) lastSeq = Math.max(lastSeq, row.seq);
          }
        }
      }, STORE_ORIGIN);
    } finally {
      if (!closed) doc.on('updateV2', onUpdate);
    }
    for (const { seq, problem } of refused) await store.setAside(communityId, seq, problem);
    // Counted only when Yjs holds something back, so an intact open costs nothing more than before.
    const blocked = hasGap(doc) ? blockedRowCount(doc, applied) : 0;
    const damage = stored.damage ?? [];
    rowsAfterSnapshot = stored.updates.length;
    loaded = true;
    pump();
    if (rowsAfterSnapshot >= compactAfterRows) scheduleCompaction();
    return {
      rowsRead: (stored.snapshot ? 1 : 0) + stored.updates.length,
      setAside: refused.length + damage.filter((piece) => piece.kind !== 'torn-tail').length,
      blocked,
      tornTailBytes: damage.filter((piece) => piece.kind === 'torn-tail').reduce((sum, piece) => sum + piece.bytes, 0),
      problems: [
        ...refused.map(({ seq, problem }) => `${seq === SNAPSHOT_SEQ ? 'the snapshot' : `log row ${seq}`}: ${problem}`),
        ...damage.map(describeDamage),
      ],
    };
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

/** The checksum persistDoc keeps with every log row it appends and checks on every load. */
export function rowChecksum(update: Uint8Array): number {
  return crc32(update);
}

/**
 * Sorts what a store returned into rows to apply and rows refused as damaged, before anything touches
 * the document. The snapshot is refused when it does not match the SHA-256 written with it, a row when
 * it does not match its CRC-32. Rows and snapshots from before checksums were kept carry none: they
 * are still decoded before they are applied, as they always were: refusing them would hide every
 * community stored before this version, and the next compaction rewrites them under a checksum. (A
 * row without one after rows with one is treated alike: refusing it would make any store wrapper that
 * forgets to pass the checksum on throw away good changes, which is worse than checking them less.)
 */
async function checkStoredRows(
  snapshot: Uint8Array | null,
  snapshotSha256: string | null,
  updates: readonly StoredUpdate[],
): Promise<{ snapshotTrusted: boolean; refused: { seq: number; problem: string }[]; accepted: StoredUpdate[] }> {
  const refused: { seq: number; problem: string }[] = [];
  const accepted: StoredUpdate[] = [];
  let snapshotTrusted = false;
  if (snapshot) {
    if (typeof snapshotSha256 !== 'string') accepted.push({ seq: SNAPSHOT_SEQ, update: snapshot });
    else if (snapshot instanceof Uint8Array && (await sha256Hex(snapshot)) === snapshotSha256) {
      // Exactly what Yjs encoded: applied without decoding it a first time (half the cost of opening a
      // large community).
      snapshotTrusted = true;
      accepted.push({ seq: SNAPSHOT_SEQ, update: snapshot });
    } else refused.push({ seq: SNAPSHOT_SEQ, problem: 'its bytes do not match the SHA-256 written with it' });
  }
  for (const row of updates) {
    if (typeof row.checksum !== 'number') accepted.push(row);
    else if (row.update instanceof Uint8Array && rowChecksum(row.update) === row.checksum) accepted.push(row);
    else refused.push({ seq: row.seq, problem: 'its bytes do not match the CRC-32 written with them' });
  }
  return { snapshotTrusted, refused, accepted };
}

function describeDamage(piece: StoreDamage): string {
  const what =
    piece.kind === 'torn-tail'
      ? 'a last record cut off mid-write (never acknowledged)'
      : piece.kind === 'snapshot'
        ? 'a snapshot file with a damaged header'
        : 'an unreadable stretch of the log';
  return `${what}, ${piece.bytes} bytes, kept as ${piece.keptAs}`;
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
    return `could not be decoded (${errorMessage(error)})`;
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
