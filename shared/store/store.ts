// The local store's interface: the one seam between a community's Y.Doc and where its bytes live.
// See README.md in this folder for the contract every implementation keeps.

/** A community this device belongs to, as the sidebar lists it (kept beside the document, not in it). */
export interface CommunityEntry {
  readonly id: string;
  readonly name: string;
  readonly joinedAt: number;
  readonly lastOpenedAt: number;
  /** The community secret (base64url, 32 bytes) from which sync keys are derived; only on this device. */
  readonly secret?: string;
  /** The key epoch `secret` belongs to (shared/sync/epochs.ts); absent means 0. */
  readonly epoch?: number;
  /** Signaling servers named by the invite this member joined through. */
  readonly signalingHints?: readonly string[];
}

export interface StoredUpdate {
  readonly seq: number;
  readonly update: Uint8Array;
  /**
   * The CRC-32 persistDoc computed when it appended the row (shared/store/checksum.ts), kept by the
   * store as it was given; null on rows written before checksums were kept. The store never checks it:
   * persistDoc does, so the rule lives in one place.
   */
  readonly checksum?: number | null;
}

/** Damage a store found (and already moved aside) while reading, below the level of single rows. */
export interface StoreDamage {
  /**
   * `unreadable`: a stretch of the log whose records do not check out (the store resumed at the next
   * good record); `torn-tail`: the log ends in a record cut off mid-write (a crash during an append that
   * never resolved, so it was never acknowledged); `snapshot`: a snapshot file whose header is damaged.
   */
  readonly kind: 'unreadable' | 'torn-tail' | 'snapshot';
  readonly bytes: number;
  /** Where the bytes were kept, for diagnostics. */
  readonly keptAs: string;
}

export interface LoadedCommunity {
  readonly snapshot: Uint8Array | null;
  /** SHA-256 (hex) of the snapshot as this device wrote it, when the store kept one. */
  readonly snapshotSha256?: string | null;
  /** Log rows after the snapshot, oldest first. */
  readonly updates: readonly StoredUpdate[];
  /** What the store itself found damaged and moved aside while reading (the file store's records). */
  readonly damage?: readonly StoreDamage[];
}

export interface StoreProblem {
  readonly communityId: string | null;
  readonly message: string;
}

export interface CommunityStore {
  /** Every community on this device, most recently opened first; damaged entries are reported, not thrown. */
  listCommunities(): Promise<{ readonly communities: readonly CommunityEntry[]; readonly problems: readonly StoreProblem[] }>;
  putCommunity(entry: CommunityEntry): Promise<void>;
  load(communityId: string): Promise<LoadedCommunity>;
  /**
   * Appends one update to the log, with the checksum persistDoc computed for it, and resolves with its
   * sequence number once it is durable. A store keeps `checksum` beside the row and returns it on load.
   */
  append(communityId: string, update: Uint8Array, checksum?: number): Promise<number>;
  /**
   * Atomically replaces the snapshot and deletes log rows with `seq <= upToSeq`; `sha256` (hex) is
   * kept with it, in the same write: loading refuses a snapshot whose bytes no longer match it, and
   * trusts one that does without decoding it twice.
   */
  compact(communityId: string, snapshot: Uint8Array, upToSeq: number, sha256?: string): Promise<void>;
  /** Moves a damaged log row (seq) or the snapshot (seq = 0) out of the way, keeping its bytes. */
  setAside(communityId: string, seq: number, reason: string): Promise<void>;
  /** Rows (and bytes) currently stored for a community, for diagnostics and benchmarks. */
  stats(communityId: string): Promise<{ readonly logRows: number; readonly bytes: number }>;
  close(): Promise<void>;
}

/** Sequence number 0 names the snapshot in `setAside`. */
export const SNAPSHOT_SEQ = 0;
