// A CommunityStore on plain files, for headless peers (tests, benchmarks, later a desktop main-process
// peer): per community a snapshot file and an append-only log whose records are fsynced before an
// append resolves, so whatever was acknowledged survives a SIGKILL.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CommunityEntry, CommunityStore, LoadedCommunity, StoreProblem, StoredUpdate } from '../../shared/store/store.js';
import { SNAPSHOT_SEQ } from '../../shared/store/store.js';
import { ID_PATTERN } from '../../shared/ids.js';

const RECORD_HEADER_BYTES = 8; // seq u32 | length u32
const SNAPSHOT_HEADER_BYTES = 4; // upToSeq u32

export class FileStore implements CommunityStore {
  private nextSeq = 1;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async listCommunities(): Promise<{ communities: CommunityEntry[]; problems: StoreProblem[] }> {
    const file = join(this.dir, 'communities.json');
    if (!existsSync(file)) return { communities: [], problems: [] };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const rows = Array.isArray(parsed) ? parsed : [];
      const communities = rows.filter(isEntry).sort((a, b) => b.lastOpenedAt - a.lastOpenedAt);
      const problems = rows.length === communities.length ? [] : [{ communityId: null, message: `${rows.length - communities.length} damaged community entries were skipped.` }];
      return { communities, problems };
    } catch {
      return { communities: [], problems: [{ communityId: null, message: 'The community list file is damaged; it was left as it is.' }] };
    }
  }

  async putCommunity(entry: CommunityEntry): Promise<void> {
    const { communities } = await this.listCommunities();
    atomicWrite(join(this.dir, 'communities.json'), JSON.stringify([entry, ...communities.filter((item) => item.id !== entry.id)]));
  }

  async load(communityId: string): Promise<LoadedCommunity> {
    const folder = this.folder(communityId);
    const snapshotFile = join(folder, 'snapshot.bin');
    const snapshot = existsSync(snapshotFile) ? readFileSync(snapshotFile).subarray(SNAPSHOT_HEADER_BYTES) : null;
    // Written after the snapshot: a crash between the two leaves a stale hash, which just fails to match.
    const hashFile = join(folder, 'snapshot.sha256');
    const snapshotSha256 = snapshot && existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : null;
    const { updates, validBytes, totalBytes } = readLog(join(folder, 'log.bin'));
    // A torn last record is a write that never returned: it was never acknowledged, so drop it.
    if (validBytes < totalBytes) truncateSync(join(folder, 'log.bin'), validBytes);
    for (const update of updates) this.nextSeq = Math.max(this.nextSeq, update.seq + 1);
    return { snapshot: snapshot ? new Uint8Array(snapshot) : null, snapshotSha256, updates };
  }

  async append(communityId: string, update: Uint8Array): Promise<number> {
    const seq = this.nextSeq++;
    const record = new Uint8Array(RECORD_HEADER_BYTES + update.byteLength);
    const view = new DataView(record.buffer);
    view.setUint32(0, seq);
    view.setUint32(4, update.byteLength);
    record.set(update, RECORD_HEADER_BYTES);
    const fd = openSync(join(this.folder(communityId), 'log.bin'), 'a');
    try {
      writeSync(fd, record);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return seq;
  }

  async compact(communityId: string, snapshot: Uint8Array, upToSeq: number, sha256?: string): Promise<void> {
    const folder = this.folder(communityId);
    const header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, upToSeq);
    atomicWrite(join(folder, 'snapshot.bin'), Buffer.concat([header, snapshot]));
    if (sha256) atomicWrite(join(folder, 'snapshot.sha256'), sha256);
    else rmSync(join(folder, 'snapshot.sha256'), { force: true });
    const { updates } = readLog(join(folder, 'log.bin'));
    atomicWrite(join(folder, 'log.bin'), Buffer.concat(updates.filter((row) => row.seq > upToSeq).map((row) => encodeRecord(row))));
  }

  async setAside(communityId: string, seq: number, reason: string): Promise<void> {
    const folder = this.folder(communityId);
    const damaged = join(folder, 'damaged');
    mkdirSync(damaged, { recursive: true });
    if (seq === SNAPSHOT_SEQ) {
      if (existsSync(join(folder, 'snapshot.bin'))) renameSync(join(folder, 'snapshot.bin'), join(damaged, `snapshot-${Date.now()}.bin`));
    } else {
      const { updates } = readLog(join(folder, 'log.bin'));
      const row = updates.find((candidate) => candidate.seq === seq);
      if (!row) return;
      writeFileSync(join(damaged, `${seq}.bin`), row.update);
      atomicWrite(join(folder, 'log.bin'), Buffer.concat(updates.filter((candidate) => candidate.seq !== seq).map((candidate) => encodeRecord(candidate))));
    }
    writeFileSync(join(damaged, 'reasons.txt'), `${seq}: ${reason}\n`, { flag: 'a' });
  }

  async stats(communityId: string): Promise<{ logRows: number; bytes: number }> {
    const folder = this.folder(communityId);
    const { updates, totalBytes } = readLog(join(folder, 'log.bin'));
    const snapshotBytes = existsSync(join(folder, 'snapshot.bin')) ? readFileSync(join(folder, 'snapshot.bin')).byteLength : 0;
    return { logRows: updates.length, bytes: totalBytes + snapshotBytes };
  }

  async close(): Promise<void> {}

  private folder(communityId: string): string {
    if (!ID_PATTERN.test(communityId)) throw new Error('Not a community id.');
    const folder = join(this.dir, communityId);
    mkdirSync(folder, { recursive: true });
    return folder;
  }
}

function readLog(file: string): { updates: StoredUpdate[]; validBytes: number; totalBytes: number } {
  if (!existsSync(file)) return { updates: [], validBytes: 0, totalBytes: 0 };
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const updates: StoredUpdate[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= bytes.byteLength) {
    const seq = view.getUint32(offset);
    const length = view.getUint32(offset + 4);
    if (offset + RECORD_HEADER_BYTES + length > bytes.byteLength) break;
    updates.push({ seq, update: new Uint8Array(bytes.subarray(offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + length)) });
    offset += RECORD_HEADER_BYTES + length;
  }
  return { updates, validBytes: offset, totalBytes: bytes.byteLength };
}

function encodeRecord(row: StoredUpdate): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + row.update.byteLength);
  const view = new DataView(record.buffer);
  view.setUint32(0, row.seq);
  view.setUint32(4, row.update.byteLength);
  record.set(row.update, RECORD_HEADER_BYTES);
  return record;
}

function atomicWrite(file: string, data: Uint8Array | string): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function isEntry(value: unknown): value is CommunityEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.id === 'string' && typeof entry.name === 'string' && typeof entry.joinedAt === 'number' && typeof entry.lastOpenedAt === 'number';
}
