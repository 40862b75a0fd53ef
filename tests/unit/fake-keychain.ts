// A stand-in for the system keychain behind Electron's safeStorage, which cannot run in Node: it seals
// with AES-256-GCM under a key of its own, so bytes it did not seal, or that were damaged, fail to
// open, as with the real one. Everything around it (files, validation, WebCrypto) is real in the tests.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeychainSealer } from '../../electron/identity-key-file.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FakeKeychain extends KeychainSealer {
  /** Whether the keychain can be used (a locked or missing one cannot). */
  available: boolean;
  /** Makes the next unseal say the keychain's key was rotated, as safeStorage's shouldReEncrypt does. */
  rotated: boolean;
  /** How many times something was sealed. */
  readonly sealCount: number;
}

export function createFakeKeychain(): FakeKeychain {
  const key = randomBytes(32);
  let sealCount = 0;
  const keychain: FakeKeychain = {
    available: true,
    rotated: false,
    get sealCount() {
      return sealCount;
    },
    async isEncryptionAvailable() {
      return keychain.available;
    },
    async encryptString(plainText) {
      if (!keychain.available) throw new Error('keychain locked');
      sealCount += 1;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
    },
    async decryptString(sealed) {
      if (!keychain.available) throw new Error('keychain locked');
      const bytes = Buffer.from(sealed);
      if (bytes.byteLength < IV_BYTES + TAG_BYTES)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.byteLength - TAG_BYTES));
      const result = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.byteLength - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
      const shouldReEncrypt = keychain.rotated;
      keychain.rotated = false;
      return { result, shouldReEncrypt };
    },
  };
  return keychain;
}
