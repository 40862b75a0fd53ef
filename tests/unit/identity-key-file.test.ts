// The desktop's sealed identity key file: real files in a temporary folder, real WebCrypto keys, and a
// stand-in only for the OS keychain (fake-keychain.ts).
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityKeyFile, IDENTITY_KEY_FILE_NAME, keychainFromSafeStorage } from '../../electron/identity-key-file.js';
import { createHostHandlers, type HostIpcDeps } from '../../electron/ipc.js';
import { APP_ORIGIN } from '../../electron/security/app-path.js';
import type { IdentityKeyMaterial } from '../../shared/host-api.js';
import { generateIdentity, sign, verify } from '../../shared/identity/identity.js';
import { exportPrivateKey, importIdentityKey, isIdentityKeyConsistent } from '../../shared/identity/private-key.js';
import { fromBase64Url, toBase64Url } from '../../shared/sync/bytes.js';
import { createFakeKeychain, type FakeKeychain } from './fake-keychain.js';

async function freshKey(): Promise<IdentityKeyMaterial> {
  const identity = await generateIdentity(true);
  return { memberId: identity.memberId, publicKey: identity.publicKey, pkcs8: await exportPrivateKey(identity.privateKey) };
}

let dir: string;
let keyFile: string;
let keychain: FakeKeychain;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-identity-key-'));
  keyFile = path.join(dir, IDENTITY_KEY_FILE_NAME);
  keychain = createFakeKeychain();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('identity key material', () => {
  it('holds together only when private key, public key and member id belong to each other', async () => {
    const key = await freshKey();
    const other = await freshKey();
    expect(await isIdentityKeyConsistent(key)).toBe(true);
    expect(await isIdentityKeyConsistent({ ...key, pkcs8: other.pkcs8 })).toBe(false);
    expect(await isIdentityKeyConsistent({ ...key, publicKey: other.publicKey })).toBe(false);
    expect(await isIdentityKeyConsistent({ ...key, memberId: other.memberId })).toBe(false);
    expect(await isIdentityKeyConsistent({ ...key, pkcs8: key.pkcs8.slice(0, 100) })).toBe(false);
    expect(await isIdentityKeyConsistent({ ...key, publicKey: 'not base64url!' })).toBe(false);
  });

  it('imports back as a non-extractable key that signs for the same member', async () => {
    const key = await freshKey();
    const identity = await importIdentityKey(key);
    expect(identity.privateKey.extractable).toBe(false);
    expect(identity.memberId).toBe(key.memberId);
    expect(await verify(key.publicKey, { hello: 1 }, await sign(identity.privateKey, { hello: 1 }))).toBe(true);
    await expect(importIdentityKey({ ...key, pkcs8: (await freshKey()).pkcs8 })).rejects.toThrow(/does not match/);
  });
});

describe('the sealed identity key file', () => {
  it('starts empty, seals once, and gives back the same key', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    expect(await file.load()).toEqual({ status: 'none', keychainAvailable: true, damagedCopies: [] });
    const key = await freshKey();
    expect(await file.seal(key)).toEqual({ sealed: true });
    const loaded = await file.load();
    expect(loaded).toEqual({ status: 'ok', key: { memberId: key.memberId, publicKey: key.publicKey, pkcs8: key.pkcs8 } });
  });

  it('writes one file readable only by this user, with no temporary file left and no key in the clear', async () => {
    const key = await freshKey();
    await createIdentityKeyFile(dir, keychain).seal(key);
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
    if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const text = await readFile(keyFile, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'hearth-identity-key', version: 1, memberId: key.memberId, publicKey: key.publicKey });
    expect(text).not.toContain(toBase64Url(key.pkcs8));
  });

  it('never replaces a sealed key', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    const first = await freshKey();
    await file.seal(first);
    const before = await readFile(keyFile);
    expect(await file.seal(await freshKey())).toEqual({ sealed: false, reason: 'exists' });
    expect(await readFile(keyFile)).toEqual(before);
    expect(await file.load()).toMatchObject({ status: 'ok', key: { memberId: first.memberId } });
  });

  it('refuses to seal a key whose parts do not belong together', async () => {
    const key = await freshKey();
    await expect(createIdentityKeyFile(dir, keychain).seal({ ...key, pkcs8: (await freshKey()).pkcs8 })).rejects.toThrow(/does not match/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('without a keychain, seals nothing, and leaves a sealed key alone until the keychain is back', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    keychain.available = false;
    expect(await file.load()).toEqual({ status: 'none', keychainAvailable: false, damagedCopies: [] });
    expect(await file.seal(await freshKey())).toEqual({ sealed: false, reason: 'unavailable' });
    expect(await readdir(dir)).toEqual([]);

    keychain.available = true;
    const key = await freshKey();
    await file.seal(key);
    keychain.available = false;
    expect(await file.load()).toEqual({ status: 'unavailable' });
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
    keychain.available = true;
    expect(await file.load()).toMatchObject({ status: 'ok', key: { memberId: key.memberId } });
  });

  it('seals the same key again when the keychain rotated its own key', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    const key = await freshKey();
    await file.seal(key);
    const before = await readFile(keyFile, 'utf8');
    keychain.rotated = true;
    expect(await file.load()).toMatchObject({ status: 'ok', key: { memberId: key.memberId } });
    const after = await readFile(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(JSON.parse(after)).toMatchObject({ memberId: key.memberId, publicKey: key.publicKey });
    expect(await file.load()).toMatchObject({ status: 'ok', key: { pkcs8: key.pkcs8 } });
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
  });

  type Damage = (text: string, key: IdentityKeyMaterial) => Promise<string | Uint8Array>;
  const flipSealedByte: Damage = async (text) => {
    const envelope = JSON.parse(text) as { sealed: string };
    const sealed = fromBase64Url(envelope.sealed) ?? new Uint8Array();
    sealed[20] = (sealed[20] ?? 0) ^ 0xff;
    return JSON.stringify({ ...envelope, sealed: toBase64Url(sealed) });
  };
  const sealedByAnotherKeychain: Damage = async (text) => {
    const envelope = JSON.parse(text) as { sealed: string };
    const foreign = await createFakeKeychain().encryptString(toBase64Url((await freshKey()).pkcs8));
    return JSON.stringify({ ...envelope, sealed: toBase64Url(foreign) });
  };
  const swappedPublicKey: Damage = async (text) => {
    const other = await freshKey();
    return JSON.stringify({ ...(JSON.parse(text) as object), memberId: other.memberId, publicKey: other.publicKey });
  };
  const anotherKeySealed: Damage = async (text) => {
    const envelope = JSON.parse(text) as { sealed: string };
    const sealed = await keychain.encryptString(toBase64Url((await freshKey()).pkcs8));
    return JSON.stringify({ ...envelope, sealed: toBase64Url(sealed) });
  };
  const sealedGarbage: Damage = async (text) => {
    const envelope = JSON.parse(text) as { sealed: string };
    return JSON.stringify({ ...envelope, sealed: toBase64Url(await keychain.encryptString('not a key')) });
  };

  it.each<[string, Damage, RegExp]>([
    ['cut short', async (text) => text.slice(0, Math.floor(text.length / 2)), /not complete/],
    ['empty', async () => '', /not complete/],
    ['binary noise', async () => new Uint8Array([0xff, 0x00, 0x13, 0x37]), /not complete/],
    ['another format', async (text) => JSON.stringify({ ...(JSON.parse(text) as object), format: 'something-else' }), /not in the form/],
    ['a newer version', async (text) => JSON.stringify({ ...(JSON.parse(text) as object), version: 2 }), /not in the form/],
    ['an extra field', async (text) => JSON.stringify({ ...(JSON.parse(text) as object), pkcs8: 'AAAA' }), /not in the form/],
    [
      'the sealed part not base64url',
      async (text) => JSON.stringify({ ...(JSON.parse(text) as object), sealed: 'a+b/c=' }),
      /not in the form/,
    ],
    ['one sealed byte flipped', flipSealedByte, /could not unseal/],
    ['sealed by another keychain', sealedByAnotherKeychain, /could not unseal/],
    ['another member’s public key beside it', swappedPublicKey, /does not match/],
    ['another private key sealed inside', anotherKeySealed, /does not match/],
    ['something else sealed inside', sealedGarbage, /does not match/],
  ])('a file %s is kept aside, reported, and not replaced', async (_name, damage, reason) => {
    const file = createIdentityKeyFile(dir, keychain);
    const key = await freshKey();
    await file.seal(key);
    const damaged = await damage(await readFile(keyFile, 'utf8'), key);
    await writeFile(keyFile, damaged);

    const loaded = await file.load();
    expect(loaded).toMatchObject({ status: 'damaged', keptAs: `${keyFile}.damaged` });
    expect(loaded.status === 'damaged' && loaded.reason).toMatch(reason);
    expect(await readdir(dir)).toEqual([`${IDENTITY_KEY_FILE_NAME}.damaged`]);
    expect(new Uint8Array(await readFile(`${keyFile}.damaged`))).toEqual(
      typeof damaged === 'string' ? new TextEncoder().encode(damaged) : damaged,
    );
    // Later starts say that an unreadable key was kept aside; the host itself never makes a new one.
    expect(await file.load()).toEqual({ status: 'none', keychainAvailable: true, damagedCopies: [`${IDENTITY_KEY_FILE_NAME}.damaged`] });
  });

  it('keeps every damaged copy under its own name', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    for (const text of ['{"cut', 'also bad']) {
      await writeFile(keyFile, text);
      await file.load();
    }
    await writeFile(keyFile, 'x'.repeat(64 * 1024));
    expect(await file.load()).toMatchObject({
      status: 'damaged',
      reason: expect.stringMatching(/far larger/),
      keptAs: `${keyFile}.damaged-3`,
    });
    expect((await readdir(dir)).sort()).toEqual([
      `${IDENTITY_KEY_FILE_NAME}.damaged`,
      `${IDENTITY_KEY_FILE_NAME}.damaged-2`,
      `${IDENTITY_KEY_FILE_NAME}.damaged-3`,
    ]);
    expect(await readFile(`${keyFile}.damaged`, 'utf8')).toBe('{"cut');
    expect(await readFile(`${keyFile}.damaged-2`, 'utf8')).toBe('also bad');
  });

  it('after a damaged key is set aside, a new one can be sealed in its place', async () => {
    const file = createIdentityKeyFile(dir, keychain);
    await writeFile(keyFile, '{"cut');
    await file.load();
    const key = await freshKey();
    expect(await file.seal(key)).toEqual({ sealed: true });
    expect(await file.load()).toMatchObject({ status: 'ok', key: { memberId: key.memberId } });
    expect(await readFile(`${keyFile}.damaged`, 'utf8')).toBe('{"cut');
  });

  it('moves nothing when the file cannot be read at all', async () => {
    // A folder where the file should be: readable by no one, root included, as a disk error would be.
    await mkdir(keyFile);
    await expect(createIdentityKeyFile(dir, keychain).load()).rejects.toThrow(/EISDIR/);
    expect(await readdir(dir)).toEqual([IDENTITY_KEY_FILE_NAME]);
  });
});

describe('keychainFromSafeStorage', () => {
  const safeStorage = (backend: 'basic_text' | 'gnome_libsecret', available = true) => ({
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text: string) => Buffer.from(`sealed:${text}`),
    decryptStringAsync: async (sealed: Buffer) => ({ result: sealed.toString().replace(/^sealed:/, ''), shouldReEncrypt: false }),
  });

  it('counts Linux’s basic_text store, which seals with a publicly known key, as no keychain', async () => {
    expect(await keychainFromSafeStorage(safeStorage('basic_text'), 'linux').isEncryptionAvailable()).toBe(false);
    expect(await keychainFromSafeStorage(safeStorage('gnome_libsecret'), 'linux').isEncryptionAvailable()).toBe(true);
    expect(await keychainFromSafeStorage(safeStorage('gnome_libsecret', false), 'linux').isEncryptionAvailable()).toBe(false);
    expect(await keychainFromSafeStorage(safeStorage('basic_text'), 'darwin').isEncryptionAvailable()).toBe(true);
  });

  it('passes bytes through as Uint8Array both ways', async () => {
    const sealer = keychainFromSafeStorage(safeStorage('gnome_libsecret'), 'linux');
    const sealed = await sealer.encryptString('abc');
    expect(sealed).toBeInstanceOf(Uint8Array);
    expect(await sealer.decryptString(sealed)).toEqual({ result: 'abc', shouldReEncrypt: false });
  });
});

describe('the identity key IPC handlers', () => {
  const APP_FRAME = 'app://hearth/index.html';
  const deps = (): HostIpcDeps => ({
    appOrigin: APP_ORIGIN,
    appInfo: () => ({ name: 'Hearth', version: '0', mode: 'desktop', platform: 'linux', dataLocation: dir }),
    network: () => ({ signalingUrls: [], icePolicy: 'all' }),
    openExternal: async () => undefined,
    chooseSavePath: async () => undefined,
    chooseOpenPath: async () => undefined,
    identityKeys: createIdentityKeyFile(dir, keychain),
  });

  it('seal and load a key for the app’s own frame', async () => {
    const handlers = createHostHandlers(deps());
    const key = await freshKey();
    expect(await handlers.sealIdentityKey(APP_FRAME, [key])).toEqual({ sealed: true });
    expect(await handlers.loadIdentityKey(APP_FRAME, [])).toMatchObject({ status: 'ok', key: { memberId: key.memberId } });
  });

  it('refuse other frames and bad arguments before touching the folder', async () => {
    const handlers = createHostHandlers(deps());
    const key = await freshKey();
    await expect(handlers.sealIdentityKey('https://evil.example/', [key])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.loadIdentityKey('https://evil.example/', [])).rejects.toThrow(/not the Hearth app/);
    await expect(handlers.loadIdentityKey(APP_FRAME, ['extra'])).rejects.toThrow(/no arguments/);
    await expect(handlers.sealIdentityKey(APP_FRAME, [])).rejects.toThrow(/one key/);
    await expect(handlers.sealIdentityKey(APP_FRAME, [key, key])).rejects.toThrow(/one key/);
    const bad: unknown[] = [
      null,
      'key',
      { ...key, extra: 1 },
      { ...key, memberId: '../../etc' },
      { ...key, publicKey: `${key.publicKey}A` },
      { ...key, pkcs8: Array.from(key.pkcs8) },
      { ...key, pkcs8: new Uint8Array(10) },
      { ...key, pkcs8: new Uint8Array(100_000) },
      { memberId: key.memberId, publicKey: key.publicKey },
    ];
    for (const value of bad)
      await expect(handlers.sealIdentityKey(APP_FRAME, [value]), JSON.stringify(value)).rejects.toThrow(/sealIdentityKey: expects/);
    expect(await readdir(dir)).toEqual([]);
  });
});
