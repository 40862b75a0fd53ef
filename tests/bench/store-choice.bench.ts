// Which way to keep a community's Y.Doc in IndexedDB, measured rather than argued:
//   A  y-dexie (Dexie's Yjs addon: one row per update, compressYDocs() merges them into one row per doc)
//   B  our log + snapshot (shared/store/persist-doc.ts over renderer/store/dexie-store.ts)
// Both run over fake-indexeddb in Node, on a fresh database each, fed the same real editing trace as
// live typing: one Yjs transaction per trace transaction, each in its own macrotask, so the store gets
// the event loop between keystrokes, as it would in the app.
//
// Trace: automerge-paper, the history of writing the LaTeX source of "A Conflict-Free Replicated JSON
// Datatype" (Kleppmann & Beresford, arXiv:1608.03960), recorded by Martin Kleppmann (automerge-perf),
// in Joseph Gentle's editing-traces format; benchmark B4 of crdt-benchmarks.
//
// Run:  npx vitest run --config tests/bench/vitest.bench.config.ts
// Env:  BENCH_TXNS=N (first N transactions only), BENCH_OPEN_RUNS=R (opens per measurement, median; 3),
//       BENCH_TRACE=path (defaults to /work/shared/data/automerge-paper.json.gz).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import Dexie, { type DBCore, type DBCoreTable, type EntityTable } from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { expect, it } from 'vitest';
import yDexie, { DexieYProvider, compressYDocs } from 'y-dexie';
import * as Y from 'yjs';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { persistDoc, type LoadReport } from '../../shared/store/persist-doc.js';

const TRACE_PATH = process.env.BENCH_TRACE ?? '/work/shared/data/automerge-paper.json.gz';
const OPEN_RUNS = Math.max(1, Number(process.env.BENCH_OPEN_RUNS ?? 3));
const COMMUNITY = 'community0000001';
const TEXT = 'text';

interface Trace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly (readonly [number, number, string])[] }[];
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers

/** Counts what reaches IndexedDB (below Dexie's own cache), per table; knows when writes are drained. */
class Io {
  rowsRead = 0;
  readonly written = new Map<string, { rows: number; bytes: number }>();
  private pending = 0;
  private waiters: (() => void)[] = [];

  reset(): void {
    this.rowsRead = 0;
    this.written.clear();
  }

  rowsWritten(table?: string): number {
    if (table) return this.written.get(table)?.rows ?? 0;
    return [...this.written.values()].reduce((sum, w) => sum + w.rows, 0);
  }

  bytesWritten(table?: string): number {
    if (table) return this.written.get(table)?.bytes ?? 0;
    return [...this.written.values()].reduce((sum, w) => sum + w.bytes, 0);
  }

  started(): void {
    this.pending += 1;
  }

  finished(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once every write issued so far has committed (or failed). */
  async idle(): Promise<void> {
    await nextMacrotask();
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

function binaryBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value !== 'object' || value === null) return 0;
  let bytes = 0;
  for (const field of Object.values(value)) if (field instanceof Uint8Array) bytes += field.byteLength;
  return bytes;
}

/** A DBCore middleware below Dexie's cache (level -10), so it sees real IndexedDB traffic only. */
function instrument(db: Dexie, tables: readonly string[], io: Io): void {
  db.use({
    stack: 'dbcore',
    name: 'bench-io',
    level: -10,
    create: (down: DBCore): Partial<DBCore> => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (!tables.includes(name)) return table;
        return {
          ...table,
          get: (req) =>
            table.get(req).then((value: unknown) => {
              if (value !== undefined) io.rowsRead += 1;
              return value;
            }),
          getMany: (req) =>
            table.getMany(req).then((values: unknown[]) => {
              io.rowsRead += values.filter((value) => value !== undefined).length;
              return values;
            }),
          query: (req) =>
            table.query(req).then((res) => {
              if (req.values) io.rowsRead += res.result.length;
              return res;
            }),
          mutate: (req) => {
            if (req.type === 'add' || req.type === 'put') {
              const w = io.written.get(name) ?? { rows: 0, bytes: 0 };
              w.rows += req.values.length;
              for (const value of req.values) w.bytes += binaryBytes(value);
              io.written.set(name, w);
            }
            io.started();
            return table.mutate(req).finally(() => io.finished());
          },
        };
      },
    }),
  });
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Timed<T> {
  readonly ms: number;
  /** Longest the event loop was held up meanwhile: the worst stall a UI on this thread would see. */
  readonly maxBlockMs: number;
  readonly value: T;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  lag.disable();
  return { ms, maxBlockMs: lag.count > 0 ? lag.max / 1e6 : 0, value };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The trace

function loadTrace(): Trace {
  return JSON.parse(gunzipSync(readFileSync(TRACE_PATH)).toString('utf8')) as Trace;
}

function applyTxn(text: Y.Text, patches: Trace['txns'][number]['patches']): void {
  for (const [position, deleteCount, insertText] of patches) {
    if (deleteCount > 0) text.delete(position, deleteCount);
    if (insertText.length > 0) text.insert(position, insertText);
  }
}

/** Live typing: one transaction (so one update) per trace transaction, each in its own macrotask. */
async function type(doc: Y.Doc, trace: Trace, txnCount: number): Promise<number> {
  const text = doc.getText(TEXT);
  const start = performance.now();
  if (trace.startContent.length > 0) doc.transact(() => text.insert(0, trace.startContent));
  for (let i = 0; i < txnCount; i += 1) {
    doc.transact(() => applyTxn(text, trace.txns[i]!.patches));
    await nextMacrotask();
  }
  return performance.now() - start;
}

// ---------------------------------------------------------------------------------------------
// The two designs, behind one shape

interface StoredStats {
  readonly rows: number;
  readonly bytes: number;
}

interface OpenResult {
  readonly ms: number;
  readonly maxBlockMs: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

interface Design {
  readonly label: string;
  /** Types the trace into a freshly loaded doc and waits until every change is durable. */
  write(trace: Trace, txnCount: number): Promise<WriteResult>;
  stats(): Promise<StoredStats>;
  /** Loads the stored state into a fresh Y.Doc in a fresh connection; checks it against `expected`. */
  open(expected: string): Promise<OpenResult>;
  /** Runs the design's own compaction to completion. */
  compact(): Promise<Timed<void>>;
}

interface WriteResult {
  readonly persistMs: number;
  readonly typingMs: number;
  readonly maxBlockMs: number;
  readonly logRowsWritten: number;
  readonly logBytesWritten: number;
  readonly compactionsDuringTyping: number;
  readonly rowsReadDuringTyping: number;
  readonly text: string;
  readonly state: Uint8Array;
}

// A: y-dexie. A community row whose `doc` property is a Y.Doc; updates live in `$communities.doc_updates`.
const Y_UPDATES = '$communities.doc_updates';

interface YCommunity {
  id: string;
  name: string;
  doc: Y.Doc;
}
type YDatabase = Dexie & { communities: EntityTable<YCommunity, 'id'> };

function yDexieDesign(name: string): Design {
  // Dexie's liveQuery (which DexieYProvider loads through) silently never runs unless Dexie's global
  // dependencies name an indexedDB; in Node there is none, so point them at fake-indexeddb.
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  const openDb = (io?: Io): YDatabase => {
    // gc: false keeps y-dexie's timer (first compressYDocs 10 s after open, then every 5 min) out of
    // the timings; compression is run explicitly below, exactly as that timer would run it.
    const db = new Dexie(name, { indexedDB, IDBKeyRange, addons: [yDexie({ gc: false }) as (db: Dexie) => void] }) as YDatabase;
    db.version(1).stores({ communities: 'id, doc: Y.Doc' });
    if (io) instrument(db, [Y_UPDATES], io);
    return db;
  };
  const loadDoc = async (db: YDatabase): Promise<Y.Doc> => {
    const row = await db.communities.get(COMMUNITY);
    if (!row) throw new Error('community row missing');
    return row.doc;
  };
  const dispose = (db: YDatabase, doc: Y.Doc): void => {
    DexieYProvider.release(doc);
    doc.destroy(); // release() destroys asynchronously; do it now so the liveQuery stops before close.
    db.close();
  };

  return {
    label: 'A: y-dexie',
    async write(trace, txnCount) {
      const io = new Io();
      const db = openDb(io);
      await db.communities.add({ id: COMMUNITY, name: 'bench' } as YCommunity);
      const doc = await loadDoc(db);
      await withTimeout(DexieYProvider.load(doc).whenLoaded, 60_000, 'y-dexie first load');
      io.reset();
      let typingMs = 0;
      const run = await timed(async () => {
        typingMs = await type(doc, trace, txnCount);
        await io.idle(); // y-dexie has no flush(): wait for its adds to commit.
      });
      const stored = await db.table(Y_UPDATES).where('k').equals(COMMUNITY).count();
      expect(stored).toBe(io.rowsWritten(Y_UPDATES));
      const result: WriteResult = {
        persistMs: run.ms,
        typingMs,
        maxBlockMs: run.maxBlockMs,
        logRowsWritten: io.rowsWritten(Y_UPDATES),
        logBytesWritten: io.bytesWritten(Y_UPDATES),
        compactionsDuringTyping: 0,
        rowsReadDuringTyping: io.rowsRead,
        text: doc.getText(TEXT).toString(),
        state: Y.encodeStateAsUpdateV2(doc),
      };
      dispose(db, doc);
      return result;
    },
    async stats() {
      const db = openDb();
      let rows = 0;
      let bytes = 0;
      await db
        .table(Y_UPDATES)
        .where('k')
        .equals(COMMUNITY)
        .each((row: { u: Uint8Array }) => {
          rows += 1;
          bytes += row.u.byteLength;
        });
      db.close();
      return { rows, bytes };
    },
    async open(expected) {
      // Dexie's liveQuery cache is global to the JS realm and outlives db.close(), so a second Dexie
      // instance would be served the previous one's rows from memory. An app restart starts empty.
      for (const part of Object.keys(Dexie.cache)) if (part.startsWith(`idb://${name}/`)) delete Dexie.cache[part];
      const io = new Io();
      const db = openDb(io);
      const doc = await loadDoc(db);
      io.reset();
      const run = await timed(() => withTimeout(DexieYProvider.load(doc).whenLoaded, 600_000, 'y-dexie open'));
      const rowsRead = io.rowsRead;
      expect(doc.getText(TEXT).toString()).toBe(expected);
      dispose(db, doc);
      await io.idle();
      return { ms: run.ms, maxBlockMs: run.maxBlockMs, rowsRead, rowsWritten: io.rowsWritten() };
    },
    async compact() {
      const db = openDb();
      await db.open();
      const run = await timed(() => compressYDocs(db) as Promise<void>);
      db.close();
      return run;
    },
  };
}

// B: persistDoc over DexieStore.
function logSnapshotDesign(name: string): Design {
  const openStore = (io?: Io): DexieStore => {
    const store = new DexieStore({ name, indexedDB, IDBKeyRange });
    if (io) instrument(store.db, ['updates', 'snapshots'], io);
    return store;
  };
  const failOnError = (error: unknown): never => {
    throw error;
  };

  return {
    label: 'B: persistDoc+DexieStore',
    async write(trace, txnCount) {
      const io = new Io();
      const store = openStore(io);
      const errors: unknown[] = [];
      const doc = new Y.Doc();
      // Defaults (compact after 200 rows, 1.5 s after due): that is what the app runs.
      const persisted = persistDoc(doc, COMMUNITY, store, { onError: (error) => errors.push(error) });
      await persisted.whenLoaded;
      io.reset();
      let typingMs = 0;
      const run = await timed(async () => {
        typingMs = await type(doc, trace, txnCount);
        await persisted.flush();
      });
      await persisted.close(); // cancels a compaction still waiting on its timer; waits for a running one
      await io.idle();
      expect(errors).toEqual([]);
      const result: WriteResult = {
        persistMs: run.ms,
        typingMs,
        maxBlockMs: run.maxBlockMs,
        logRowsWritten: io.rowsWritten('updates'),
        logBytesWritten: io.bytesWritten('updates'),
        compactionsDuringTyping: io.rowsWritten('snapshots'),
        rowsReadDuringTyping: io.rowsRead,
        text: doc.getText(TEXT).toString(),
        state: Y.encodeStateAsUpdateV2(doc),
      };
      await store.close();
      return result;
    },
    async stats() {
      const store = openStore();
      const snapshot = await store.db.snapshots.get(COMMUNITY);
      const { logRows, bytes } = await store.stats(COMMUNITY);
      await store.close();
      return { rows: logRows + (snapshot ? 1 : 0), bytes };
    },
    async open(expected) {
      const io = new Io();
      const store = openStore(io);
      await store.db.open();
      io.reset();
      const doc = new Y.Doc();
      const run = await timed(async () => {
        const persisted = persistDoc(doc, COMMUNITY, store, { onError: failOnError });
        const report: LoadReport = await persisted.whenLoaded;
        return { persisted, report };
      });
      const rowsRead = io.rowsRead;
      expect(run.value.report.setAside).toBe(0);
      expect(run.value.report.rowsRead).toBe(rowsRead);
      expect(doc.getText(TEXT).toString()).toBe(expected);
      await run.value.persisted.close();
      await io.idle();
      await store.close();
      return { ms: run.ms, maxBlockMs: run.maxBlockMs, rowsRead, rowsWritten: io.rowsWritten() };
    },
    async compact() {
      const store = openStore();
      const doc = new Y.Doc();
      const persisted = persistDoc(doc, COMMUNITY, store, { onError: failOnError });
      await persisted.whenLoaded; // in the app the doc is already loaded when compaction runs
      const run = await timed(() => persisted.compactNow());
      await persisted.close();
      await store.close();
      return run;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The run

interface DesignReport {
  readonly label: string;
  readonly write: WriteResult;
  readonly before: StoredStats;
  readonly openBefore: OpenResult;
  readonly compaction: Timed<void>;
  readonly after: StoredStats;
  readonly openAfter: OpenResult;
}

async function openMedian(design: Design, expected: string): Promise<OpenResult> {
  const runs: OpenResult[] = [];
  for (let i = 0; i < OPEN_RUNS; i += 1) runs.push(await design.open(expected));
  const ms = median(runs.map((r) => r.ms));
  return { ...runs.find((r) => r.ms === ms)!, ms, maxBlockMs: Math.max(...runs.map((r) => r.maxBlockMs)) };
}

async function measure(design: Design, trace: Trace, txnCount: number, expected: string | null): Promise<DesignReport> {
  const log = (step: string): void => console.log(`  [${design.label}] ${step}`);
  log(`typing ${txnCount.toLocaleString('en-US')} transactions…`);
  const write = await design.write(trace, txnCount);
  if (expected !== null) expect(write.text).toBe(expected);
  log(`persisted in ${write.persistMs.toFixed(0)} ms; opening before compaction…`);
  const before = await design.stats();
  const openBefore = await openMedian(design, write.text);
  log('compacting…');
  const compaction = await design.compact();
  const after = await design.stats();
  log('opening after compaction…');
  const openAfter = await openMedian(design, write.text);
  return { label: design.label, write, before, openBefore, compaction, after, openAfter };
}

function rawOpen(state: Uint8Array, decodeFirst: boolean): number {
  const times: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const start = performance.now();
    const doc = new Y.Doc();
    if (decodeFirst) Y.decodeUpdateV2(state);
    Y.applyUpdateV2(doc, state);
    times.push(performance.now() - start);
    doc.destroy();
  }
  return median(times.slice(1)); // the first run warms up
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => (value >= 100 ? n(value) : value.toFixed(1));
const x = (value: number): string => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;

function printTable(reports: readonly DesignReport[], stateBytes: number, rawMs: number): void {
  const rows: [string, (r: DesignReport) => string][] = [
    ['1. persist trace as live typing (ms)', (r) => ms(r.write.persistMs)],
    ['   of which the typing loop (ms)', (r) => ms(r.write.typingMs)],
    ['   log rows written / bytes', (r) => `${n(r.write.logRowsWritten)} / ${n(r.write.logBytesWritten)}`],
    ['   compactions while typing', (r) => n(r.write.compactionsDuringTyping)],
    ['   rows read back while typing', (r) => n(r.write.rowsReadDuringTyping)],
    ['   longest event-loop stall (ms)', (r) => ms(r.write.maxBlockMs)],
    ['2. stored before compaction: rows / bytes', (r) => `${n(r.before.rows)} / ${n(r.before.bytes)}`],
    ['   bytes ÷ state', (r) => x(r.before.bytes / stateBytes)],
    ['   compaction (ms) / longest stall (ms)', (r) => `${ms(r.compaction.ms)} / ${ms(r.compaction.maxBlockMs)}`],
    ['   stored after compaction: rows / bytes', (r) => `${n(r.after.rows)} / ${n(r.after.bytes)}`],
    ['   bytes ÷ state', (r) => x(r.after.bytes / stateBytes)],
    ['3. open before compaction (ms)', (r) => ms(r.openBefore.ms)],
    ['   ÷ raw applyUpdateV2', (r) => x(r.openBefore.ms / rawMs)],
    ['   longest stall on open (ms)', (r) => ms(r.openBefore.maxBlockMs)],
    ['   open after compaction (ms)', (r) => ms(r.openAfter.ms)],
    ['   ÷ raw applyUpdateV2', (r) => x(r.openAfter.ms / rawMs)],
    ['   longest stall on open (ms)', (r) => ms(r.openAfter.maxBlockMs)],
    ['4. rows read on open: before / after', (r) => `${n(r.openBefore.rowsRead)} / ${n(r.openAfter.rowsRead)}`],
    ['   rows written by opening', (r) => `${n(r.openBefore.rowsWritten)} / ${n(r.openAfter.rowsWritten)}`],
  ];
  const width0 = Math.max(...rows.map(([label]) => label.length));
  const widths = reports.map((r) => Math.max(r.label.length, ...rows.map(([, cell]) => cell(r).length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(width0) : c.padStart(widths[i - 1]!))).join(' | ')} |`;
  console.log(line(['', ...reports.map((r) => r.label)]));
  console.log(`|${['-'.repeat(width0 + 2), ...widths.map((w) => '-'.repeat(w + 1) + ':')].join('|')}|`);
  for (const [label, cell] of rows) console.log(line([label, ...reports.map(cell)]));
}

it('store choice: y-dexie vs log + snapshot on the automerge-paper trace', async () => {
  const trace = loadTrace();
  const txnCount = Math.min(trace.txns.length, Number(process.env.BENCH_TXNS ?? trace.txns.length));
  const full = txnCount === trace.txns.length;
  const ops = trace.txns.slice(0, txnCount).reduce((sum, t) => sum + t.patches.length, 0);
  console.log(`\nautomerge-paper trace: ${n(txnCount)} of ${n(trace.txns.length)} transactions (${n(ops)} ops)${full ? '' : ' — FIRST N ONLY'}`);

  // y-dexie logs "Y.Doc … was destroyed" through console.debug on every release.
  const debug = console.debug;
  console.debug = () => undefined;
  try {
    const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const reports = [
      await measure(yDexieDesign(`bench-ydexie-${run}`), trace, txnCount, full ? trace.endContent : null),
      await measure(logSnapshotDesign(`bench-hearth-${run}`), trace, txnCount, full ? trace.endContent : null),
    ];
    const [a, b] = reports as [DesignReport, DesignReport];
    expect(b.write.text).toBe(a.write.text);

    const state = a.write.state;
    const stateV1 = Y.convertUpdateFormatV2ToV1(state).byteLength;
    const rawMs = rawOpen(state, false);
    const decodeApplyMs = rawOpen(state, true);
    console.log(`final text ${n(a.write.text.length)} chars${full ? ', equals endContent' : ''}`);
    console.log(
      `Y.encodeStateAsUpdateV2 = ${n(state.byteLength)} B (V1 ${n(stateV1)} B); raw Y.applyUpdateV2 into a fresh doc = ${ms(rawMs)} ms` +
        ` (decodeUpdateV2 + applyUpdateV2, as applyStoredUpdate does = ${ms(decodeApplyMs)} ms); opens: median of ${OPEN_RUNS}\n`,
    );
    printTable(reports, state.byteLength, rawMs);
  } catch (error) {
    // Vitest 5 on Node 20 crashes while printing a failure (Map.groupBy), hiding it: print it here.
    console.error('store-choice bench failed:', error);
    throw error;
  } finally {
    console.debug = debug;
  }
});
