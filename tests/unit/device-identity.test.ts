// Where the renderer keeps this device's identity key: sealed by the desktop's keychain through the
// host, or in IndexedDB in browser mode and where no keychain exists. The host side is the real key
// file in a temporary folder (electron/identity-key-file.ts) with a stand-in only for the OS keychain.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityKeyFile, IDENTITY_KEY_FILE_NAME } from '../../electron/identity-key-file.js';
import { sign, verify } from '../../shared/identity/identity.js';
import { browserHostApi } from '../../renderer/host/browser-host-api.js';
import { ensureDeviceIdentity, IdentityKeyProblem, type IdentityKeyHost } from '../../renderer/profile/device-identity.js';
import { ensureIdentity } from '../../renderer/profile/profile.js';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { createFakeKeychain, type FakeKeychain } from './fake-keychain.js';

let dir: string;
let keychain: FakeKeychain;
let indexedDB: IDBFactory;
const stores: DexieStore[] = [];

/** One start of the app: a fresh store on the same IndexedDB, a fresh host on the same folder. */
function start(): { store: DexieStore; host: IdentityKeyHost } {
  const store = new DexieStore({ name: 'device-identity', indexedDB, IDBKeyRange });
  stores.push(store);
  const file = createIdentityKeyFile(dir, keychain);
  return { store, host: { loadIdentityKey: () => file.load(), sealIdentityKey: (key) => file.seal(key) } };
}

async function signsFor(publicKey: string, privateKey: CryptoKey): Promise<boolean> {
  return verify(publicKey, { check: 1 }, await sign(privateKey, { check: 1 }));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-device-identity-'));
  keychain = createFakeKeychain();
  indexedDB = new IDBFactory();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the device identity on the desktop', () => {
  it('is sealed with the keychain on first run and comes back, non-extractable, on the next', async () => {
    const first = start();
    const made = await ensureDeviceIdentity(first.store, first.host);
    expect(made.protection).toEqual({ where: 'keychain' });
    expect(made.identity.privateKey.extractable).toBe(false);
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
    // Nothing of the key goes to IndexedDB.
    expect(await first.store.getSetting('identity')).toBeUndefined();

    const second = start();
    const loaded = await ensureDeviceIdentity(second.store, second.host);
    expect(loaded.identity.memberId).toBe(made.identity.memberId);
    expect(loaded.identity.privateKey.extractable).toBe(false);
    expect(await signsFor(made.identity.publicKey, loaded.identity.privateKey)).toBe(true);
    expect(keychain.sealCount).toBe(1);
  });

  it('without a keychain keeps the key in IndexedDB, and keeps that identity once a keychain appears', async () => {
    keychain.available = false;
    const first = start();
    const made = await ensureDeviceIdentity(first.store, first.host);
    expect(made.protection).toEqual({ where: 'app-storage', why: 'no-keychain' });
    expect(made.identity.privateKey.extractable).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    expect(keychain.sealCount).toBe(0);

    const again = start();
    expect((await ensureDeviceIdentity(again.store, again.host)).identity.memberId).toBe(made.identity.memberId);

    keychain.available = true;
    const later = start();
    const kept = await ensureDeviceIdentity(later.store, later.host);
    expect(kept.identity.memberId).toBe(made.identity.memberId);
    expect(kept.protection).toEqual({ where: 'app-storage', why: 'made-before-keychain' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps an identity made before Hearth used the keychain', async () => {
    const before = start();
    const legacy = await ensureIdentity(before.store);
    const after = start();
    const kept = await ensureDeviceIdentity(after.store, after.host);
    expect(kept.identity.memberId).toBe(legacy.memberId);
    expect(kept.protection).toEqual({ where: 'app-storage', why: 'made-before-keychain' });
    expect(keychain.sealCount).toBe(0);
  });

  it('with the keychain locked, says so and changes nothing until it is unlocked', async () => {
    const first = start();
    const made = await ensureDeviceIdentity(first.store, first.host);
    const sealedFile = await readFile(path.join(dir, IDENTITY_KEY_FILE_NAME));
    keychain.available = false;

    const locked = start();
    const problem = await ensureDeviceIdentity(locked.store, locked.host).catch((error: unknown) => error);
    expect(problem).toBeInstanceOf(IdentityKeyProblem);
    expect((problem as IdentityKeyProblem).message).toMatch(/keychain cannot be used right now.*Nothing was changed/);
    expect((problem as IdentityKeyProblem).canStartOver).toBe(false);
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
    expect(await readFile(path.join(dir, IDENTITY_KEY_FILE_NAME))).toEqual(sealedFile);
    expect(await locked.store.getSetting('identity')).toBeUndefined();

    keychain.available = true;
    const unlocked = start();
    expect((await ensureDeviceIdentity(unlocked.store, unlocked.host)).identity.memberId).toBe(made.identity.memberId);
  });

  it('with a damaged key file, reports it, keeps it aside, and makes a new identity only when asked', async () => {
    const first = start();
    const made = await ensureDeviceIdentity(first.store, first.host);
    const keyFile = path.join(dir, IDENTITY_KEY_FILE_NAME);
    const truncated = (await readFile(keyFile, 'utf8')).slice(0, 120);
    await writeFile(keyFile, truncated);

    const damaged = start();
    const problem = await ensureDeviceIdentity(damaged.store, damaged.host).catch((error: unknown) => error);
    expect(problem).toBeInstanceOf(IdentityKeyProblem);
    expect((problem as IdentityKeyProblem).message).toContain(`kept as ${keyFile}.damaged`);
    expect((problem as IdentityKeyProblem).message).toMatch(/not complete.*Nothing was replaced/);
    expect((problem as IdentityKeyProblem).canStartOver).toBe(true);
    expect(keychain.sealCount).toBe(1);
    expect(await damaged.store.getSetting('identity')).toBeUndefined();

    // Starting again without choosing anything: still no new identity.
    const next = start();
    await expect(ensureDeviceIdentity(next.store, next.host)).rejects.toThrow(/kept aside \(identity-key\.sealed\.damaged\)/);
    expect(keychain.sealCount).toBe(1);
    expect(await readdir(dir)).toEqual([`${IDENTITY_KEY_FILE_NAME}.damaged`]);

    const chosen = start();
    const fresh = await ensureDeviceIdentity(chosen.store, chosen.host, { startOver: true });
    expect(fresh.identity.memberId).not.toBe(made.identity.memberId);
    expect(fresh.protection).toEqual({ where: 'keychain' });
    expect((await readdir(dir)).sort()).toEqual([IDENTITY_KEY_FILE_NAME, `${IDENTITY_KEY_FILE_NAME}.damaged`]);
    expect(await readFile(`${keyFile}.damaged`, 'utf8')).toBe(truncated);

    const after = start();
    expect((await ensureDeviceIdentity(after.store, after.host)).identity.memberId).toBe(fresh.identity.memberId);
  });
});

describe('the device identity in browser mode', () => {
  it('is a non-extractable key in IndexedDB, as before', async () => {
    const store = start().store;
    const made = await ensureDeviceIdentity(store, browserHostApi);
    expect(made.protection).toEqual({ where: 'app-storage', why: 'browser-mode' });
    expect(made.identity.privateKey.extractable).toBe(false);
    expect(await store.getSetting('identity')).toMatchObject({ memberId: made.identity.memberId });
    const again = start().store;
    expect((await ensureDeviceIdentity(again, browserHostApi)).identity.memberId).toBe(made.identity.memberId);
    expect(await readdir(dir)).toEqual([]);
  });
});
