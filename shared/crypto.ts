// All of Hearth's symmetric crypto and hashing in one place, over Web Crypto (browsers, Electron, Node):
// HKDF-SHA-256 with labelled info strings, AES-GCM-256 seal/open, SHA-256, and ECDH P-256 agreement.
// Every other file calls these; nothing else touches crypto.subtle for them. Formats and test vectors:
// shared/sync/README.md (checked by tests/unit/crypto.test.ts). Signatures (ECDSA) are the identity's
// own: shared/identity/identity.ts.
import { concatBytes, exactBytes, fromBase64Url, toHex } from './sync/bytes.js';

/** AES-GCM nonce length: 96 bits, the size GCM is defined for. */
export const NONCE_BYTES = 12;
/** AES-GCM's authentication tag, appended to the ciphertext. */
export const TAG_BYTES = 16;

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const AES_GCM_256 = { name: 'AES-GCM', length: 256 } as const;
const encoder = new TextEncoder();

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', exactBytes(bytes)));
}

/** SHA-256 of bytes as lower-case hex (native: ~20 ms for 10 MB). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(await sha256(bytes));
}

/** SHA-256 of a string's UTF-8 bytes. */
export function sha256Text(text: string): Promise<Uint8Array> {
  return sha256(encoder.encode(text));
}

/**
 * The info string every Hearth derivation uses: `hearth/v1/<purpose>/<part>/<part>…`. Binding the
 * purpose, the community and the epoch into it is what keeps one derived key from standing in for another.
 */
export function label(purpose: string, ...parts: readonly (string | number)[]): string {
  return ['hearth/v1', purpose, ...parts].join('/');
}

/** HKDF-SHA-256 (RFC 5869) keyed by `ikm` with one salt; derive as many labelled outputs as needed. */
export interface Hkdf {
  bits(info: string, bytes: number): Promise<Uint8Array>;
  /** A non-extractable AES-GCM-256 key for seal/open. */
  aesKey(info: string): Promise<CryptoKey>;
}

export async function hkdf(ikm: Uint8Array | ArrayBuffer, salt: string): Promise<Hkdf> {
  const base = await crypto.subtle.importKey('raw', ikm instanceof Uint8Array ? exactBytes(ikm) : ikm, 'HKDF', false, [
    'deriveBits',
    'deriveKey',
  ]);
  const saltBytes = exactBytes(encoder.encode(salt));
  const params = (info: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: saltBytes, info: exactBytes(encoder.encode(info)) });
  return {
    bits: async (info, bytes) => new Uint8Array(await crypto.subtle.deriveBits(params(info), base, bytes * 8)),
    aesKey: (info) => crypto.subtle.deriveKey(params(info), base, AES_GCM_256, false, ['encrypt', 'decrypt']),
  };
}

/** `nonce (12 random bytes) | AES-GCM ciphertext with its tag`, with optional associated data bound in. */
export async function seal(key: CryptoKey, plaintext: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array> {
  const nonce = randomBytes(NONCE_BYTES);
  const params = associatedData
    ? { name: 'AES-GCM', iv: nonce, additionalData: exactBytes(associatedData) }
    : { name: 'AES-GCM', iv: nonce };
  return concatBytes(nonce, new Uint8Array(await crypto.subtle.encrypt(params, key, exactBytes(plaintext))));
}

/** The plaintext, or null when `sealed` was not sealed with this key and associated data, or was altered. */
export async function open(key: CryptoKey, sealed: Uint8Array, associatedData?: Uint8Array): Promise<Uint8Array | null> {
  if (sealed.byteLength < NONCE_BYTES + TAG_BYTES) return null;
  const iv = exactBytes(sealed.subarray(0, NONCE_BYTES));
  const params = associatedData ? { name: 'AES-GCM', iv, additionalData: exactBytes(associatedData) } : { name: 'AES-GCM', iv };
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, exactBytes(sealed.subarray(NONCE_BYTES))));
  } catch {
    return null;
  }
}

export interface AgreementKeyPair {
  /** Raw uncompressed P-256 point (65 bytes). */
  readonly publicKey: Uint8Array;
  /** Non-extractable unless the caller asks otherwise (a test, or a store that must persist it). */
  readonly privateKey: CryptoKey;
}

export async function generateAgreementKeyPair(extractable = false): Promise<AgreementKeyPair> {
  const pair = await crypto.subtle.generateKey(ECDH, extractable, ['deriveBits']);
  return { publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)), privateKey: pair.privateKey };
}

/** A P-256 public point to agree with, or null when the bytes are not one. */
export async function importAgreementPublicKey(raw: Uint8Array): Promise<CryptoKey | null> {
  if (raw.byteLength !== 65) return null;
  try {
    return await crypto.subtle.importKey('raw', exactBytes(raw), ECDH, false, []);
  } catch {
    return null;
  }
}

/** Whether a published agreement key (base64url) is a real P-256 point, which a rotation can wrap for. */
export async function isAgreementKey(raw: string): Promise<boolean> {
  const bytes = fromBase64Url(raw);
  return bytes !== null && (await importAgreementPublicKey(bytes)) !== null;
}

/** ECDH P-256: the 32-byte shared secret, to be used only as HKDF input. */
export async function agree(privateKey: CryptoKey, publicKey: CryptoKey): Promise<ArrayBuffer> {
  return crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
}
