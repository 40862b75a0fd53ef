// Key epochs: removing a member moves the community to a new secret that the removed member never
// sees. The remover makes a fresh 32-byte secret for epoch n+1 and publishes, in a signed `rotate`
// entry of the membership log (shared/community/membership-log.ts):
//   ephemeralKey  a fresh ECDH P-256 public key (raw, base64url), used for this rotation only
//   wraps         device id → AES-GCM-256(K_device, secret_{n+1}), where K_device = HKDF-SHA-256 of
//                 ECDH(ephemeral private, device's agreement key) with info "hearth/v1/wrap/<community>/<epoch>/<device>"
//   chain         AES-GCM-256(K_chain, secret_n), K_chain = HKDF of secret_{n+1} with info
//                 "hearth/v1/chain/<community>/<epoch>": whoever holds the newest secret can walk back
//                 to every older one (history stays readable), never forward.
//   commitment    base64url(HKDF-SHA-256 of secret_{n+1}, info "hearth/v1/commit/<community>/<epoch>", 32 bytes):
//                 a device checks the secret its wrap opens to against it, so a rotator cannot hand
//                 different devices different secrets (and split the community) unnoticed.
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
  readonly commitment: string;
  /** The entry id of the rotation this one follows (absent for epoch 1). */
  readonly previous?: string;
}

/** What a rotation commits to: HKDF of its new secret, bound to the community and epoch (README "Key epochs"). */
export async function rotationCommitment(communityId: string, epoch: number, secret: Uint8Array): Promise<string> {
  return toBase64Url(await (await hkdf(secret, SALT)).bits(label('commit', communityId, epoch), COMMITMENT_BYTES));
}

const COMMITMENT_BYTES = 32;

/**
 * Makes epoch n+1's secret and the fields of its `rotate` entry. `previous` is the entry id of the
 * rotation `current` came from (none for epoch 0). Recipients without a valid key are skipped and returned.
 */
export async function makeRotation(
  communityId: string,
  current: EpochSecret,
  recipients: readonly Recipient[],
  previous?: string,
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
  const commitment = await rotationCommitment(communityId, epoch, secret);
  return { next: { epoch, secret }, fields: { epoch, ephemeralKey, wraps, chain, commitment, ...(previous ? { previous } : {}) }, skipped };
}

/** This device's copy of a rotation's secret, or null if the rotation has none for it (or it does not open). */
export async function unwrapRotation(
  communityId: string,
  rotation: Pick<Rotation, 'epoch' | 'ephemeralKey' | 'wraps'>,
  deviceId: string,
  agreementPrivateKey: CryptoKey,
): Promise<Uint8Array | null> {
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
export async function previousSecret(
  communityId: string,
  rotation: Pick<Rotation, 'epoch' | 'chain'>,
  secret: Uint8Array,
): Promise<Uint8Array | null> {
  try {
    return secretOrNull(await openText(await chainKey(secret, communityId, rotation.epoch), rotation.chain));
  } catch {
    return null;
  }
}

/** A rotation this device was given a wrap in that does not hold: ignored here, and shown. */
export interface RotationFlag {
  readonly entryId: string;
  readonly epoch: number;
  readonly by: string;
  readonly at: number;
  readonly reason: 'the wrap does not open' | 'the secret does not match the rotation’s commitment';
}

export type EpochResolution =
  /** Already on the newest epoch. */
  | { readonly kind: 'current' }
  /** A newer epoch this device was given (or the chain's own secret for the epoch it holds, after a fork): switch to it. */
  | { readonly kind: 'advance'; readonly to: EpochSecret }
  /** The newest rotation has nothing for this device: removed, or joined with an invite from before it. */
  | { readonly kind: 'excluded'; readonly epoch: number; readonly by: string; readonly at: number }
  /**
   * Rotations beyond the held epoch gave this device a wrap that does not open, or a secret that does
   * not match their commitment: a rotator trying to shut it out or split the community. The device
   * stays where it is (the remedy is removing the rotator, whose rotation is then replaced).
   */
  | { readonly kind: 'flagged'; readonly epoch: number; readonly flags: readonly RotationFlag[] };

/** Whether `secret` is the one the rotation committed to (a legacy rotation commits to nothing: true). */
export async function matchesCommitment(
  communityId: string,
  rotation: Pick<Rotation, 'epoch' | 'commitment'>,
  secret: Uint8Array,
): Promise<boolean> {
  return rotation.commitment === null || (await rotationCommitment(communityId, rotation.epoch, secret)) === rotation.commitment;
}

/** Where this device stands against the rotations in the log, given the epoch secret it holds. */
export async function resolveEpoch(
  communityId: string,
  rotations: Membership['rotations'],
  held: EpochSecret,
  deviceId: string,
  agreementPrivateKey: CryptoKey | null,
): Promise<EpochResolution> {
  const newest = rotations.at(-1);
  if (!newest) return { kind: 'current' };
  // The held secret may come from a rotation the log has since replaced (a fork won by the removal
  // of its signer, replay.ts): then the chain's rotation for the held epoch is not what it holds.
  const atHeld = rotations.find((rotation) => rotation.epoch === held.epoch);
  const offChain = held.epoch > 0 && (atHeld ? !(await matchesCommitment(communityId, atHeld, held.secret)) : held.epoch > newest.epoch);
  if (!offChain && newest.epoch <= held.epoch) return { kind: 'current' };
  if (offChain && held.epoch > newest.epoch) {
    // Beyond the chain: a replaced fork, or a log that has not arrived yet. Move only onto a secret
    // this device is given and that matches; never call itself excluded on a partial log.
    const secret = agreementPrivateKey ? await unwrapRotation(communityId, newest, deviceId, agreementPrivateKey) : null;
    return secret && (await matchesCommitment(communityId, newest, secret))
      ? { kind: 'advance', to: { epoch: newest.epoch, secret } }
      : { kind: 'current' };
  }
  // Newest first: it wraps for every device that keeps access, and chains go back, never forward.
  // Older ones count only when a newer one does not hold for this device.
  const flags: RotationFlag[] = [];
  for (const rotation of [...rotations].reverse()) {
    if (rotation.epoch < held.epoch || (rotation.epoch === held.epoch && !offChain)) break;
    const wrapped = agreementPrivateKey !== null && Object.hasOwn(rotation.wraps, deviceId);
    if (!wrapped) break;
    const secret = await unwrapRotation(communityId, rotation, deviceId, agreementPrivateKey);
    const flag = { entryId: rotation.entryId, epoch: rotation.epoch, by: rotation.by, at: rotation.at } as const;
    if (!secret) flags.push({ ...flag, reason: 'the wrap does not open' });
    else if (!(await matchesCommitment(communityId, rotation, secret)))
      flags.push({ ...flag, reason: 'the secret does not match the rotation’s commitment' });
    else return { kind: 'advance', to: { epoch: rotation.epoch, secret } };
  }
  if (flags.length > 0) return { kind: 'flagged', epoch: newest.epoch, flags };
  return { kind: 'excluded', epoch: newest.epoch, by: newest.by, at: newest.at };
}

/** Every device of the members who keep access (current members and those waiting to be admitted). */
export async function recipientsOf(
  membership: Pick<Membership, 'roles' | 'waiting' | 'devices'>,
  excluding: ReadonlySet<string> = new Set(),
): Promise<Recipient[]> {
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

async function wrapKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  communityId: string,
  epoch: number,
  deviceId: string,
): Promise<CryptoKey> {
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
