// Storage fuzz: damages a stored community bit by bit (log rows, the snapshot, file-store records and
// headers, garbage stretches, torn tails) in each store and reopens it through persistDoc. Every trial
// must load exactly the original, or report the damage and load exactly what does not depend on it.
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { FileStore } from '../../electron/store/file-store.js';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { hasGap } from '../../shared/store/load-gaps.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import { persistDoc, type LoadReport } from '../../shared/store/persist-doc.js';
import { SNAPSHOT_SEQ, type CommunityStore, type StoredUpdate } from '../../shared/store/store.js';
import { seededRandom } from './convergence-network.js';

const COMMUNITY = 'fuzzcommunity001';
const SEED = 20_260_412;
const LOG_ROW_FLIPS = 300;
const SNAPSHOT_FLIPS = 100;
const HEADER_FLIPS_PER_FIELD = 25;
const GARBAGE_STRETCHES = 40;
const TORN_TAILS = 20;
/** The file-store record layout (electron/store/file-store.ts), for aiming at its header fields. */
const RECORD_HEADER_BYTES = 24;
const HEADER_FIELDS = { magic: 0, seq: 4, length: 8, crc: 20 } as const;
// fsync on a busy disk would dominate the file store's trials; a RAM folder where there is one.
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

const below = (next: () => number, n: number) => Math.floor(next() * n);

/** What a member sees: every note's text and every post, as plain data (keys sorted: a Y.Map's order depends on how it was built). */
function content(doc: Y.Doc): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, inner]) => [key, sorted(inner)]),
          )
        : value;
  return JSON.stringify(sorted({ notes: doc.getMap('notes').toJSON(), posts: doc.getArray('posts').toJSON() }));
}

/**
 * Two members editing one community, the local one persisted: notes typed and trimmed by both (their
 * later edits build on each other's), posts added and deleted. Each step is one log row; the first
 * ten are compacted into the snapshot, the rest stay in the log.
 */
async function writeCommunity(store: CommunityStore): Promise<string> {
  const next = seededRandom(SEED);
  const local = new Y.Doc();
  local.clientID = 1;
  const remote = new Y.Doc();
  remote.clientID = 2;
  local.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(remote, update, 'local'));
  remote.on('update', (update: Uint8Array, origin: unknown) => origin !== 'local' && Y.applyUpdate(local, update, 'remote'));
  const persisted = persistDoc(local, COMMUNITY, store, { compactAfterRows: 1_000_000 });
  await persisted.whenLoaded;
  const words = ['seed swap', 'plot 14', 'water rota', 'compost', 'tool shed', 'spring fair'];
  for (let step = 0; step < 26; step += 1) {
    const doc = step % 3 === 2 ? remote : local;
    doc.transact(() => {
      const notes = doc.getMap<Y.Text>('notes');
      const id = `note-${below(next, 4)}`;
      let note = notes.get(id);
      if (!note) notes.set(id, (note = new Y.Text()));
      note.insert(below(next, note.length + 1), `${words[below(next, words.length)]} `);
      if (note.length > 30 && next() < 0.4) note.delete(below(next, note.length - 5), 4);
      const posts = doc.getArray<Y.Map<string>>('posts');
      if (next() < 0.5) posts.push([new Y.Map(Object.entries({ by: doc === local ? 'sam' : 'alex', text: `post ${step}` }))]);
      else if (posts.length > 2 && next() < 0.3) posts.delete(below(next, posts.length));
    });
    await persisted.flush();
    if (step === 9) await persisted.compactNow();
  }
  await persisted.close();
  return content(local);
}

interface Model {
  snapshot: Uint8Array | null;
  snapshotSha256: string | null;
  updates: StoredUpdate[];
}

const copyModel = (model: Model): Model => ({
  snapshot: model.snapshot ? model.snapshot.slice() : null,
  snapshotSha256: model.snapshotSha256,
  updates: model.updates.map((row) => ({ ...row, update: row.update.slice() })),
});

/** What an intact store would show with the rows in `lost` (seqs; SNAPSHOT_SEQ: the snapshot) gone. */
function reference(pristine: Model, lost: ReadonlySet<number>): { content: string; gap: boolean } {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (pristine.snapshot && !lost.has(SNAPSHOT_SEQ)) Y.applyUpdateV2(doc, pristine.snapshot);
    for (const row of pristine.updates) if (!lost.has(row.seq)) Y.applyUpdateV2(doc, row.update);
  });
  const result = { content: content(doc), gap: hasGap(doc) };
  doc.destroy();
  return result;
}

interface Tally {
  trials: number;
  detected: number;
  exact: number;
  silent: number;
  wrong: number;
  blockedMissed: number;
}

const tallies = new Map<string, Tally>();
function tally(label: string): Tally {
  let found = tallies.get(label);
  if (!found) tallies.set(label, (found = { trials: 0, detected: 0, exact: 0, silent: 0, wrong: 0, blockedMissed: 0 }));
  return found;
}

/** Scores one reopened trial against the original and the reference without the damaged rows. */
function score(
  label: string,
  trial: string,
  loaded: Y.Doc,
  report: LoadReport,
  original: string,
  expected: { content: string; gap: boolean },
): void {
  const counts = tally(label);
  counts.trials += 1;
  const seen = content(loaded);
  const reported = report.setAside > 0 || report.tornTailBytes > 0;
  if (reported) counts.detected += 1;
  if (seen === original) counts.exact += 1;
  else if (!reported) {
    counts.silent += 1;
    console.error(`${label} ${trial}: silent change`, report);
  }
  if (seen !== expected.content) {
    counts.wrong += 1;
    console.error(`${label} ${trial}: loaded content is not the original minus the damaged rows`, report);
  }
  if (expected.gap && report.blocked === 0) {
    counts.blockedMissed += 1;
    console.error(`${label} ${trial}: later changes wait on the damage but none were reported`, report);
  }
}

async function reopen(store: CommunityStore): Promise<{ doc: Y.Doc; report: LoadReport }> {
  const doc = new Y.Doc();
  const persisted = persistDoc(doc, COMMUNITY, store, { compactAfterRows: 1_000_000 });
  const report = await persisted.whenLoaded;
  await persisted.close();
  return { doc, report };
}

/** Flips one bit of a log row (its bytes or its checksum) or of the snapshot (its bytes or its hash). */
function flipInModel(next: () => number, pristine: Model, target: 'log' | 'snapshot'): { model: Model; lost: Set<number> } {
  const model = copyModel(pristine);
  if (target === 'log') {
    const row = model.updates[below(next, model.updates.length)]!;
    const bit = below(next, row.update.byteLength * 8 + 32);
    const index = model.updates.indexOf(row);
    if (bit < row.update.byteLength * 8) row.update[bit >> 3]! ^= 1 << (bit & 7);
    else model.updates[index] = { ...row, checksum: (row.checksum! ^ (1 << (bit - row.update.byteLength * 8))) >>> 0 };
    return { model, lost: new Set([row.seq]) };
  }
  const snapshot = model.snapshot!;
  const hashBits = (model.snapshotSha256 ?? '').length * 7;
  const bit = below(next, snapshot.byteLength * 8 + hashBits);
  if (bit < snapshot.byteLength * 8) snapshot[bit >> 3]! ^= 1 << (bit & 7);
  else {
    const hashBit = bit - snapshot.byteLength * 8;
    const chars = [...model.snapshotSha256!];
    chars[Math.floor(hashBit / 7)] = String.fromCharCode(chars[Math.floor(hashBit / 7)]!.charCodeAt(0) ^ (1 << (hashBit % 7)));
    model.snapshotSha256 = chars.join('');
  }
  return { model, lost: new Set([SNAPSHOT_SEQ]) };
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  for (const [label, counts] of tallies)
    console.log(
      `storage fuzz, ${label}: ${counts.trials} trials, ${counts.detected} detected, ${counts.exact} exact loads, ${counts.silent} silent, ${counts.wrong} wrong, ${counts.blockedMissed} blocked unreported`,
    );
});

function expectClean(label: string, minimumTrials: number): void {
  const counts = tally(label);
  expect(counts.trials).toBeGreaterThanOrEqual(minimumTrials);
  expect(counts.silent).toBe(0);
  expect(counts.wrong).toBe(0);
  expect(counts.blockedMissed).toBe(0);
  expect(counts.detected + counts.exact).toBeGreaterThanOrEqual(counts.trials);
}

describe('storage fuzz', () => {
  it('MemoryStore: 300 flips in log rows and 100 in the snapshot are each caught or harmless', async () => {
    const seeded = new MemoryStore();
    const original = await writeCommunity(seeded);
    const loaded = await seeded.load(COMMUNITY);
    const pristine: Model = { snapshot: loaded.snapshot, snapshotSha256: loaded.snapshotSha256 ?? null, updates: [...loaded.updates] };
    expect(pristine.snapshot).not.toBeNull();
    expect(reference(pristine, new Set()).content).toBe(original);
    expect(pristine.updates.length).toBeGreaterThanOrEqual(10);
    const next = seededRandom(SEED + 1);
    for (const [target, count] of [
      ['log', LOG_ROW_FLIPS],
      ['snapshot', SNAPSHOT_FLIPS],
    ] as const) {
      for (let trial = 0; trial < count; trial += 1) {
        const { model, lost } = flipInModel(next, pristine, target);
        const store = new MemoryStore();
        Object.assign(store.rawRows(COMMUNITY), { snapshot: model.snapshot, snapshotSha256: model.snapshotSha256, log: model.updates });
        const { doc, report } = await reopen(store);
        score(`MemoryStore ${target}`, `trial ${trial}`, doc, report, original, reference(pristine, lost));
        // Set aside means kept: the damaged bytes are still in the store.
        if (report.setAside > 0) expect(store.setAsideRows(COMMUNITY).length).toBe(report.setAside);
        doc.destroy();
      }
    }
    expectClean('MemoryStore log', LOG_ROW_FLIPS);
    expectClean('MemoryStore snapshot', SNAPSHOT_FLIPS);
  });

  it('DexieStore on fake-indexeddb: 300 flips in log rows and 100 in the snapshot are each caught or harmless', async () => {
    const store = new DexieStore({ name: 'hearth-fuzz', indexedDB: new IDBFactory(), IDBKeyRange });
    const original = await writeCommunity(store);
    const loaded = await store.load(COMMUNITY);
    const pristine: Model = { snapshot: loaded.snapshot, snapshotSha256: loaded.snapshotSha256 ?? null, updates: [...loaded.updates] };
    expect(pristine.updates.every((row) => typeof row.checksum === 'number')).toBe(true);
    const next = seededRandom(SEED + 2);
    for (const [target, count] of [
      ['log', LOG_ROW_FLIPS],
      ['snapshot', SNAPSHOT_FLIPS],
    ] as const) {
      for (let trial = 0; trial < count; trial += 1) {
        const { model, lost } = flipInModel(next, pristine, target);
        // One database for every trial (opening a fresh one each time costs more than the trial).
        await store.db.transaction('rw', store.db.updates, store.db.snapshots, store.db.damaged, async () => {
          await store.db.updates.clear();
          await store.db.snapshots.clear();
          await store.db.damaged.clear();
          await store.db.updates.bulkAdd(
            model.updates.map((row) => ({ seq: row.seq, communityId: COMMUNITY, update: row.update, checksum: row.checksum! })),
          );
          await store.db.snapshots.put({ communityId: COMMUNITY, snapshot: model.snapshot!, upToSeq: 0, sha256: model.snapshotSha256! });
        });
        const { doc, report } = await reopen(store);
        score(`DexieStore ${target}`, `trial ${trial}`, doc, report, original, reference(pristine, lost));
        if (report.setAside > 0) expect(await store.damagedCount(COMMUNITY)).toBe(report.setAside);
        doc.destroy();
      }
    }
    await store.close();
    expectClean('DexieStore log', LOG_ROW_FLIPS);
    expectClean('DexieStore snapshot', SNAPSHOT_FLIPS);
  });

  it('FileStore: flips anywhere in the log and snapshot files, in each record header field, garbage stretches and torn tails', async () => {
    const dir = mkdtempSync(join(SCRATCH, 'hearth-fuzz-'));
    folders.push(dir);
    const original = await writeCommunity(new FileStore(dir));
    const folder = join(dir, COMMUNITY);
    const log = readFileSync(join(folder, 'log.bin'));
    const snapshotFile = readFileSync(join(folder, 'snapshot.bin'));
    const loaded = await new FileStore(dir).load(COMMUNITY);
    const pristine: Model = { snapshot: loaded.snapshot, snapshotSha256: loaded.snapshotSha256 ?? null, updates: [...loaded.updates] };
    // Where each record sits in the log, to know which rows a damaged byte range takes with it.
    const records: { seq: number; start: number; end: number }[] = [];
    for (let offset = 0; offset < log.byteLength; offset = records.at(-1)!.end)
      records.push({ seq: log.readUInt32BE(offset + 4), start: offset, end: offset + RECORD_HEADER_BYTES + log.readUInt32BE(offset + 8) });
    expect(records.map((record) => record.seq)).toEqual(pristine.updates.map((row) => row.seq));
    const lostIn = (from: number, to: number) =>
      new Set(records.filter((record) => record.start < to && record.end > from).map((record) => record.seq));

    const trial = async (label: string, number: number, files: { log: Uint8Array; snapshot: Uint8Array }, lost: Set<number>) => {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'log.bin'), files.log);
      writeFileSync(join(folder, 'snapshot.bin'), files.snapshot);
      const { doc, report } = await reopen(new FileStore(dir));
      score(`FileStore ${label}`, `trial ${number}`, doc, report, original, reference(pristine, lost));
      // Whatever was reported is kept in damaged/, byte for byte, not deleted.
      if (report.setAside > 0 || report.tornTailBytes > 0)
        expect(readdirSync(join(folder, 'damaged')).filter((name) => name.endsWith('.bin')).length).toBeGreaterThan(0);
      doc.destroy();
    };
    // Uint8Array.from copies; a Buffer's slice() would be a view onto the pristine bytes.
    const flipped = (bytes: Uint8Array, bit: number) => {
      const copy = Uint8Array.from(bytes);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      return copy;
    };

    const next = seededRandom(SEED + 3);
    for (let number = 0; number < LOG_ROW_FLIPS; number += 1) {
      const bit = below(next, log.byteLength * 8);
      await trial('log', number, { log: flipped(log, bit), snapshot: snapshotFile }, lostIn(bit >> 3, (bit >> 3) + 1));
    }
    for (let number = 0; number < SNAPSHOT_FLIPS; number += 1) {
      const bit = below(next, snapshotFile.byteLength * 8);
      // A flip in the header's upToSeq is harmless (loading does not use it); anywhere else loses the snapshot.
      const harmless = bit >= 32 && bit < 64;
      await trial('snapshot', number, { log, snapshot: flipped(snapshotFile, bit) }, harmless ? new Set() : new Set([SNAPSHOT_SEQ]));
    }
    for (const [field, at] of Object.entries(HEADER_FIELDS)) {
      for (let number = 0; number < HEADER_FLIPS_PER_FIELD; number += 1) {
        const record = records[below(next, records.length)]!;
        await trial(
          `record ${field}`,
          number,
          { log: flipped(log, (record.start + at) * 8 + below(next, 32)), snapshot: snapshotFile },
          new Set([record.seq]),
        );
      }
    }
    for (let number = 0; number < GARBAGE_STRETCHES; number += 1) {
      const garbage = Uint8Array.from({ length: 1 + below(next, 96) }, () => below(next, 256));
      if (number % 2 === 0) {
        // Inserted between two records: nothing is lost, and the stretch is still reported.
        const at = records[1 + below(next, records.length - 1)]!.start;
        await trial(
          'garbage between records',
          number,
          { log: Buffer.concat([log.subarray(0, at), garbage, log.subarray(at)]), snapshot: snapshotFile },
          new Set(),
        );
      } else {
        // Written over the middle of the log: the records it touches are lost, the rest read on.
        const at = records[1]!.start + below(next, records.at(-2)!.end - records[1]!.start - garbage.byteLength);
        const damaged = Uint8Array.from(log);
        damaged.set(garbage, at);
        // Only bytes the garbage really changed take their record with them.
        const changed = [...garbage.keys()].filter((index) => garbage[index] !== log[at + index]);
        const lost = changed.length === 0 ? new Set<number>() : lostIn(at + changed[0]!, at + changed.at(-1)! + 1);
        await trial('garbage over records', number, { log: damaged, snapshot: snapshotFile }, lost);
      }
    }
    for (let number = 0; number < TORN_TAILS; number += 1) {
      const last = records.at(-1)!;
      const cut = last.start + 1 + below(next, last.end - last.start - 1);
      await trial('torn tail', number, { log: log.subarray(0, cut), snapshot: snapshotFile }, new Set([last.seq]));
    }

    expectClean('FileStore log', LOG_ROW_FLIPS);
    expectClean('FileStore snapshot', SNAPSHOT_FLIPS);
    for (const field of Object.keys(HEADER_FIELDS)) expectClean(`FileStore record ${field}`, HEADER_FLIPS_PER_FIELD);
    expectClean('FileStore garbage between records', GARBAGE_STRETCHES / 2);
    expectClean('FileStore garbage over records', GARBAGE_STRETCHES / 2);
    expectClean('FileStore torn tail', TORN_TAILS);
    // Every flip of a header field is caught (each field is under the record CRC), and a torn tail is named.
    for (const field of Object.keys(HEADER_FIELDS)) expect(tally(`FileStore record ${field}`).detected).toBe(HEADER_FLIPS_PER_FIELD);
    expect(tally('FileStore garbage between records').detected).toBe(GARBAGE_STRETCHES / 2);
    expect(tally('FileStore torn tail').detected).toBe(TORN_TAILS);
  });
});
