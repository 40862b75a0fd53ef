// Measure 7: memory held once the large community is open, against a raw Y.Doc of the same state.
// Each side runs in a fresh process (this file, started again with an argument) so neither sees the
// other's garbage; the figure is the growth of V8's heap plus array buffers, after full collections,
// from just before opening to just after.
import { spawnSync } from 'node:child_process';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { DexieStore } from '../../../renderer/store/dexie-store.js';
import { persistDoc } from '../../../shared/store/persist-doc.js';
import { homeQueries } from '../harness/home.js';
import { largeCommunity } from '../harness/large-community.js';
import { progress, report } from '../harness/report.js';
import { sleep } from '../harness/stats.js';

const gc = (globalThis as { gc?: () => void }).gc;

async function settledBytes(): Promise<number> {
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i += 1) {
    gc();
    await sleep(20);
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function side(which: 'raw' | 'hearth'): Promise<void> {
  const community = largeCommunity();
  const keep: unknown[] = [];
  if (which === 'raw') {
    const before = await settledBytes();
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, community.state);
    keep.push(doc);
    const after = await settledBytes();
    process.stdout.write(`${JSON.stringify({ bytes: after - before })}\n`);
    return;
  }
  // The stored community sits in fake-indexeddb before the measurement starts, as it sits on disk.
  const seeding = new DexieStore({ name: 'hearth-bench-memory', indexedDB, IDBKeyRange });
  await seeding.putCommunity({ id: community.communityId, name: community.name, joinedAt: 0, lastOpenedAt: 0, signalingHints: [] });
  await seeding.compact(community.communityId, community.state, 0);
  await seeding.close();
  const before = await settledBytes();
  const store = new DexieStore({ name: 'hearth-bench-memory', indexedDB, IDBKeyRange });
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, community.communityId, store);
  await persisted.whenLoaded;
  // What the open home keeps: the document, its store binding and the views the home renders.
  keep.push(doc, persisted, store, homeQueries(doc, community.memberId));
  const after = await settledBytes();
  process.stdout.write(`${JSON.stringify({ bytes: after - before })}\n`);
}

const which = process.argv[2];
if (which === 'raw' || which === 'hearth') {
  await side(which);
} else {
  const measureSide = (name: string): number => {
    const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), name], {
      encoding: 'utf8',
      timeout: 100_000,
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    try {
      return (JSON.parse(line) as { bytes: number }).bytes;
    } catch {
      throw new Error(`memory (${name}) failed: ${result.stderr.slice(-500)}`);
    }
  };
  const raw = measureSide('raw');
  const hearth = measureSide('hearth');
  progress(`heap + array buffers: Hearth ${(hearth / 1_048_576).toFixed(1)} MB, raw Y.Doc ${(raw / 1_048_576).toFixed(1)} MB`);
  report([
    {
      id: '7',
      measure: 'Memory of the open large community (doc, store binding, home views)',
      baselineLabel: 'a raw Y.Doc of the same state',
      hearth,
      baseline: raw,
      unit: 'B',
      pass: null,
    },
  ]);
}
