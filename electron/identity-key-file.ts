// The desktop's copy of the member's identity key: PKCS#8 sealed with the system keychain (Electron's
// safeStorage) in one file in the app's data folder. It is written once, atomically and readable only
// by this user, and never replaced: a file that cannot be read or unsealed is renamed aside with a
// ".damaged" suffix and reported, so a new identity can never silently take the old one's place.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import type { IdentityKeyLoadResult, IdentityKeyMaterial, SealIdentityKeyResult } from '../shared/host-api.js';
import { identityKeyMaterialSchema, isIdentityKeyConsistent } from '../shared/identity/private-key.js';
import { fromBase64Url, toBase64Url } from '../shared/sync/bytes.js';

/**
 * What this file needs of Electron's safeStorage, passed in so that everything else runs in plain
 * Node (tests pass a stand-in: the OS keychain cannot run there).
 */
export interface KeychainSealer {
  /** False when no keychain can protect the key (Linux without a secret service, before 'ready'). */
  isEncryptionAvailable(): Promise<boolean>;
  encryptString(plainText: string): Promise<Uint8Array>;
  /** Throws when the bytes were not sealed by this keychain or were damaged. */
  decryptString(sealed: Uint8Array): Promise<{ readonly result: string; readonly shouldReEncrypt: boolean }>;
}

/**
 * Electron's safeStorage as a KeychainSealer. On Linux, the "basic_text" store seals with a fixed key
 * that every copy of Chromium knows, which protects nothing: it counts as no keychain, and the key is
 * kept as in browser mode instead, where at least no script can read it out.
 */
export function keychainFromSafeStorage(
  safeStorage: Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptStringAsync' | 'decryptStringAsync'>,
  platform: NodeJS.Platform,
): KeychainSealer {
  return {
    isEncryptionAvailable: async () =>
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      !(platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
    encryptString: async (plainText) => new Uint8Array(await safeStorage.encryptStringAsync(plainText)),
    decryptString: async (sealed) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(sealed));
      return { result, shouldReEncrypt };
    },
  };
}

export interface IdentityKeyFile {
  load(): Promise<IdentityKeyLoadResult>;
  seal(key: IdentityKeyMaterial): Promise<SealIdentityKeyResult>;
}

export const IDENTITY_KEY_FILE_NAME = 'identity-key.sealed';
const FORMAT = 'hearth-identity-key';
const VERSION = 1;
/** The file is about 300 bytes; anything much larger is not one of ours and is not read whole. */
const MAX_FILE_BYTES = 16 * 1024;
const FILE_MODE = 0o600;
const DAMAGED_SUFFIX = '.damaged';

const envelopeSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  memberId: identityKeyMaterialSchema.shape.memberId,
  publicKey: identityKeyMaterialSchema.shape.publicKey,
  /** base64url of what the keychain sealed: the base64url of the PKCS#8 bytes. */
  sealed: z
    .string()
    .min(1)
    .max(MAX_FILE_BYTES)
    .regex(/^[A-Za-z0-9_-]+$/),
});
type Envelope = z.infer<typeof envelopeSchema>;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await stat(filePath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Writes to a fresh temporary file (0600), flushes it, then renames it into place. */
async function writeFileAtomic(filePath: string, text: string): Promise<void> {
  const temporary = `${filePath}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', FILE_MODE);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // Makes the rename itself durable on POSIX; Windows cannot open a folder this way, and needs not.
  const folder = await open(path.dirname(filePath), 'r').catch(() => undefined);
  await folder?.sync().catch(() => undefined);
  await folder?.close();
}

class DamagedKeyFile extends Error {}

export function createIdentityKeyFile(folder: string, keychain: KeychainSealer): IdentityKeyFile {
  const filePath = path.join(folder, IDENTITY_KEY_FILE_NAME);
  // One operation at a time: "is there a key?" and "write the key" must not interleave. The app holds
  // a single-instance lock, so no other process writes here.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = queue.then(operation, operation);
    queue = result.catch(() => undefined);
    return result;
  };

  async function damagedCopies(): Promise<string[]> {
    const names = await readdir(folder).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    });
    return names.filter((name) => name.startsWith(IDENTITY_KEY_FILE_NAME + DAMAGED_SUFFIX)).sort();
  }

  /** Renames the key file aside under a name no earlier damaged copy has, and returns that name. */
  async function setAside(): Promise<string> {
    const base = filePath + DAMAGED_SUFFIX;
    for (let attempt = 1; attempt <= 1000; attempt += 1) {
      const candidate = attempt === 1 ? base : `${base}-${attempt}`;
      if (await exists(candidate)) continue;
      await rename(filePath, candidate);
      return candidate;
    }
    throw new Error(`Too many damaged identity key files in ${folder}; move some of them away.`);
  }

  function parseEnvelope(text: string): Envelope {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DamagedKeyFile('The identity key file is not complete (it may have been cut short).');
    }
    const parsed = envelopeSchema.safeParse(json);
    if (!parsed.success) throw new DamagedKeyFile('The identity key file is not in the form Hearth writes.');
    return parsed.data;
  }

  async function unseal(envelope: Envelope): Promise<{ key: IdentityKeyMaterial; shouldReEncrypt: boolean }> {
    const sealed = fromBase64Url(envelope.sealed);
    if (!sealed) throw new DamagedKeyFile('The identity key file is not in the form Hearth writes.');
    let opened: { readonly result: string; readonly shouldReEncrypt: boolean };
    try {
      opened = await keychain.decryptString(sealed);
    } catch {
      throw new DamagedKeyFile(
        'The system keychain could not unseal the identity key: the file is damaged, or it was sealed by another user account or keychain.',
      );
    }
    const pkcs8 = fromBase64Url(opened.result);
    const key = { memberId: envelope.memberId, publicKey: envelope.publicKey, pkcs8: pkcs8 ?? new Uint8Array() };
    if (!pkcs8 || !identityKeyMaterialSchema.safeParse(key).success || !(await isIdentityKeyConsistent(key))) {
      throw new DamagedKeyFile('The unsealed identity key does not match the public key stored with it.');
    }
    return { key, shouldReEncrypt: opened.shouldReEncrypt };
  }

  async function envelopeFor(key: IdentityKeyMaterial): Promise<string> {
    const sealed = await keychain.encryptString(toBase64Url(key.pkcs8));
    const envelope: Envelope = {
      format: FORMAT,
      version: VERSION,
      memberId: key.memberId,
      publicKey: key.publicKey,
      sealed: toBase64Url(sealed),
    };
    return `${JSON.stringify(envelope)}\n`;
  }

  async function load(): Promise<IdentityKeyLoadResult> {
    let text: string;
    try {
      const size = (await stat(filePath)).size;
      if (size > MAX_FILE_BYTES) {
        return { status: 'damaged', reason: 'The identity key file is far larger than one Hearth writes.', keptAs: await setAside() };
      }
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        return { status: 'none', keychainAvailable: await keychain.isEncryptionAvailable(), damagedCopies: await damagedCopies() };
      }
      // Unreadable for another reason (permissions, a disk error): nothing is moved or replaced.
      throw error;
    }
    // The key is sealed with the keychain; until it is back, nothing about the file can be judged.
    if (!(await keychain.isEncryptionAvailable())) return { status: 'unavailable' };
    try {
      const { key, shouldReEncrypt } = await unseal(parseEnvelope(text));
      // The keychain rotated its key: the same identity key, sealed again under the new one.
      if (shouldReEncrypt) await writeFileAtomic(filePath, await envelopeFor(key)).catch(() => undefined);
      return { status: 'ok', key };
    } catch (error) {
      if (!(error instanceof DamagedKeyFile)) throw error;
      return { status: 'damaged', reason: error.message, keptAs: await setAside() };
    }
  }

  async function seal(key: IdentityKeyMaterial): Promise<SealIdentityKeyResult> {
    if (!(await isIdentityKeyConsistent(key))) throw new Error('The identity key does not match its public key.');
    if (!(await keychain.isEncryptionAvailable())) return { sealed: false, reason: 'unavailable' };
    await mkdir(folder, { recursive: true });
    if (await exists(filePath)) return { sealed: false, reason: 'exists' };
    await writeFileAtomic(filePath, await envelopeFor(key));
    return { sealed: true };
  }

  return {
    load: () => serially(load),
    seal: (key) => serially(() => seal(key)),
  };
}
