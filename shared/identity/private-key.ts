// An identity's private key as PKCS#8 bytes, for the desktop's copy sealed with the system keychain:
// exported once from a fresh key, checked against its public key wherever it is received, and
// imported back as a non-extractable key that can sign but never be read out again.
import { z } from 'zod';
import type { IdentityKeyMaterial } from '../host-api.js';
import { ID_PATTERN } from '../ids.js';
import { fromBase64Url } from '../sync/bytes.js';
import { memberIdFromPublicKey, type Identity } from './identity.js';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** A P-256 PKCS#8 key is 67 bytes, or 138 with its public key (what WebCrypto exports). */
const MIN_PKCS8_BYTES = 64;
const MAX_PKCS8_BYTES = 256;
/** 65 raw bytes in unpadded base64url. */
const PUBLIC_KEY_CHARS = 87;
const COORDINATE_BYTES = 32;

export const identityKeyMaterialSchema = z.strictObject({
  memberId: z.string().regex(ID_PATTERN),
  publicKey: z
    .string()
    .length(PUBLIC_KEY_CHARS)
    .regex(/^[A-Za-z0-9_-]+$/),
  pkcs8: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength >= MIN_PKCS8_BYTES && bytes.byteLength <= MAX_PKCS8_BYTES, {
    message: `pkcs8 must be ${MIN_PKCS8_BYTES} to ${MAX_PKCS8_BYTES} bytes`,
  }),
});

/** The private key's bytes; only a key generated extractable (generateIdentity(true)) has them. */
export async function exportPrivateKey(privateKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', privateKey));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}

/**
 * Whether `material` holds together: a P-256 private key whose public point is `publicKey`, and the
 * member id derived from that. Never throws. The check imports the key extractable only to read its
 * public coordinates (JWK x, y); that key is dropped at once.
 */
export async function isIdentityKeyConsistent(material: IdentityKeyMaterial): Promise<boolean> {
  try {
    const raw = fromBase64Url(material.publicKey);
    if (!raw || raw.byteLength !== 1 + 2 * COORDINATE_BYTES || raw[0] !== 0x04) return false;
    if ((await memberIdFromPublicKey(raw)) !== material.memberId) return false;
    const key = await globalThis.crypto.subtle.importKey('pkcs8', material.pkcs8 as Uint8Array<ArrayBuffer>, ALGORITHM, true, ['sign']);
    const jwk = await globalThis.crypto.subtle.exportKey('jwk', key);
    const x = fromBase64Url(jwk.x ?? '');
    const y = fromBase64Url(jwk.y ?? '');
    return (
      x !== null && y !== null && sameBytes(x, raw.subarray(1, 1 + COORDINATE_BYTES)) && sameBytes(y, raw.subarray(1 + COORDINATE_BYTES))
    );
  } catch {
    return false;
  }
}

/** The identity in `material`, its private key non-extractable; throws if the parts do not belong together. */
export async function importIdentityKey(material: IdentityKeyMaterial): Promise<Identity> {
  if (!identityKeyMaterialSchema.safeParse(material).success || !(await isIdentityKeyConsistent(material))) {
    throw new Error('The identity key does not match its public key.');
  }
  const privateKey = await globalThis.crypto.subtle.importKey('pkcs8', material.pkcs8 as Uint8Array<ArrayBuffer>, ALGORITHM, false, [
    'sign',
  ]);
  return { memberId: material.memberId, publicKey: material.publicKey, privateKey };
}
