import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { hasGap } from '../../shared/store/load-gaps.js';
import { FileStore } from '../../electron/store/file-store.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import { persistDoc } from '../../shared/store/persist-doc.js';
import type { CommunityStore } from '../../shared/store/store.js';
import { DexieStore } from '../../renderer/store/dexie-store.js';

const COMMUNITY = 'community0000001';

interface StoreUnderTest {
  /** Opens the same underlying storage again, as a restart of the app would. */
  open(): CommunityStore;
  /** Writes bytes straight into the log, as a damaged disk or a foreign writer would. */
  corrupt(store: CommunityStore, bytes: unknown): Promise<void>;
}

function memoryStore(): StoreUnderTest {
  const store = new MemoryStore();
  // MemoryStore's close only marks it closed; "reopening" hands out a wrapper over the same rows.
  return {
    open: () => Object.assign(Object.create(store) as MemoryStore, { closed: false }),
    corrupt: async (target, bytes) => void (target as MemoryStore).injectRawRow(COMMUNITY, bytes as Uint8Array),
  };
}

function dexieStore(): StoreUnderTest {
  const indexedDB = new IDBFactory();
  return {
    open: () => new DexieStore({ name: 'hearth-test', indexedDB, IDBKeyRange }),
    corrupt: async (target, bytes) => {
      await (target as DexieStore).db.updates.add({ communityId: COMMUNITY, update: bytes as Uint8Array });
    },
  };
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function fileStore(): StoreUnderTest {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-store-test-'));
  folders.push(dir);
  return {
    open: () => new FileStore(dir),
    // Bytes a file can hold are appended as a record without a checksum (a foreign writer); anything
    // else lands in the log as raw bytes between records, as a damaged disk would leave it.
    corrupt: async (target, bytes) => {
      if (bytes instanceof Uint8Array) await target.append(COMMUNITY, bytes);
      else appendFileSync(join(dir, COMMUNITY, 'log.bin'), String(bytes));
    },
  };
}

const open: CommunityStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

function type(doc: Y.Doc, text: string) {
  for (const char of text) doc.getText('body').insert(doc.getText('body').length, char);
}

describe.each([
  { label: 'MemoryStore', makeStore: memoryStore },
  { label: 'DexieStore on fake-indexeddb', makeStore: dexieStore },
  { label: 'FileStore on a temporary folder', makeStore: fileStore },
])('$label', ({ makeStore }) => {
  it('appends every change and reopens with identical content', async () => {
    const harness = makeStore();
    const store = harness.open();
    open.push(store);
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store);
    await persisted.whenLoaded;
    type(doc, 'hello hearth');
    await persisted.close();

    const reopened = harness.open();
    open.push(reopened);
    const copy = new Y.Doc();
    const report = await persistDoc(copy, COMMUNITY, reopened).whenLoaded;
    expect(copy.getText('body').toString()).toBe('hello hearth');
    expect(report.setAside).toBe(0);
    expect(report.rowsRead).toBeGreaterThan(0);
  });

  it('compaction keeps content identical and shrinks the row count', async () => {
    const harness = makeStore();
    const store = harness.open();
    open.push(store);
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store, { compactAfterRows: 1_000_000 });
    await persisted.whenLoaded;
    for (let index = 0; index < 300; index += 1) {
      type(doc, `line ${index}\n`);
      await persisted.flush();
    }
    const before = await store.stats(COMMUNITY);
    await persisted.compactNow();
    const after = await store.stats(COMMUNITY);
    expect(before.logRows).toBeGreaterThanOrEqual(300);
    expect(after.logRows).toBe(0);
    expect(after.bytes).toBeLessThan(before.bytes);
    await persisted.close();

    const copy = new Y.Doc();
    const reopened = harness.open();
    open.push(reopened);
    const report = await persistDoc(copy, COMMUNITY, reopened).whenLoaded;
    expect(report.rowsRead).toBe(1);
    expect(copy.getText('body').toString()).toBe(doc.getText('body').toString());
    // The snapshot is kept with the SHA-256 of its bytes, so the next load can trust it as written.
    const stored = await reopened.load(COMMUNITY);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', stored.snapshot! as Uint8Array<ArrayBuffer>));
    expect(stored.snapshotSha256).toBe([...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(''));
  });

  it('still checks a snapshot whose bytes no longer match their hash, and sets a damaged one aside', async () => {
    const store = new MemoryStore();
    const doc = new Y.Doc();
    type(doc, 'kept in the log');
    const good = Y.encodeStateAsUpdateV2(doc);
    // A torn snapshot (its first half) under the hash of the whole: the hash does not match, so it is
    // decoded first, refused and set aside; nothing half-applied reaches the document.
    await store.compact(COMMUNITY, good.subarray(0, Math.floor(good.byteLength / 2)), 0, 'ab'.repeat(32));
    await store.append(COMMUNITY, good);
    const copy = new Y.Doc();
    const report = await persistDoc(copy, COMMUNITY, store).whenLoaded;
    expect(report.setAside).toBe(1);
    expect(copy.getText('body').toString()).toBe('kept in the log');
  });

  it('compacts in the background once the log grows past the threshold', async () => {
    const store = makeStore().open();
    open.push(store);
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store, { compactAfterRows: 20, compactDelayMs: 10 });
    await persisted.whenLoaded;
    for (let index = 0; index < 25; index += 1) {
      type(doc, 'x');
      await persisted.flush();
    }
    await expect.poll(async () => (await store.stats(COMMUNITY)).logRows, { timeout: 5_000 }).toBeLessThan(20);
    await persisted.close();
  });

  it('never writes before the first load finished, and keeps what was typed meanwhile', async () => {
    const harness = makeStore();
    const store = harness.open();
    open.push(store);
    const first = new Y.Doc();
    const seeded = persistDoc(first, COMMUNITY, store);
    await seeded.whenLoaded;
    type(first, 'stored ');
    await seeded.close();

    const writes: number[] = [];
    const watched = harness.open();
    open.push(watched);
    const originalAppend = watched.append.bind(watched);
    let loadDone = false;
    const originalLoad = watched.load.bind(watched);
    watched.load = async (id) => {
      const result = await originalLoad(id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      loadDone = true;
      return result;
    };
    watched.append = async (id, update) => {
      writes.push(loadDone ? 1 : 0);
      return originalAppend(id, update);
    };
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, watched);
    type(doc, 'early');
    await persisted.whenLoaded;
    await persisted.close();
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((afterLoad) => afterLoad === 1)).toBe(true);

    const copy = new Y.Doc();
    const reopened = harness.open();
    open.push(reopened);
    await persistDoc(copy, COMMUNITY, reopened).whenLoaded;
    expect(copy.getText('body').toString()).toContain('stored ');
    expect(copy.getText('body').toString()).toContain('early');
  });

  it('sets aside a corrupted or foreign row, keeps everything else, and loses nothing on disk', async () => {
    const harness = makeStore();
    const store = harness.open();
    open.push(store);
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store);
    await persisted.whenLoaded;
    type(doc, 'safe');
    await persisted.flush();
    await harness.corrupt(store, new Uint8Array([255, 1, 2, 3, 4, 5, 6, 7]));
    await harness.corrupt(store, 'a string, not bytes');
    type(doc, ' and sound');
    await persisted.close();

    const copy = new Y.Doc();
    const reopened = harness.open();
    open.push(reopened);
    const copyPersisted = persistDoc(copy, COMMUNITY, reopened);
    const report = await copyPersisted.whenLoaded;
    expect(report.setAside).toBe(2);
    expect(copy.getText('body').toString()).toBe('safe and sound');
    await copyPersisted.close();
    if (reopened instanceof DexieStore) expect(await reopened.damagedCount(COMMUNITY)).toBe(2);
    else if (reopened instanceof FileStore)
      expect(readdirSync(join(folders.at(-1)!, COMMUNITY, 'damaged')).filter((name) => name.endsWith('.bin'))).toHaveLength(2);
    else expect((store as MemoryStore).setAsideRows(COMMUNITY)).toHaveLength(2);
  });

  it('lists communities, newest first, and reports damaged entries without failing', async () => {
    const store = makeStore().open();
    open.push(store);
    await store.putCommunity({ id: 'aaaaaaaaaaaaaaaa', name: 'Older', joinedAt: 1, lastOpenedAt: 10 });
    await store.putCommunity({ id: 'bbbbbbbbbbbbbbbb', name: 'Newer', joinedAt: 2, lastOpenedAt: 20 });
    if (store instanceof DexieStore) await store.db.communities.put({ id: 'cccccccccccccccc', name: 7 });
    const { communities, problems } = await store.listCommunities();
    expect(communities.map((community) => community.name)).toEqual(['Newer', 'Older']);
    expect(problems).toHaveLength(store instanceof DexieStore ? 1 : 0);
  });
});

describe('persistDoc with a failing store', () => {
  it('reports a failed write and keeps the change for the next one', async () => {
    const store = new MemoryStore();
    const errors: unknown[] = [];
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store, { onError: (error) => errors.push(error) });
    await persisted.whenLoaded;
    const append = store.append.bind(store);
    let fail = true;
    store.append = async (id, update) => {
      if (fail) throw new Error('disk full');
      return append(id, update);
    };
    type(doc, 'a');
    await expect(persisted.flush()).rejects.toThrow('disk full');
    expect(errors).toHaveLength(1);
    fail = false;
    type(doc, 'b');
    await persisted.close();
    const copy = new Y.Doc();
    await persistDoc(copy, COMMUNITY, store).whenLoaded;
    expect(copy.getText('body').toString()).toBe('ab');
  });

  it('never writes if the store cannot be read', async () => {
    const store = new MemoryStore();
    store.load = async () => {
      throw new Error('database is broken');
    };
    let appended = 0;
    store.append = async () => ++appended;
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store);
    type(doc, 'x');
    await expect(persisted.whenLoaded).rejects.toThrow('database is broken');
    await persisted.close();
    expect(appended).toBe(0);
  });
});

describe('a damaged load, and a member who fills the gap', () => {
  it('counts the later changes that wait on a damaged row; y-webrtc’s sync step 1 on connect brings them in', async () => {
    const store = new MemoryStore();
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store);
    await persisted.whenLoaded;
    for (const word of ['one ', 'two ', 'three ', 'four ', 'five']) {
      doc.transact(() => type(doc, word));
      await persisted.flush();
    }
    expect((await store.stats(COMMUNITY)).logRows).toBe(5);
    await persisted.close();
    // A member's device that has everything this one wrote.
    const member = new Y.Doc();
    Y.applyUpdateV2(member, Y.encodeStateAsUpdateV2(doc));
    // One bit flips in the second row: the three rows after it continue its text, so they wait on it.
    store.rawRows(COMMUNITY).log[1]!.update[3]! ^= 0b100;

    const copy = new Y.Doc();
    const reopened = persistDoc(copy, COMMUNITY, store);
    const report = await reopened.whenLoaded;
    expect(report).toMatchObject({ setAside: 1, blocked: 3, tornTailBytes: 0 });
    expect(copy.getText('body').toString()).toBe('one ');
    expect(hasGap(copy)).toBe(true);

    // What y-webrtc does when a connection opens (sync starts only after the load, so the state vector
    // it sends already lacks the damaged row): step 1 from this device, step 2 back from the member.
    const step1 = encoding.createEncoder();
    syncProtocol.writeSyncStep1(step1, copy);
    const step2 = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoding.createDecoder(encoding.toUint8Array(step1)), step2, member, 'test');
    syncProtocol.readSyncMessage(decoding.createDecoder(encoding.toUint8Array(step2)), encoding.createEncoder(), copy, 'peer');
    expect(hasGap(copy)).toBe(false);
    expect(copy.getText('body').toString()).toBe('one two three four five');
    await reopened.close();

    // The member's copy was stored like any other change: the next open is whole, and nothing is reported.
    const again = new Y.Doc();
    expect(await persistDoc(again, COMMUNITY, store).whenLoaded).toMatchObject({ setAside: 0, blocked: 0 });
    expect(again.getText('body').toString()).toBe('one two three four five');
    expect(store.setAsideRows(COMMUNITY)).toHaveLength(1);
  });

  it('does not apply a snapshot whose bytes no longer match its hash, even when they still decode', async () => {
    const store = new MemoryStore();
    const doc = new Y.Doc();
    type(doc, 'the whole history');
    const snapshot = Y.encodeStateAsUpdateV2(doc);
    const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', snapshot as Uint8Array<ArrayBuffer>))]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('');
    await store.compact(COMMUNITY, snapshot, 0, sha256);
    // A flipped bit inside the text: still a valid update, with different words in it.
    const stored = store.rawRows(COMMUNITY).snapshot!;
    stored[stored.indexOf('w'.charCodeAt(0))]! ^= 0b1;
    const applied = new Y.Doc();
    Y.applyUpdateV2(applied, stored);
    expect(applied.getText('body').toString()).toBe('the vhole history');
    const copy = new Y.Doc();
    const report = await persistDoc(copy, COMMUNITY, store).whenLoaded;
    expect(report.setAside).toBe(1);
    expect(copy.getText('body').toString()).toBe('');
    expect(store.setAsideRows(COMMUNITY)[0]?.seq).toBe(0);
  });
});

describe('FileStore records', () => {
  it('moves an unreadable stretch aside, reads on at the next good record, and keeps a stretch through a compaction it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-file-store-'));
    folders.push(dir);
    const store = new FileStore(dir);
    const doc = new Y.Doc();
    const persisted = persistDoc(doc, COMMUNITY, store, { compactAfterRows: 1_000_000 });
    await persisted.whenLoaded;
    doc.getMap('notes').set('a', 'first');
    await persisted.flush();
    appendFileSync(join(dir, COMMUNITY, 'log.bin'), Buffer.from('garbage a disk left behind'));
    doc.getMap('notes').set('b', 'second');
    await persisted.flush();
    await persisted.close();

    const copy = new Y.Doc();
    const report = await persistDoc(copy, COMMUNITY, new FileStore(dir)).whenLoaded;
    expect(report.setAside).toBe(1);
    expect(report.problems.join('\n')).toContain('an unreadable stretch of the log, 26 bytes');
    expect(copy.getMap('notes').toJSON()).toEqual({ a: 'first', b: 'second' });
    expect(readdirSync(join(dir, COMMUNITY, 'damaged')).some((name) => name.startsWith('unreadable-'))).toBe(true);
    // Moved aside: the next open is clean.
    expect((await persistDoc(new Y.Doc(), COMMUNITY, new FileStore(dir)).whenLoaded).setAside).toBe(0);

    // Damage that appears after a load is not dropped by a compaction's rewrite: the next load reports it.
    appendFileSync(join(dir, COMMUNITY, 'log.bin'), Buffer.from('more garbage, later'));
    const later = new FileStore(dir);
    await later.append(COMMUNITY, new Uint8Array([1, 2, 3]));
    await later.compact(COMMUNITY, Y.encodeStateAsUpdateV2(copy), 0);
    expect((await persistDoc(new Y.Doc(), COMMUNITY, new FileStore(dir)).whenLoaded).problems.join('\n')).toContain(
      'an unreadable stretch of the log, 19 bytes',
    );
  });

  it('reports a torn last record (a crash mid-append, never acknowledged) and keeps its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-file-store-'));
    folders.push(dir);
    const store = new FileStore(dir);
    await store.append(COMMUNITY, Y.encodeStateAsUpdateV2(new Y.Doc()));
    const log = join(dir, COMMUNITY, 'log.bin');
    const whole = readFileSync(log);
    await store.append(COMMUNITY, new Uint8Array(100).fill(7));
    // The second record's header and part of its payload reached the disk.
    writeFileSync(log, readFileSync(log).subarray(0, whole.byteLength + 40));
    const report = await persistDoc(new Y.Doc(), COMMUNITY, new FileStore(dir)).whenLoaded;
    expect(report).toMatchObject({ setAside: 0, tornTailBytes: 40 });
    expect(report.problems.join('\n')).toContain('cut off mid-write');
    expect(readdirSync(join(dir, COMMUNITY, 'damaged')).some((name) => name.startsWith('torn-tail-'))).toBe(true);
    expect(readFileSync(log).byteLength).toBe(whole.byteLength);
  });
});
