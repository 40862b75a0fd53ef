// A member's identity: an ECDSA P-256 keypair made with WebCrypto, the member id derived from the
// public key, and signing/verifying over a canonical encoding. Pure: WebCrypto is a standard global
// in browsers, Electron and Node 20. Storage of the private key is the renderer's business.
import { sha256 } from '../crypto.js';
import { exactBytes, fromBase64Url, toBase64Url } from '../sync/bytes.js';
import { ID_PATTERN } from '../ids.js';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** An uncompressed P-256 point: 0x04 || x || y. */
const RAW_PUBLIC_KEY_BYTES = 65;
/** WebCrypto's ECDSA signatures are IEEE P1363: r || s. */
const SIGNATURE_BYTES = 64;
/** 10 bytes = 80 bits = 16 base32 characters, the length of every other id (shared/ids.ts). */
const MEMBER_ID_HASH_BYTES = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export interface Identity {
  readonly memberId: string;
  /** Raw public key, base64url; travels in join entries so every peer can verify. */
  readonly publicKey: string;
  readonly privateKey: CryptoKey;
}

/** Makes a new identity. The private key is non-extractable unless a test asks otherwise. */
export async function generateIdentity(extractable = false): Promise<Identity> {
  const pair = await globalThis.crypto.subtle.generateKey(ALGORITHM, extractable, ['sign', 'verify']);
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey));
  return { memberId: await memberIdFromPublicKey(raw), publicKey: toBase64Url(raw), privateKey: pair.privateKey };
}

/** Crockford base32 of the bit string, 5 bits a character (no padding: 80 bits is 16 characters). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The member id of a raw public key: base32 of the first 10 bytes of its SHA-256. */
export async function memberIdFromPublicKey(publicKey: Uint8Array | string): Promise<string> {
  const raw = typeof publicKey === 'string' ? fromBase64Url(publicKey) : publicKey;
  if (!raw || raw.byteLength !== RAW_PUBLIC_KEY_BYTES) throw new Error('not a raw P-256 public key');
  return base32((await sha256(raw)).slice(0, MEMBER_ID_HASH_BYTES));
}

/**
 * A community id bound to its founder: base32 of the first 10 bytes of SHA-256("hearth-community" ||
 * raw public key || nonce). Forging a genesis entry for an existing community means finding a key
 * whose hash matches 80 bits, so "who founded this" needs no trusted field in the document.
 */
export async function communityIdFor(publicKey: string, nonce: string): Promise<string> {
  const raw = fromBase64Url(publicKey);
  if (!raw || raw.byteLength !== RAW_PUBLIC_KEY_BYTES) throw new Error('not a raw P-256 public key');
  const label = new TextEncoder().encode(`hearth-community\u0000${nonce}\u0000`);
  const input = new Uint8Array(label.byteLength + raw.byteLength);
  input.set(label, 0);
  input.set(raw, label.byteLength);
  return base32((await sha256(input)).slice(0, MEMBER_ID_HASH_BYTES));
}

export type Canonical = string | number | boolean | null | readonly Canonical[] | { readonly [key: string]: Canonical | undefined };

/**
 * JSON with object keys sorted and undefined members dropped: one byte string per value, whatever
 * order a peer wrote the fields in. Non-finite numbers have no spelling and throw.
 */
export function canonicalEncode(value: Canonical): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('cannot sign a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly Canonical[]).map(canonicalEncode).join(',')}]`;
  const object = value as { readonly [key: string]: Canonical | undefined };
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalEncode(object[key] as Canonical)}`).join(',')}}`;
}

/** Signs the canonical encoding of `payload`; returns the signature as base64url. */
export async function sign(privateKey: CryptoKey, payload: Canonical): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalEncode(payload));
  return toBase64Url(new Uint8Array(await globalThis.crypto.subtle.sign(SIGN_ALGORITHM, privateKey, bytes)));
}

/** Imported public keys, so a log of hundreds of entries imports each member's key once. */
const importedKeys = new Map<string, Promise<CryptoKey | null>>();
const IMPORTED_KEYS_MAX = 1_000;

function importPublicKey(publicKey: string): Promise<CryptoKey | null> {
  let key = importedKeys.get(publicKey);
  if (!key) {
    const raw = fromBase64Url(publicKey);
    key =
      raw && raw.byteLength === RAW_PUBLIC_KEY_BYTES
        ? globalThis.crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, ALGORITHM, true, ['verify']).catch(() => null)
        : Promise.resolve(null);
    if (importedKeys.size >= IMPORTED_KEYS_MAX) importedKeys.clear();
    importedKeys.set(publicKey, key);
  }
  return key;
}

/** Signs raw bytes (ECDSA P-256 / SHA-256); the 64-byte IEEE P1363 signature r || s. */
export async function signBytes(privateKey: CryptoKey, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.sign(SIGN_ALGORITHM, privateKey, exactBytes(bytes)));
}

/** True only for a 64-byte signature by `publicKey` (base64url raw key) over exactly these bytes; never throws. */
export async function verifyBytes(publicKey: string, bytes: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    if (signature.byteLength !== SIGNATURE_BYTES) return false;
    const key = await importPublicKey(publicKey);
    if (!key) return false;
    return await globalThis.crypto.subtle.verify(SIGN_ALGORITHM, key, exactBytes(signature), exactBytes(bytes));
  } catch {
    return false;
  }
}

/** True only for a well-formed signature by `publicKey` over exactly this payload; never throws. */
export async function verify(publicKey: string, payload: Canonical, signature: string): Promise<boolean> {
  try {
    const sig = fromBase64Url(signature);
    if (!sig || sig.byteLength !== SIGNATURE_BYTES) return false;
    const key = await importPublicKey(publicKey);
    if (!key) return false;
    const bytes = new TextEncoder().encode(canonicalEncode(payload));
    return await globalThis.crypto.subtle.verify(SIGN_ALGORITHM, key, sig as Uint8Array<ArrayBuffer>, bytes);
  } catch {
    return false;
  }
}

/** Whether `memberId` is the id of `publicKey` (and both are well formed); never throws. */
export async function isKeyOf(memberId: string, publicKey: string): Promise<boolean> {
  if (!ID_PATTERN.test(memberId)) return false;
  try {
    return (await memberIdFromPublicKey(publicKey)) === memberId;
  } catch {
    return false;
  }
}
