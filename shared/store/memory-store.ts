// An in-memory CommunityStore for tests and for code that needs a store before a real one exists.
import type { CommunityEntry, CommunityStore, LoadedCommunity, StoreProblem, StoredUpdate } from './store.js';
import { SNAPSHOT_SEQ } from './store.js';

export interface CommunityRows {
  snapshot: Uint8Array | null;
  snapshotSha256?: string | null;
  log: StoredUpdate[];
  setAside: { seq: number; bytes: Uint8Array; reason: string }[];
}

export class MemoryStore implements CommunityStore {
  private readonly entries = new Map<string, CommunityEntry>();
  private readonly rows = new Map<string, CommunityRows>();
  private nextSeq = 1;
  private closed = false;

  async listCommunities(): Promise<{ communities: CommunityEntry[]; problems: StoreProblem[] }> {
    this.assertOpen();
    const communities = [...this.entries.values()].sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
    return { communities, problems: [] };
  }

  async putCommunity(entry: CommunityEntry): Promise<void> {
    this.assertOpen();
    this.entries.set(entry.id, { ...entry });
  }

  async load(communityId: string): Promise<LoadedCommunity> {
    this.assertOpen();
    const rows = this.rows.get(communityId);
    return { snapshot: rows?.snapshot ?? null, snapshotSha256: rows?.snapshotSha256 ?? null, updates: rows ? [...rows.log] : [] };
  }

  async append(communityId: string, update: Uint8Array, checksum?: number): Promise<number> {
    this.assertOpen();
    const seq = this.nextSeq++;
    this.rowsOf(communityId).log.push({ seq, update: update.slice(), checksum: checksum ?? null });
    return seq;
  }

  async compact(communityId: string, snapshot: Uint8Array, upToSeq: number, sha256?: string): Promise<void> {
    this.assertOpen();
    const rows = this.rowsOf(communityId);
    rows.snapshot = snapshot.slice();
    rows.snapshotSha256 = sha256 ?? null;
    rows.log = rows.log.filter((row) => row.seq > upToSeq);
  }

  async setAside(communityId: string, seq: number, reason: string): Promise<void> {
    this.assertOpen();
    const rows = this.rowsOf(communityId);
    if (seq === SNAPSHOT_SEQ) {
      if (rows.snapshot) rows.setAside.push({ seq, bytes: rows.snapshot, reason });
      rows.snapshot = null;
      return;
    }
    const row = rows.log.find((candidate) => candidate.seq === seq);
    if (!row) return;
    rows.setAside.push({ seq, bytes: row.update, reason });
    rows.log = rows.log.filter((candidate) => candidate.seq !== seq);
  }

  async stats(communityId: string): Promise<{ logRows: number; bytes: number }> {
    const rows = this.rows.get(communityId);
    if (!rows) return { logRows: 0, bytes: 0 };
    const bytes = (rows.snapshot?.byteLength ?? 0) + rows.log.reduce((sum, row) => sum + row.update.byteLength, 0);
    return { logRows: rows.log.length, bytes };
  }

  /** Rows set aside for a community (test and diagnostics view). */
  setAsideRows(communityId: string): readonly { seq: number; bytes: Uint8Array; reason: string }[] {
    return this.rows.get(communityId)?.setAside ?? [];
  }

  /** Test hook: the stored rows themselves, for a test to damage in place (flip a bit, drop a hash). */
  rawRows(communityId: string): CommunityRows {
    return this.rowsOf(communityId);
  }

  /** Test hook: writes raw bytes as a log row, as a damaged disk or a foreign writer would. */
  injectRawRow(communityId: string, bytes: Uint8Array): number {
    const seq = this.nextSeq++;
    this.rowsOf(communityId).log.push({ seq, update: bytes });
    return seq;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private rowsOf(communityId: string): CommunityRows {
    let rows = this.rows.get(communityId);
    if (!rows) {
      rows = { snapshot: null, log: [], setAside: [] };
      this.rows.set(communityId, rows);
    }
    return rows;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The store is closed.');
  }
}
