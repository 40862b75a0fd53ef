// A CommunityStore on plain files, for headless peers (tests, benchmarks, later a desktop main-process
// peer): per community a snapshot file and an append-only log whose records are fsynced before an
// append resolves, so whatever was acknowledged survives a SIGKILL. Every record carries a magic and a
// CRC; a stretch that does not check out is moved to damaged/ and reported, and reading resumes after it.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CommunityEntry, CommunityStore, LoadedCommunity, StoreDamage, StoreProblem, StoredUpdate } from '../../shared/store/store.js';
import { SNAPSHOT_SEQ } from '../../shared/store/store.js';
import { crc32 } from '../../shared/store/checksum.js';
import { ID_PATTERN } from '../../shared/ids.js';

/**
 * A log record: magic "HRC1" | seq u32 | length u32 | flags u32 | row checksum u32 | record CRC u32,
 * then `length` payload bytes; big-endian. The record CRC covers the first 20 header bytes and the
 * payload, so a flipped bit anywhere (magic, seq, length, the CRCs, payload) fails it; the magic is
 * what a reader scans for to find the next record after a stretch that does not read.
 */
const RECORD_MAGIC = 0x48524331;
const RECORD_MAGIC_BYTES = Buffer.from('HRC1', 'latin1');
const RECORD_HEADER_BYTES = 24;
const RECORD_CRC_OFFSET = 20;
/** flags bit 0: the row checksum field holds persistDoc's CRC-32 (absent on rows appended without one). */
const FLAG_ROW_CHECKSUM = 1;
/**
 * The snapshot file: magic "HSN1" | upToSeq u32 | SHA-256 of the snapshot as 64 ASCII hex bytes (all
 * zero when none was given) | snapshot. One file, written atomically, so the hash can never be stale.
 */
const SNAPSHOT_MAGIC = 0x48534e31;
const SNAPSHOT_HASH_BYTES = 64;
const SNAPSHOT_HEADER_BYTES = 8 + SNAPSHOT_HASH_BYTES;

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
      const problems =
        rows.length === communities.length
          ? []
          : [{ communityId: null, message: `${rows.length - communities.length} damaged community entries were skipped.` }];
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
    const damage: StoreDamage[] = [];
    const snapshot = this.readSnapshot(folder, damage);
    const { rows, stretches } = readLog(join(folder, 'log.bin'));
    if (stretches.length > 0) {
      // Kept first, then the log is rewritten without them: a crash in between keeps a copy twice.
      for (const stretch of stretches)
        damage.push({
          kind: stretch.kind,
          bytes: stretch.bytes.byteLength,
          keptAs: keepDamaged(folder, `${stretch.kind}-at-${stretch.offset}`, stretch.bytes, describeStretch(stretch)),
        });
      atomicWrite(join(folder, 'log.bin'), Buffer.concat(rows.map(encodeRecord)));
    }
    for (const row of rows) this.nextSeq = Math.max(this.nextSeq, row.seq + 1);
    return { snapshot: snapshot?.bytes ?? null, snapshotSha256: snapshot?.sha256 ?? null, updates: rows, damage };
  }

  async append(communityId: string, update: Uint8Array, checksum?: number): Promise<number> {
    const seq = this.nextSeq++;
    const record = encodeRecord({ seq, update, checksum: checksum ?? null });
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
    const view = new DataView(header.buffer);
    view.setUint32(0, SNAPSHOT_MAGIC);
    view.setUint32(4, upToSeq);
    if (sha256) header.set(new TextEncoder().encode(sha256.slice(0, SNAPSHOT_HASH_BYTES)), 8);
    atomicWrite(join(folder, 'snapshot.bin'), Buffer.concat([header, snapshot]));
    // Left by the format before the hash moved into snapshot.bin.
    rmSync(join(folder, 'snapshot.sha256'), { force: true });
    rewriteLog(folder, (row) => row.seq > upToSeq);
  }

  async setAside(communityId: string, seq: number, reason: string): Promise<void> {
    const folder = this.folder(communityId);
    if (seq === SNAPSHOT_SEQ) {
      if (existsSync(join(folder, 'snapshot.bin'))) keepDamaged(folder, 'snapshot', readFileSync(join(folder, 'snapshot.bin')), reason);
      rmSync(join(folder, 'snapshot.bin'), { force: true });
      return;
    }
    const row = readLog(join(folder, 'log.bin')).rows.find((candidate) => candidate.seq === seq);
    if (!row) return;
    keepDamaged(folder, `row-${seq}`, row.update, reason);
    rewriteLog(folder, (candidate) => candidate.seq !== seq);
  }

  async stats(communityId: string): Promise<{ logRows: number; bytes: number }> {
    const folder = this.folder(communityId);
    const { rows, totalBytes } = readLog(join(folder, 'log.bin'));
    const snapshotBytes = existsSync(join(folder, 'snapshot.bin')) ? readFileSync(join(folder, 'snapshot.bin')).byteLength : 0;
    return { logRows: rows.length, bytes: totalBytes + snapshotBytes };
  }

  async close(): Promise<void> {}

  /** The snapshot and its hash; a file whose header is not Hearth's is moved aside and reported. */
  private readSnapshot(folder: string, damage: StoreDamage[]): { bytes: Uint8Array; sha256: string | null } | null {
    const file = join(folder, 'snapshot.bin');
    if (!existsSync(file)) return null;
    const bytes = readFileSync(file);
    if (bytes.byteLength < SNAPSHOT_HEADER_BYTES || new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) !== SNAPSHOT_MAGIC) {
      damage.push({
        kind: 'snapshot',
        bytes: bytes.byteLength,
        keptAs: keepDamaged(folder, 'snapshot', bytes, "the snapshot file header is not Hearth's"),
      });
      rmSync(file, { force: true });
      return null;
    }
    const hash = bytes.subarray(8, SNAPSHOT_HEADER_BYTES);
    // All zero: written without a hash. Anything else is the hash, or damage that will not match it.
    const sha256 = hash.every((byte) => byte === 0) ? null : new TextDecoder().decode(hash);
    return { bytes: new Uint8Array(bytes.subarray(SNAPSHOT_HEADER_BYTES)), sha256 };
  }

  private folder(communityId: string): string {
    if (!ID_PATTERN.test(communityId)) throw new Error('Not a community id.');
    const folder = join(this.dir, communityId);
    mkdirSync(folder, { recursive: true });
    return folder;
  }
}

interface Stretch {
  readonly kind: 'unreadable' | 'torn-tail';
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * Every record that checks out, and the stretches between them that do not. After a bad stretch the
 * reader resumes at the next magic whose record CRC holds (a false magic inside a payload would also
 * need a matching CRC: 1 in 2^32). A last stretch that begins like a record and runs past the end of
 * the file is a torn append (a crash mid-write, never acknowledged); anywhere else it is damage.
 */
function readLog(file: string): { rows: StoredUpdate[]; stretches: Stretch[]; totalBytes: number } {
  if (!existsSync(file)) return { rows: [], stretches: [], totalBytes: 0 };
  const bytes = readFileSync(file);
  const rows: StoredUpdate[] = [];
  const stretches: Stretch[] = [];
  let offset = 0;
  let badFrom = -1;
  while (offset < bytes.byteLength) {
    const record = recordAt(bytes, offset);
    if (record) {
      if (badFrom >= 0) stretches.push({ kind: 'unreadable', offset: badFrom, bytes: new Uint8Array(bytes.subarray(badFrom, offset)) });
      badFrom = -1;
      rows.push(record.row);
      offset = record.end;
      continue;
    }
    if (badFrom < 0) badFrom = offset;
    const next = bytes.indexOf(RECORD_MAGIC_BYTES, offset + 1);
    offset = next < 0 ? bytes.byteLength : next;
  }
  if (badFrom >= 0)
    stretches.push({
      kind: isTornRecord(bytes, badFrom) ? 'torn-tail' : 'unreadable',
      offset: badFrom,
      bytes: new Uint8Array(bytes.subarray(badFrom)),
    });
  return { rows, stretches, totalBytes: bytes.byteLength };
}

function recordAt(bytes: Buffer, offset: number): { row: StoredUpdate; end: number } | null {
  if (offset + RECORD_HEADER_BYTES > bytes.byteLength) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, RECORD_HEADER_BYTES);
  if (view.getUint32(0) !== RECORD_MAGIC) return null;
  const length = view.getUint32(8);
  const end = offset + RECORD_HEADER_BYTES + length;
  if (end > bytes.byteLength) return null;
  const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end);
  if (crc32(payload, crc32(bytes.subarray(offset, offset + RECORD_CRC_OFFSET))) !== view.getUint32(RECORD_CRC_OFFSET)) return null;
  const checksum = view.getUint32(12) & FLAG_ROW_CHECKSUM ? view.getUint32(16) : null;
  return { row: { seq: view.getUint32(4), update: new Uint8Array(payload), checksum }, end };
}

/** Begins with the magic (or as much of it as fits) and its record would end past the file's end. */
function isTornRecord(bytes: Buffer, offset: number): boolean {
  const available = bytes.byteLength - offset;
  const prefix = Math.min(RECORD_MAGIC_BYTES.byteLength, available);
  if (!RECORD_MAGIC_BYTES.subarray(0, prefix).equals(bytes.subarray(offset, offset + prefix))) return false;
  if (available < 12) return true;
  return offset + RECORD_HEADER_BYTES + bytes.readUInt32BE(offset + 8) > bytes.byteLength;
}

function describeStretch(stretch: Stretch): string {
  return stretch.kind === 'torn-tail'
    ? `a last record cut off mid-write (never acknowledged), ${stretch.bytes.byteLength} bytes at offset ${stretch.offset}`
    : `${stretch.bytes.byteLength} bytes at offset ${stretch.offset} that hold no readable record`;
}

function encodeRecord(row: StoredUpdate): Uint8Array {
  const record = new Uint8Array(RECORD_HEADER_BYTES + row.update.byteLength);
  const view = new DataView(record.buffer);
  view.setUint32(0, RECORD_MAGIC);
  view.setUint32(4, row.seq);
  view.setUint32(8, row.update.byteLength);
  const checked = typeof row.checksum === 'number';
  view.setUint32(12, checked ? FLAG_ROW_CHECKSUM : 0);
  view.setUint32(16, checked ? row.checksum! >>> 0 : 0);
  record.set(row.update, RECORD_HEADER_BYTES);
  view.setUint32(RECORD_CRC_OFFSET, crc32(row.update, crc32(record.subarray(0, RECORD_CRC_OFFSET))));
  return record;
}

/**
 * Rewrites the log keeping the rows `keep` accepts. A stretch that does not read is copied through as
 * it is, never dropped: the next load finds it, moves it aside and reports it.
 */
function rewriteLog(folder: string, keep: (row: StoredUpdate) => boolean): void {
  const file = join(folder, 'log.bin');
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  const pieces: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const record = recordAt(bytes, offset);
    if (record) {
      if (keep(record.row)) pieces.push(bytes.subarray(offset, record.end));
      offset = record.end;
      continue;
    }
    const next = bytes.indexOf(RECORD_MAGIC_BYTES, offset + 1);
    const end = next < 0 ? bytes.byteLength : next;
    pieces.push(bytes.subarray(offset, end));
    offset = end;
  }
  atomicWrite(file, Buffer.concat(pieces));
}

let keptCount = 0;

/** Writes damaged bytes to the community's damaged/ folder (never deleted) and notes why; returns the file. */
function keepDamaged(folder: string, name: string, bytes: Uint8Array, reason: string): string {
  const damaged = join(folder, 'damaged');
  mkdirSync(damaged, { recursive: true });
  keptCount += 1;
  const file = join(damaged, `${name}-${Date.now()}-${keptCount}.bin`);
  atomicWrite(file, bytes);
  writeFileSync(join(damaged, 'reasons.txt'), `${name}: ${reason}\n`, { flag: 'a' });
  return file;
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
  return (
    typeof entry.id === 'string' &&
    typeof entry.name === 'string' &&
    typeof entry.joinedAt === 'number' &&
    typeof entry.lastOpenedAt === 'number'
  );
}
