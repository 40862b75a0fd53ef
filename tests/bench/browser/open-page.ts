// The page Chromium runs for measures 1 and 3 on Chromium's own IndexedDB (the renderer's DexieStore):
//   - the large community opened with persistDoc and the home's queries, against raw Y.applyUpdateV2 of
//     the same state in the same page;
//   - B4 typed live through persistDoc (keystroke → durable, blocks of the thread), and a 260k-row log
//     opened and compacted.
// build/bench.mjs bundles it; measures/chromium.ts drives it.
import * as Y from 'yjs';
import { DexieStore } from '../../../renderer/store/dexie-store.js';
import { COMPACT_DELAY_MS, persistDoc } from '../../../shared/store/persist-doc.js';
import { homeQueries } from '../harness/home.js';
import { durabilityProbe } from '../harness/durability.js';
import { seedStoredCommunity, LOG_ROWS_AFTER_SNAPSHOT } from '../harness/seed.js';
import type { Trace } from '../harness/trace-apply.js';

const DATABASE = 'hearth-bench-open';

interface Community {
  readonly communityId: string;
  readonly name: string;
  readonly memberId: string;
}

let seededState: Uint8Array | null = null;

async function seed(community: Community, stateUrl: string): Promise<number> {
  const state = new Uint8Array(await (await fetch(stateUrl)).arrayBuffer());
  const store = new DexieStore({ name: DATABASE });
  seededState = await seedStoredCommunity(store, { ...community, state });
  await store.close();
  return seededState.byteLength;
}

async function openHearth(community: Community): Promise<{ total: number; load: number; queries: number }> {
  const start = performance.now();
  const store = new DexieStore({ name: DATABASE });
  const listed = await store.listCommunities();
  if (!listed.communities.some((entry) => entry.id === community.communityId)) throw new Error('the community is not listed');
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, community.communityId, store);
  const report = await persisted.whenLoaded;
  const loaded = performance.now();
  const home = homeQueries(doc, community.memberId);
  const end = performance.now();
  if (report.rowsRead !== LOG_ROWS_AFTER_SNAPSHOT + 1 || home.members === 0) throw new Error('the community did not open whole');
  await persisted.close();
  await store.close();
  doc.destroy();
  return { total: end - start, load: loaded - start, queries: end - loaded };
}

function openRaw(): number {
  if (!seededState) throw new Error('seed first');
  const start = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, seededState);
  const ms = performance.now() - start;
  doc.destroy();
  return ms;
}

/** Alternates Hearth and raw opens, so both see the same load on the machine. */
async function compare(
  community: Community,
  runs: number,
): Promise<{ hearth: { total: number; load: number; queries: number }[]; raw: number[] }> {
  await openHearth(community);
  openRaw();
  const hearth = [];
  const raw = [];
  for (let i = 0; i < runs; i += 1) {
    hearth.push(await openHearth(community));
    raw.push(openRaw());
  }
  return { hearth, raw };
}

// ---------------------------------------------------------------------------------------------
// Storage on Chromium's IndexedDB

const COMMUNITY = 'benchcommunity01';

/** A macrotask without setTimeout's 4 ms clamp: what a UI gets between two input events. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Runs `fn` while a task loop measures the longest stretch in which no task could run. */
async function probeStalls<T>(fn: () => Promise<T>): Promise<{ ms: number; stallMs: number; value: T }> {
  let stallMs = 0;
  let last = performance.now();
  let stopped = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    if (!stopped) setTimeout(() => channel.port2.postMessage(null), 1);
  };
  channel.port2.postMessage(null);
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 10));
  stopped = true;
  channel.port1.close();
  return { ms, stallMs, value };
}

/**
 * The trace as a few flat arrays: the JSON's million small objects would stay on the page's heap and
 * make every major collection during typing far longer than a member's page would ever see.
 */
interface CompactTrace {
  readonly txns: number;
  /** Patches of transaction t: firstPatch[t] … firstPatch[t + 1] - 1. */
  readonly firstPatch: Int32Array;
  readonly position: Int32Array;
  readonly deleteCount: Int32Array;
  /** Inserted text of patch p: inserts.slice(insertStart[p], insertStart[p + 1]). */
  readonly insertStart: Int32Array;
  readonly inserts: string;
  readonly endContent: string;
}

let trace: CompactTrace | null = null;
async function loadTrace(url: string): Promise<CompactTrace> {
  if (trace) return trace;
  const json = (await (await fetch(url)).json()) as Trace;
  const patches = json.txns.reduce((sum, txn) => sum + txn.patches.length, 0);
  const firstPatch = new Int32Array(json.txns.length + 1);
  const position = new Int32Array(patches);
  const deleteCount = new Int32Array(patches);
  const insertStart = new Int32Array(patches + 1);
  const inserts: string[] = [];
  let patch = 0;
  let offset = 0;
  json.txns.forEach((txn, index) => {
    firstPatch[index] = patch;
    for (const [at, deleted, inserted] of txn.patches) {
      position[patch] = at;
      deleteCount[patch] = deleted;
      insertStart[patch] = offset;
      inserts.push(inserted);
      offset += inserted.length;
      patch += 1;
    }
  });
  firstPatch[json.txns.length] = patch;
  insertStart[patch] = offset;
  trace = {
    txns: json.txns.length,
    firstPatch,
    position,
    deleteCount,
    insertStart,
    inserts: inserts.join(''),
    endContent: json.endContent,
  };
  return trace;
}

function typeTxn(text: Y.Text, compact: CompactTrace, txn: number): void {
  for (let p = compact.firstPatch[txn]!; p < compact.firstPatch[txn + 1]!; p += 1) {
    if (compact.deleteCount[p]! > 0) text.delete(compact.position[p]!, compact.deleteCount[p]!);
    const inserted = compact.inserts.slice(compact.insertStart[p]!, compact.insertStart[p + 1]!);
    if (inserted.length > 0) text.insert(compact.position[p]!, inserted);
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Types the trace live, one transaction per trace transaction, each in its own task: back to back
 * (`intervalMs` 0: the replay's pace, far beyond any typist) or one every `intervalMs`; stops after
 * `maxKeys` keystrokes or `limitMs`.
 */
async function typing(traceUrl: string, limitMs: number, intervalMs = 0, maxKeys = Number.POSITIVE_INFINITY) {
  const compact = await loadTrace(traceUrl);
  const keyTimes = new Float64Array(compact.txns + 1);
  let typed = 0;
  const inner = new DexieStore({ name: `hearth-bench-typing-${Date.now()}` });
  const probe = durabilityProbe(inner, keyTimes, () => typed);
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, COMMUNITY, probe.store);
  await persisted.whenLoaded;
  const text = doc.getText('text');
  const run = await probeStalls(async () => {
    const deadline = performance.now() + limitMs;
    for (let i = 0; i < compact.txns && i < maxKeys && performance.now() < deadline; i += 1) {
      keyTimes[i] = performance.now();
      typed = i + 1;
      doc.transact(() => typeTxn(text, compact, i));
      await (intervalMs > 0 ? new Promise((resolve) => setTimeout(resolve, intervalMs)) : nextTask());
    }
    await persisted.flush();
  });
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // a compaction the last rows scheduled
  await persisted.flush();
  const stats = await inner.stats(COMMUNITY);
  const stateBytes = Y.encodeStateAsUpdateV2(doc).byteLength;
  await persisted.close();
  await inner.close();
  doc.destroy();
  const { latencies } = probe;
  return {
    typed,
    ms: run.ms,
    stallMs: run.stallMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: percentile(latencies, 100),
    ...probe.counts(),
    storedBytes: stats.bytes,
    logRows: stats.logRows,
    stateBytes,
  };
}

/** The same typing with no store at all: what Yjs and the page cost by themselves. */
async function typingRaw(traceUrl: string, keys: number) {
  const compact = await loadTrace(traceUrl);
  const doc = new Y.Doc();
  const text = doc.getText('text');
  const run = await probeStalls(async () => {
    for (let i = 0; i < compact.txns && i < keys; i += 1) {
      doc.transact(() => typeTxn(text, compact, i));
      await nextTask();
    }
  });
  doc.destroy();
  return { ms: run.ms, stallMs: run.stallMs };
}

/** One raw IndexedDB add (through Dexie) of a keystroke-sized row at a time: p95. */
async function rawAdds(count: number): Promise<number> {
  const store = new DexieStore({ name: `hearth-bench-raw-${Date.now()}` });
  await store.db.open();
  const update = new Uint8Array(24).fill(7);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await store.db.updates.add({ communityId: COMMUNITY, update });
    times.push(performance.now() - start);
  }
  await store.close();
  return percentile(times, 95);
}

/** Every update of the trace as its own log row; then open and compaction, each with its longest block. */
async function longLog(traceUrl: string) {
  const compact = await loadTrace(traceUrl);
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('updateV2', (update: Uint8Array) => updates.push(update));
  const sourceText = source.getText('text');
  for (let i = 0; i < compact.txns; i += 1) source.transact(() => typeTxn(sourceText, compact, i));
  const encodeStart = performance.now();
  Y.encodeStateAsUpdateV2(source);
  const encodeMs = performance.now() - encodeStart;
  source.destroy();
  const name = `hearth-bench-long-${Date.now()}`;
  const seeding = new DexieStore({ name });
  for (let i = 0; i < updates.length; i += 10_000) {
    await seeding.db.updates.bulkAdd(updates.slice(i, i + 10_000).map((update) => ({ communityId: COMMUNITY, update })));
  }
  await seeding.close();
  // The recorded updates are on disk now; dropping them keeps the page's heap what a member's would be.
  const rows = updates.length;
  updates.length = 0;
  const store = new DexieStore({ name });
  await store.db.open();
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, COMMUNITY, store, { compactDelayMs: 600_000 });
  const open = await probeStalls(() => persisted.whenLoaded);
  // The app compacts COMPACT_DELAY_MS after the load scheduled it, not in the same breath.
  await new Promise((resolve) => setTimeout(resolve, COMPACT_DELAY_MS));
  const compaction = await probeStalls(() => persisted.compactNow());
  const after = await store.stats(COMMUNITY);
  const whole = doc.getText('text').toString() === compact.endContent;
  await persisted.close();
  await store.close();
  doc.destroy();
  return {
    rows,
    openMs: open.ms,
    openStallMs: open.stallMs,
    compactionMs: compaction.ms,
    compactionStallMs: compaction.stallMs,
    encodeMs,
    afterRows: after.logRows,
    afterBytes: after.bytes,
    whole,
  };
}

(globalThis as { hearthBench?: unknown }).hearthBench = { seed, compare, typing, typingRaw, rawAdds, longLog };
