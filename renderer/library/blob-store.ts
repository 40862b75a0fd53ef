// The library's blob store on this device: file bytes in Dexie's `blobs` table, keyed by the SHA-256
// of their content. The community document only ever holds the hash (see shared/library/blobs.ts).
import type { BlobStore, StoredBlob } from '../../shared/library/blobs.js';
import { sha256HexSchema } from '../../shared/library/schema.js';
import type { BlobRows } from '../store/device-store.js';

export function dexieBlobStore(store: BlobRows): BlobStore {
  const table = store.db.blobs;
  return {
    async get(hash) {
      if (!sha256HexSchema.safeParse(hash).success) return null;
      const row = await table.get(hash);
      // A row that is not bytes (a damaged disk, a foreign writer) counts as missing, not as a file.
      if (!row || !(row.bytes instanceof Uint8Array)) return null;
      return {
        hash: row.hash,
        bytes: row.bytes,
        type: typeof row.type === 'string' ? row.type : '',
        size: row.bytes.byteLength,
      } satisfies StoredBlob;
    },
    async has(hash) {
      if (!sha256HexSchema.safeParse(hash).success) return false;
      return (await table.where('hash').equals(hash).count()) > 0;
    },
    async put(blob) {
      await table.put({ hash: blob.hash, bytes: blob.bytes, type: blob.type, size: blob.bytes.byteLength, storedAt: Date.now() });
    },
  };
}
