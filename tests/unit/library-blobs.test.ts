import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { FileRefused, checkFileSize, fetchBlob, storeFile } from '../../shared/library/blobs.js';
import { sha256Hex } from '../../shared/crypto.js';
import { addFile } from '../../shared/library/commands.js';
import { readResource } from '../../shared/library/queries.js';
import { MAX_FILE_BYTES } from '../../shared/library/schema.js';
import { dexieBlobStore } from '../../renderer/library/blob-store.js';
import { DexieStore } from '../../renderer/store/dexie-store.js';

const ADA = 'member000000ada';
const opened: DexieStore[] = [];

function openStore(indexedDB = new IDBFactory()) {
  const store = new DexieStore({ name: 'hearth-blobs-test', indexedDB, IDBKeyRange });
  opened.push(store);
  return { store, blobs: dexieBlobStore(store), indexedDB };
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

const text = (value: string) => new TextEncoder().encode(value);

describe('library blobs', () => {
  it('hashes with SHA-256 (hex), the same as Node’s own implementation', async () => {
    const bytes = text('Hearth');
    expect(await sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('keeps a file’s bytes in the blob store, and only its hash, name, size and type in the document', async () => {
    const { store, blobs } = openStore();
    const bytes = text('minutes of the first meeting');
    const info = await storeFile(blobs, { name: 'minutes.txt', type: 'text/plain', bytes });
    expect(info).toEqual({ hash: await sha256Hex(bytes), name: 'minutes.txt', size: bytes.byteLength, type: 'text/plain' });
    const doc = new Y.Doc();
    const id = addFile(doc, { file: info, by: ADA });
    expect(readResource(doc, id)).toMatchObject({ kind: 'file', file: info });
    // The document never holds the bytes.
    expect(new TextDecoder().decode(Y.encodeStateAsUpdate(doc))).not.toContain('first meeting');
    expect((await blobs.get(info.hash))?.bytes).toEqual(bytes);
    expect(await blobs.has(info.hash)).toBe(true);
    expect(await store.db.blobs.count()).toBe(1);
  });

  it('stores the same content once, however often it is added', async () => {
    const { store, blobs } = openStore();
    const bytes = text('same bytes');
    const first = await storeFile(blobs, { name: 'a.txt', type: 'text/plain', bytes });
    const second = await storeFile(blobs, { name: 'b.txt', type: 'text/plain', bytes: bytes.slice() });
    expect(second.hash).toBe(first.hash);
    expect(await store.db.blobs.count()).toBe(1);
  });

  it('survives reopening the database', async () => {
    const first = openStore();
    const info = await storeFile(first.blobs, { name: 'keep.bin', type: 'application/octet-stream', bytes: new Uint8Array([1, 2, 3]) });
    await first.store.close();
    const again = openStore(first.indexedDB);
    expect((await again.blobs.get(info.hash))?.bytes).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('refuses a file over 25 MB, and an empty one, with a clear message, and stores nothing', async () => {
    const { store, blobs } = openStore();
    expect(checkFileSize('talk.mov', MAX_FILE_BYTES + 1)).toBe(
      '“talk.mov” is just over 25 MB; files up to 25 MB can be added to the library.',
    );
    expect(checkFileSize('talk.mov', 40 * 1024 * 1024)).toMatch(/is 40 MB; files up to 25 MB/);
    expect(checkFileSize('ok.pdf', MAX_FILE_BYTES)).toBeNull();
    const tooBig = new Uint8Array(MAX_FILE_BYTES + 1);
    await expect(storeFile(blobs, { name: 'big.bin', type: '', bytes: tooBig })).rejects.toThrow(FileRefused);
    await expect(storeFile(blobs, { name: 'empty.txt', type: 'text/plain', bytes: new Uint8Array(0) })).rejects.toThrow(/is empty/);
    expect(await store.db.blobs.count()).toBe(0);
  });

  it('reports a blob that is not on this device as missing (it will come from peers later)', async () => {
    const { blobs } = openStore();
    const hash = await sha256Hex(text('only on Grace’s laptop'));
    expect(await fetchBlob(blobs, { hash, type: 'text/plain' })).toEqual({ status: 'missing' });
    expect(await blobs.has(hash)).toBe(false);
    expect(await blobs.get('not-a-hash')).toBeNull();
  });

  it('takes a blob from a peer only if it hashes to what was asked for, and keeps it', async () => {
    const { blobs } = openStore();
    const bytes = text('the real slides');
    const hash = await sha256Hex(bytes);
    const liar = async () => text('something else entirely');
    expect(await fetchBlob(blobs, { hash, type: 'application/pdf' }, liar)).toEqual({ status: 'missing' });
    expect(await blobs.has(hash)).toBe(false);
    const failing = async (): Promise<Uint8Array> => {
      throw new Error('peer went away');
    };
    expect(await fetchBlob(blobs, { hash, type: 'application/pdf' }, failing)).toEqual({ status: 'missing' });
    const honest = async () => bytes;
    const found = await fetchBlob(blobs, { hash, type: 'application/pdf' }, honest);
    expect(found.status).toBe('here');
    expect(await blobs.has(hash)).toBe(true);
    // Next time it is found locally without asking anyone.
    expect((await fetchBlob(blobs, { hash, type: 'application/pdf' }, liar)).status).toBe('here');
  });

  it('treats a damaged row as missing rather than handing out garbage, and repairs it when the file is added again', async () => {
    const { store, blobs } = openStore();
    const bytes = text('good bytes');
    const hash = await sha256Hex(bytes);
    await store.db.blobs.put({ hash, bytes: 'not bytes' as unknown as Uint8Array, type: 'text/plain', size: 3, storedAt: 0 });
    expect(await fetchBlob(blobs, { hash, type: 'text/plain' })).toEqual({ status: 'missing' });
    await storeFile(blobs, { name: 'good.txt', type: 'text/plain', bytes });
    expect((await blobs.get(hash))?.bytes).toEqual(bytes);
  });
});
