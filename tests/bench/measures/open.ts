// Measure 1 in Node: open the large community from the real store (DexieStore over fake-indexeddb, as
// the renderer's store runs in tests) and run the home's queries, against raw Y.applyUpdateV2 of the
// same state bytes in this process. Runs alternate (Hearth, raw, Hearth, raw…) so load on the machine
// hits both alike; the figure is the median.
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { DexieStore } from '../../../renderer/store/dexie-store.js';
import { persistDoc } from '../../../shared/store/persist-doc.js';
import { homeQueries } from '../harness/home.js';
import { largeCommunity } from '../harness/large-community.js';
import { progress, report } from '../harness/report.js';
import { LOG_ROWS_AFTER_SNAPSHOT as LOG_ROWS, seedStoredCommunity } from '../harness/seed.js';
import { median } from '../harness/stats.js';

const RUNS = 7;
const DATABASE = 'hearth-bench-open';

const community = largeCommunity();
const openStore = () => new DexieStore({ name: DATABASE, indexedDB, IDBKeyRange });

interface HearthOpen {
  readonly total: number;
  readonly load: number;
  readonly queries: number;
}

async function openHearth(): Promise<HearthOpen> {
  const start = performance.now();
  const store = openStore();
  const listed = await store.listCommunities();
  if (!listed.communities.some((entry) => entry.id === community.communityId)) throw new Error('the community is not listed');
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, community.communityId, store);
  const loadReport = await persisted.whenLoaded;
  const loaded = performance.now();
  const home = homeQueries(doc, community.memberId);
  const end = performance.now();
  if (loadReport.rowsRead !== LOG_ROWS + 1 || home.threads !== community.counts.threads || home.resources !== community.counts.resources)
    throw new Error('the community did not open whole');
  await persisted.close();
  await store.close();
  doc.destroy();
  return { total: end - start, load: loaded - start, queries: end - loaded };
}

function openRaw(state: Uint8Array): number {
  const start = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, state);
  const ms = performance.now() - start;
  doc.destroy();
  return ms;
}

function queriesOnRaw(state: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, state);
  const start = performance.now();
  homeQueries(doc, community.memberId);
  const ms = performance.now() - start;
  doc.destroy();
  return ms;
}

const seeding = openStore();
const state = await seedStoredCommunity(seeding, community);
await seeding.close();
progress(`seeded: snapshot ${(community.state.byteLength / 1_048_576).toFixed(2)} MB + ${LOG_ROWS} log rows`);
// Warm-up: one of each, untimed.
await openHearth();
openRaw(state);
const hearth: HearthOpen[] = [];
const raw: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  hearth.push(await openHearth());
  raw.push(openRaw(state));
}
const queriesOnly = median([queriesOnRaw(state), queriesOnRaw(state), queriesOnRaw(state)]);
const total = median(hearth.map((run) => run.total));
const load = median(hearth.map((run) => run.load));
const queries = median(hearth.map((run) => run.queries));
const rawMs = median(raw);
progress(
  `Hearth open: total ${total.toFixed(0)} ms (load ${load.toFixed(0)} ms, home queries ${queries.toFixed(0)} ms); raw applyUpdateV2 ${rawMs.toFixed(0)} ms`,
);

report([
  {
    id: '1',
    measure: 'Open the large community from DexieStore (Node, fake-indexeddb) + home queries',
    baselineLabel: 'raw Y.applyUpdateV2 of the same state',
    hearth: total,
    baseline: rawMs,
    unit: 'ms',
    target: '≤ 1.25×',
    pass: total / rawMs <= 1.25,
  },
  {
    id: '1 ·',
    measure: '… of which store read + persistDoc load',
    baselineLabel: 'raw Y.applyUpdateV2',
    hearth: load,
    baseline: rawMs,
    unit: 'ms',
    pass: null,
  },
  {
    id: '1 ·',
    measure: '… of which the home queries',
    baselineLabel: 'raw Y.applyUpdateV2',
    hearth: queries,
    baseline: rawMs,
    unit: 'ms',
    pass: null,
  },
  {
    id: '1 ·',
    measure: '… home queries on an already loaded doc',
    baselineLabel: 'raw Y.applyUpdateV2',
    hearth: queriesOnly,
    baseline: rawMs,
    unit: 'ms',
    pass: null,
  },
]);
