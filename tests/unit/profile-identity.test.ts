import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { adoptIdentity, ensureIdentity, loadProfile, saveProfile } from '../../renderer/profile/profile.js';
import { sign, verify } from '../../shared/identity/identity.js';

describe('the device identity in the local store', () => {
  it('is made once, kept as a non-extractable CryptoKey across restarts, and still signs', async () => {
    const indexedDB = new IDBFactory();
    const first = new DexieStore({ name: 'identity-test', indexedDB, IDBKeyRange });
    const made = await ensureIdentity(first);
    await first.close();
    const second = new DexieStore({ name: 'identity-test', indexedDB, IDBKeyRange });
    const loaded = await ensureIdentity(second);
    expect(loaded.memberId).toBe(made.memberId);
    expect(loaded.privateKey.extractable).toBe(false);
    expect(await verify(made.publicKey, { hello: 1 }, await sign(loaded.privateKey, { hello: 1 }))).toBe(true);
    await second.close();
  });

  it('moves a profile from before identities onto the key-derived id, remembering the old one', async () => {
    const store = new DexieStore({ name: 'identity-legacy', indexedDB: new IDBFactory(), IDBKeyRange });
    const legacy = await saveProfile(store, 'Ada', { memberId: 'oldrandom0000001', createdAt: 5 });
    const identity = await ensureIdentity(store);
    const moved = await adoptIdentity(store, legacy, identity);
    expect(moved.memberId).toBe(identity.memberId);
    expect(moved.previousMemberIds).toEqual(['oldrandom0000001']);
    expect((await loadProfile(store)).profile).toEqual(moved);
    expect(await adoptIdentity(store, moved, identity)).toBe(moved);
    await store.close();
  });

  it('replaces a stored identity that does not hold together', async () => {
    const store = new DexieStore({ name: 'identity-damaged', indexedDB: new IDBFactory(), IDBKeyRange });
    await store.putSetting('identity', { memberId: '0000000000000000', publicKey: 'abc', privateKey: 'not a key' });
    const identity = await ensureIdentity(store);
    expect(identity.memberId).not.toBe('0000000000000000');
    await store.close();
  });
});
