// The renderer's CommunityStore: Dexie over IndexedDB. One database per profile holds the community
// directory, each community's snapshot and update log, rows set aside as damaged, and local settings.
import Dexie, { type Table } from 'dexie';
import type { CommunityEntry, LoadedCommunity, StoreProblem, StoredUpdate } from '../../shared/store/store.js';
import type { BlobRow, DeviceStore, ReadMarkRow } from './device-store.js';
import { SNAPSHOT_SEQ } from '../../shared/store/store.js';
import { changeLogKey } from '../../shared/sync/change-log.js';

export const DEFAULT_DATABASE_NAME = 'hearth';
/** Log keys read per step of a compaction's delete. */
const COMPACTION_PAGE_ROWS = 20_000;
/** Bounds the delete loop: 10,000 pages of 20,000 rows is more than any log reaches. */
const MAX_COMPACTION_PAGES = 10_000;

interface UpdateRow {
  seq?: number;
  communityId: string;
  update: Uint8Array;
  /** persistDoc's CRC-32 of `update` (absent on rows from before checksums were kept). */
  checksum?: number;
}

interface SnapshotRow {
  communityId: string;
  snapshot: Uint8Array;
  upToSeq: number;
  /** SHA-256 (hex) of `snapshot` when written (absent on rows from before it was kept). */
  sha256?: string;
}

interface DamagedRow {
  id?: number;
  communityId: string;
  seq: number;
  bytes: unknown;
  reason: string;
  at: number;
}

interface SettingRow {
  key: string;
  value: unknown;
}

class HearthDatabase extends Dexie {
  communities!: Table<unknown, string>;
  updates!: Table<UpdateRow, number>;
  snapshots!: Table<SnapshotRow, string>;
  damaged!: Table<DamagedRow, number>;
  settings!: Table<SettingRow, string>;
  blobs!: Table<BlobRow, string>;
  readMarks!: Table<ReadMarkRow, [string, string]>;

  constructor(name: string, dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
    // Durability is chosen per transaction: appends are strict (DexieStore.append), the rest keeps the
    // browser's default. Strict for every transaction (Dexie's one setting) cost ~400 ms of time to
    // interactive on a large community in Chromium, for reads and settings that lose nothing to a power cut.
    super(name, dependencies ? { indexedDB: dependencies.indexedDB, IDBKeyRange: dependencies.IDBKeyRange } : undefined);
    this.version(1).stores({
      communities: 'id',
      updates: '++seq, [communityId+seq]',
      snapshots: 'communityId',
      damaged: '++id, communityId',
      settings: 'key',
    });
    // Version 2 adds file blobs (library) and local read marks (threads); existing rows are untouched.
    this.version(2).stores({
      blobs: 'hash',
      readMarks: '[communityId+itemId], communityId',
    });
  }
}

export interface DexieStoreOptions {
  readonly name?: string;
  /** For Node tests: fake-indexeddb's factory and key range. The browser's own are used otherwise. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
}

export class DexieStore implements DeviceStore {
  readonly db: HearthDatabase;

  constructor(options: DexieStoreOptions = {}) {
    const dependencies =
      options.indexedDB && options.IDBKeyRange ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : undefined;
    this.db = new HearthDatabase(options.name ?? DEFAULT_DATABASE_NAME, dependencies);
  }

  async listCommunities(): Promise<{ communities: CommunityEntry[]; problems: StoreProblem[] }> {
    const rows = await this.db.communities.toArray();
    const communities: CommunityEntry[] = [];
    const problems: StoreProblem[] = [];
    for (const row of rows) {
      const entry = parseCommunityEntry(row);
      if (entry) communities.push(entry);
      else problems.push({ communityId: idOf(row), message: 'A community entry on this device is damaged and was skipped.' });
    }
    communities.sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
    return { communities, problems };
  }

  async putCommunity(entry: CommunityEntry): Promise<void> {
    await this.db.communities.put({ ...entry });
  }

  async load(communityId: string): Promise<LoadedCommunity> {
    return this.db.transaction('r', this.db.snapshots, this.db.updates, async () => {
      const snapshotRow = await this.db.snapshots.get(communityId);
      const rows = await this.logOf(communityId, Dexie.maxKey).toArray();
      const snapshot = snapshotRow?.snapshot instanceof Uint8Array ? snapshotRow.snapshot : snapshotRow ? new Uint8Array(0) : null;
      // A row that is not bytes is passed on as it is: persistDoc refuses it and sets it aside.
      const updates: StoredUpdate[] = rows.map((row) => ({
        seq: row.seq ?? 0,
        update: row.update,
        checksum: typeof row.checksum === 'number' ? row.checksum : null,
      }));
      const snapshotSha256 = typeof snapshotRow?.sha256 === 'string' ? snapshotRow.sha256 : null;
      return { snapshot, snapshotSha256, updates };
    });
  }

  /**
   * Appends in a strict-durability IndexedDB transaction: it completes only once IndexedDB has flushed it
   * to disk, so an append that resolved (an acknowledged keystroke) survives a power cut; Chromium's
   * relaxed default could lose it. Dexie has one durability setting for every transaction, so this one
   * goes to IndexedDB itself, on Dexie's own connection.
   */
  async append(communityId: string, update: Uint8Array, checksum?: number): Promise<number> {
    const row: UpdateRow = { communityId, update, ...(checksum === undefined ? {} : { checksum }) };
    if (!this.db.isOpen()) await this.db.open();
    const database = this.db.backendDB();
    return new Promise<number>((resolve, reject) => {
      const transaction = database.transaction('updates', 'readwrite', { durability: 'strict' });
      const request = transaction.objectStore('updates').add(row);
      transaction.oncomplete = () => resolve(request.result as number);
      transaction.onabort = () => reject(transaction.error ?? new Error('The change could not be saved.'));
      transaction.onerror = (event) => event.preventDefault();
    });
  }

  async compact(communityId: string, snapshot: Uint8Array, upToSeq: number, sha256?: string): Promise<void> {
    await this.db.transaction('rw', this.db.snapshots, this.db.updates, async () => {
      await this.db.snapshots.put({ communityId, snapshot, upToSeq, ...(sha256 ? { sha256 } : {}) });
      // Deleting through the [communityId+seq] index makes Dexie read every row back first, which kept
      // appends waiting (a 260k-row log took ~34 s in Chromium). The keys alone, cut into runs of
      // consecutive seqs, delete as primary-key ranges: no other community's row can sit inside a run.
      // Keys come a page at a time, so no single result blocks the page's thread for long.
      for (let page = 0; page < MAX_COMPACTION_PAGES; page += 1) {
        const seqs = await this.logOf(communityId, upToSeq).limit(COMPACTION_PAGE_ROWS).primaryKeys();
        for (const [from, to] of consecutiveRuns(seqs)) await this.db.updates.where(':id').between(from, to, true, true).delete();
        if (seqs.length < COMPACTION_PAGE_ROWS) break;
      }
    });
  }

  async setAside(communityId: string, seq: number, reason: string): Promise<void> {
    await this.db.transaction('rw', this.db.snapshots, this.db.updates, this.db.damaged, async () => {
      const at = Date.now();
      if (seq === SNAPSHOT_SEQ) {
        const row = await this.db.snapshots.get(communityId);
        if (!row) return;
        await this.db.damaged.add({ communityId, seq, bytes: row.snapshot, reason, at });
        await this.db.snapshots.delete(communityId);
        return;
      }
      const row = await this.db.updates.get(seq);
      if (!row || row.communityId !== communityId) return;
      await this.db.damaged.add({ communityId, seq, bytes: row.update, reason, at });
      await this.db.updates.delete(seq);
    });
  }

  /** Log rows of one community with seq up to `upToSeq`, in seq order (the compound index keeps it cheap). */
  private logOf(communityId: string, upToSeq: number | typeof Dexie.maxKey) {
    return this.db.updates.where('[communityId+seq]').between([communityId, Dexie.minKey], [communityId, upToSeq], true, true);
  }

  async damagedCount(communityId: string): Promise<number> {
    return this.db.damaged.where('communityId').equals(communityId).count();
  }

  async stats(communityId: string): Promise<{ logRows: number; bytes: number }> {
    const snapshot = await this.db.snapshots.get(communityId);
    let bytes = snapshot?.snapshot instanceof Uint8Array ? snapshot.snapshot.byteLength : 0;
    let logRows = 0;
    await this.logOf(communityId, Dexie.maxKey).each((row) => {
      logRows += 1;
      bytes += row.update instanceof Uint8Array ? row.update.byteLength : 0;
    });
    return { logRows, bytes };
  }

  /**
   * Takes a community off this device (leaving it): its directory row, snapshot, update log, signed changes, damaged
   * rows, read marks and per-community settings (keyed `name:<communityId>`, e.g. last seen). Library
   * files stay: blobs are keyed by content hash alone and may be shared with other communities.
   */
  async deleteCommunity(communityId: string): Promise<void> {
    const { communities, snapshots, updates, damaged, readMarks, settings } = this.db;
    await this.db.transaction('rw', [communities, snapshots, updates, damaged, readMarks, settings], async () => {
      await communities.delete(communityId);
      // Its own log and its signed changes (shared/sync/change-log.ts keeps them under a key of their own).
      const keys = [communityId, changeLogKey(communityId)];
      await snapshots.bulkDelete(keys);
      for (const key of keys) {
        const seqs = await this.logOf(key, Dexie.maxKey).primaryKeys();
        for (const [from, to] of consecutiveRuns(seqs)) await updates.where(':id').between(from, to, true, true).delete();
      }
      await damaged.where('communityId').anyOf(keys).delete();
      await readMarks.where('communityId').equals(communityId).delete();
      await settings.filter((row) => row.key.endsWith(`:${communityId}`)).delete();
    });
  }

  async getSetting(key: string): Promise<unknown> {
    return (await this.db.settings.get(key))?.value;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    await this.db.settings.put({ key, value });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * Asks the browser once to keep this origin's storage under pressure instead of evicting it (the
 * communities live only here until a member syncs them). Harmless when refused or unsupported: the
 * answer is returned, nothing depends on it. `storage` is navigator.storage, passed in for tests.
 */
export async function askForPersistentStorage(storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined): Promise<boolean> {
  try {
    if (!storage?.persist) return false;
    if (await storage.persisted?.()) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}

/** Sorted integers as [first, last] runs of consecutive values: [1, 2, 3, 7, 8] → [[1, 3], [7, 8]]. */
export function consecutiveRuns(sorted: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const value of sorted) {
    const last = runs[runs.length - 1];
    if (last && value === last[1] + 1) last[1] = value;
    else runs.push([value, value]);
  }
  return runs;
}

function parseCommunityEntry(row: unknown): CommunityEntry | null {
  if (typeof row !== 'object' || row === null) return null;
  const { id, name, joinedAt, lastOpenedAt, secret, epoch, signalingHints } = row as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof joinedAt !== 'number' || typeof lastOpenedAt !== 'number') return null;
  if (secret !== undefined && typeof secret !== 'string') return null;
  const hints = Array.isArray(signalingHints) ? signalingHints.filter((hint): hint is string => typeof hint === 'string') : [];
  if (epoch !== undefined && !(typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0)) return null;
  return {
    id,
    name,
    joinedAt,
    lastOpenedAt,
    ...(secret === undefined ? {} : { secret }),
    ...(epoch ? { epoch } : {}),
    signalingHints: hints,
  };
}

function idOf(row: unknown): string | null {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}
