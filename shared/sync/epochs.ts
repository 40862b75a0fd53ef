// Key epochs: removing a member moves the community to a new secret that the removed member never
// sees. The remover makes a fresh 32-byte secret for epoch n+1 and publishes, in a signed `rotate`
// entry of the membership log (shared/community/membership-log.ts):
//   ephemeralKey  a fresh ECDH P-256 public key (raw, base64url), used for this rotation only
//   wraps         device id → AES-GCM-256(K_device, secret_{n+1}), where K_device = HKDF-SHA-256 of
//                 ECDH(ephemeral private, device's agreement key) with info "hearth/v1/wrap/<community>/<epoch>/<device>"
//   chain         AES-GCM-256(K_chain, secret_n), K_chain = HKDF of secret_{n+1} with info
//                 "hearth/v1/chain/<community>/<epoch>": whoever holds the newest secret can walk back
//                 to every older one (history stays readable), never forward.
// Sealed values are base64url(nonce (12 bytes) || ciphertext with tag). Every derivation binds the
// community id, the epoch and the device, so a wrap cannot be moved to another device or epoch.
// A device's id is memberIdFromPublicKey(its signing key): 16 base32 characters, like member ids.
import { memberIdFromPublicKey } from '../identity/identity.js';
import { type Membership, type Rotation } from '../community/log/replay.js';
import { agree, generateAgreementKeyPair, hkdf, importAgreementPublicKey, label, open, seal } from '../crypto.js';
import { fromBase64Url, toBase64Url } from './bytes.js';
import { COMMUNITY_SECRET_BYTES, newCommunitySecret } from './keys.js';

const SALT = 'hearth epochs v1';

export interface AgreementKeyPair {
  /** Raw uncompressed P-256 point, base64url: published in the membership log. */
  readonly publicKey: string;
  /** Never leaves the device; non-extractable unless a test or a device store asks otherwise. */
  readonly privateKey: CryptoKey;
}

export async function generateAgreementKey(extractable = false): Promise<AgreementKeyPair> {
  const pair = await generateAgreementKeyPair(extractable);
  return { publicKey: toBase64Url(pair.publicKey), privateKey: pair.privateKey };
}

/** The id a device's wraps are filed under: derived from its signing key. */
export function deviceIdOf(signingPublicKey: string): Promise<string> {
  return memberIdFromPublicKey(signingPublicKey);
}

export interface EpochSecret {
  readonly epoch: number;
  readonly secret: Uint8Array;
}

export interface Recipient {
  readonly deviceId: string;
  readonly agreementKey: string;
}

export interface RotationFields {
  readonly epoch: number;
  readonly ephemeralKey: string;
  readonly wraps: Readonly<Record<string, string>>;
  readonly chain: string;
}

/** Makes epoch n+1's secret and the fields of its `rotate` entry. Recipients without a valid key are skipped and returned. */
export async function makeRotation(
  communityId: string,
  current: EpochSecret,
  recipients: readonly Recipient[],
): Promise<{ readonly next: EpochSecret; readonly fields: RotationFields; readonly skipped: readonly string[] }> {
  const epoch = current.epoch + 1;
  const secret = newCommunitySecret();
  const ephemeral = await generateAgreementKeyPair();
  const ephemeralKey = toBase64Url(ephemeral.publicKey);
  const wraps: Record<string, string> = {};
  const skipped: string[] = [];
  for (const recipient of recipients) {
    const theirs = await importAgreementKey(recipient.agreementKey);
    if (!theirs) {
      skipped.push(recipient.deviceId);
      continue;
    }
    const key = await wrapKey(ephemeral.privateKey, theirs, communityId, epoch, recipient.deviceId);
    wraps[recipient.deviceId] = await sealText(key, secret);
  }
  const chain = await sealText(await chainKey(secret, communityId, epoch), current.secret);
  return { next: { epoch, secret }, fields: { epoch, ephemeralKey, wraps, chain }, skipped };
}

/** This device's copy of a rotation's secret, or null if the rotation has none for it (or it does not open). */
export async function unwrapRotation(communityId: string, rotation: Pick<Rotation, 'epoch' | 'ephemeralKey' | 'wraps'>, deviceId: string, agreementPrivateKey: CryptoKey): Promise<Uint8Array | null> {
  const sealed = Object.hasOwn(rotation.wraps, deviceId) ? rotation.wraps[deviceId] : undefined;
  if (!sealed) return null;
  const ephemeral = await importAgreementKey(rotation.ephemeralKey);
  if (!ephemeral) return null;
  try {
    const key = await wrapKey(agreementPrivateKey, ephemeral, communityId, rotation.epoch, deviceId);
    return secretOrNull(await openText(key, sealed));
  } catch {
    return null;
  }
}

/** Epoch n-1's secret from epoch n's (the chain); null if it does not open. */
export async function previousSecret(communityId: string, rotation: Pick<Rotation, 'epoch' | 'chain'>, secret: Uint8Array): Promise<Uint8Array | null> {
  try {
    return secretOrNull(await openText(await chainKey(secret, communityId, rotation.epoch), rotation.chain));
  } catch {
    return null;
  }
}

export type EpochResolution =
  /** Already on the newest epoch. */
  | { readonly kind: 'current' }
  /** A newer epoch this device was given: switch to it. */
  | { readonly kind: 'advance'; readonly to: EpochSecret }
  /** The newest rotation has nothing for this device: removed, or joined with an invite from before it. */
  | { readonly kind: 'excluded'; readonly epoch: number; readonly by: string; readonly at: number };

/** Where this device stands against the rotations in the log, given the epoch secret it holds. */
export async function resolveEpoch(
  communityId: string,
  rotations: Membership['rotations'],
  held: EpochSecret,
  deviceId: string,
  agreementPrivateKey: CryptoKey | null,
): Promise<EpochResolution> {
  const newest = rotations.at(-1);
  if (!newest || newest.epoch <= held.epoch) return { kind: 'current' };
  // Only the newest rotation matters: it wraps for every device that keeps access, and chains go
  // back, never forward, so an older epoch's secret would not lead to it.
  const secret = agreementPrivateKey ? await unwrapRotation(communityId, newest, deviceId, agreementPrivateKey) : null;
  if (secret) return { kind: 'advance', to: { epoch: newest.epoch, secret } };
  return { kind: 'excluded', epoch: newest.epoch, by: newest.by, at: newest.at };
}

/** Every device of the members who keep access (current members and those waiting to be admitted). */
export async function recipientsOf(membership: Pick<Membership, 'roles' | 'waiting' | 'devices'>, excluding: ReadonlySet<string> = new Set()): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const [memberId, devices] of membership.devices) {
    if (excluding.has(memberId) || (!membership.roles.has(memberId) && !membership.waiting.has(memberId))) continue;
    for (const device of devices) {
      if (device.agreementKey) recipients.push({ deviceId: await deviceIdOf(device.publicKey), agreementKey: device.agreementKey });
    }
  }
  return recipients;
}

// ---------------------------------------------------------------------------------------------------

async function importAgreementKey(raw: string): Promise<CryptoKey | null> {
  const bytes = fromBase64Url(raw);
  return bytes ? importAgreementPublicKey(bytes) : null;
}

async function wrapKey(privateKey: CryptoKey, publicKey: CryptoKey, communityId: string, epoch: number, deviceId: string): Promise<CryptoKey> {
  return (await hkdf(await agree(privateKey, publicKey), SALT)).aesKey(label('wrap', communityId, epoch, deviceId));
}

async function chainKey(secret: Uint8Array, communityId: string, epoch: number): Promise<CryptoKey> {
  return (await hkdf(secret, SALT)).aesKey(label('chain', communityId, epoch));
}

/** Sealed values in the log are base64url text. */
async function sealText(key: CryptoKey, plain: Uint8Array): Promise<string> {
  return toBase64Url(await seal(key, plain));
}

async function openText(key: CryptoKey, sealed: string): Promise<Uint8Array | null> {
  const bytes = fromBase64Url(sealed);
  return bytes ? open(key, bytes) : null;
}

function secretOrNull(bytes: Uint8Array | null): Uint8Array | null {
  return bytes?.byteLength === COMMUNITY_SECRET_BYTES ? bytes : null;
}
