// File bytes for the library: content hashing, the size limit, the blob store every device keeps
// beside its documents, and `fetchBlob`, the seam through which the sync layer will bring missing
// blobs from peers. A blob is named by the SHA-256 of its bytes, so a blob from anyone is checked by
// hashing it again, and the same file added twice is stored once.
import { sha256Hex } from '../crypto.js';
import { MAX_FILE_BYTES, fileInfoSchema, formatBytes, type FileInfo } from './schema.js';

export interface StoredBlob {
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly type: string;
  readonly size: number;
}

/** Where a device keeps blobs (the renderer's is Dexie's `blobs` table). */
export interface BlobStore {
  get(hash: string): Promise<StoredBlob | null>;
  /** Whether a blob is stored under this hash; cheap (reads no bytes), for lists of many files. */
  has(hash: string): Promise<boolean>;
  /** Stores bytes under their hash; storing the same bytes again changes nothing. */
  put(blob: StoredBlob): Promise<void>;
}

/** Asks other members for a blob this device does not have; resolves null when nobody has it (yet). */
export type RemoteBlobSource = (hash: string) => Promise<Uint8Array | null>;

export type BlobLookup =
  | { readonly status: 'here'; readonly blob: StoredBlob }
  /** Not on this device yet: it comes from a member who has it, once the sync layer can ask. */
  | { readonly status: 'missing' };

/** A sentence for a file that may not be added, or null when it may. */
export function checkFileSize(name: string, size: number): string | null {
  if (size > MAX_FILE_BYTES) {
    const limit = formatBytes(MAX_FILE_BYTES);
    const shown = formatBytes(size);
    return `“${name}” is ${shown === limit ? `just over ${limit}` : shown}; files up to ${limit} can be added to the library.`;
  }
  if (size === 0) return `“${name}” is empty.`;
  return null;
}

export class FileRefused extends Error {
  override readonly name = 'FileRefused';
}

/**
 * Hashes a file and keeps its bytes in the blob store; returns what the document records about it.
 * Refuses files over the limit before any byte reaches the store.
 */
export async function storeFile(
  store: BlobStore,
  file: { readonly name: string; readonly type: string; readonly bytes: Uint8Array },
): Promise<FileInfo> {
  const refusal = checkFileSize(file.name, file.bytes.byteLength);
  if (refusal) throw new FileRefused(refusal);
  const hash = await sha256Hex(file.bytes);
  const info = fileInfoSchema.safeParse({ hash, name: file.name, size: file.bytes.byteLength, type: file.type });
  if (!info.success) throw new FileRefused(info.error.issues[0]?.message ?? 'The file cannot be added.');
  // Written even when the hash is already there: same key, same bytes, and it repairs a damaged row.
  await store.put({ hash, bytes: file.bytes, type: info.data.type, size: info.data.size });
  return info.data;
}

/**
 * Finds a blob: on this device first, then (when a remote source is given) from peers. Bytes from a
 * peer are kept only if they hash to what was asked for and fit the limit; anything else is dropped.
 * Today nobody passes a remote source, so a blob that is not here is reported missing.
 */
export async function fetchBlob(store: BlobStore, info: Pick<FileInfo, 'hash' | 'type'>, remote?: RemoteBlobSource): Promise<BlobLookup> {
  const local = await store.get(info.hash);
  if (local) return { status: 'here', blob: local };
  if (!remote) return { status: 'missing' };
  const bytes = await remote(info.hash).catch(() => null);
  if (!bytes || bytes.byteLength > MAX_FILE_BYTES || (await sha256Hex(bytes)) !== info.hash) return { status: 'missing' };
  const blob: StoredBlob = { hash: info.hash, bytes, type: info.type, size: bytes.byteLength };
  await store.put(blob);
  return { status: 'here', blob };
}
