// The signed change: the unit in which a device's edits travel and are kept. A batch of one device's
// Yjs updates with the community, epoch, device key, the Yjs client id it writes under, its place in
// that client's chain (sequence number and the previous change's hash), signed with the device key.
// Pure encode/decode/sign/verify; what a receiver does with one is change-log.ts. The byte layout, the
// client-id derivation and test vectors: README.md ("Signed changes").
import { label, randomBytes, seal, open, sha256 } from '../crypto.js';
import { signBytes, verifyBytes } from '../identity/identity.js';
import { concatBytes, bytesEqual, fromBase64Url, toBase64Url } from './bytes.js';

export const CHANGE_MAGIC = new Uint8Array([0x48, 0x53, 0x43, 0x31]); // "HSC1"
export const DEVICE_KEY_BYTES = 65;
export const CLIENT_NONCE_BYTES = 16;
export const HASH_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/** magic 4 | flags 1 | epoch 4 | client 4 | seq 4 | at 8 | device 65 | nonce 16 | prev 32 | community 32 | length 4 */
export const CHANGE_HEADER_BYTES = 4 + 1 + 4 + 4 + 4 + 8 + DEVICE_KEY_BYTES + CLIENT_NONCE_BYTES + HASH_BYTES + HASH_BYTES + 4;
/** The largest Yjs update one change carries (a pasted picture in a note, a big import). */
export const MAX_CHANGE_UPDATE_BYTES = 32 * 1024 * 1024;
const ZERO_HASH = new Uint8Array(HASH_BYTES);
/** Flags bit 0: a baseline, the history from before signed changes (README.md "Baselines"). */
export const FLAG_BASELINE = 0x01;

export interface SignedChange {
  readonly epoch: number;
  /** The Yjs client id every struct in `update` is written under (a baseline: the chain it travels in). */
  readonly client: number;
  /** History from before signed changes, under client ids nobody is bound to (FLAG_BASELINE). */
  readonly baseline: boolean;
  /** 0 for the first change of a client's chain. */
  readonly seq: number;
  /** When the author's device signed it (epoch ms); what it claims, nothing is ordered by it. */
  readonly at: number;
  /** The signing device's raw P-256 public key, base64url (as the membership log names devices). */
  readonly device: string;
  readonly nonce: Uint8Array;
  /** SHA-256 of the previous change's signed part (see changeHash); 32 zero bytes for seq 0. */
  readonly prev: Uint8Array;
  /** SHA-256 of the community id under its label (communityTag). */
  readonly community: Uint8Array;
  readonly update: Uint8Array;
  readonly signature: Uint8Array;
  /** Header and update: what the signature covers and the chain hash is taken over. */
  readonly signed: Uint8Array;
  /** All of it as it travels. */
  readonly bytes: Uint8Array;
}

/** Binds a change to one community without a field of varying length. */
export function communityTag(communityId: string): Promise<Uint8Array> {
  return sha256(new TextEncoder().encode(label('community', communityId)));
}

/**
 * The Yjs client id a device may write under with this nonce: the first 4 bytes (big-endian) of
 * SHA-256("hearth/v1/client" || device key || nonce). Anyone can check it, and nobody can claim
 * another device's client id without finding a 32-bit preimage after seeing it (README, trade-offs).
 */
export async function clientIdFor(deviceKey: Uint8Array, nonce: Uint8Array): Promise<number> {
  const digest = await sha256(concatBytes(new TextEncoder().encode(label('client')), deviceKey, nonce));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** clientIdFor by device key and nonce, remembered: every change of a session names the same pair. */
const boundClients = new Map<string, Promise<number | null>>();
function boundClient(device: string, nonce: Uint8Array): Promise<number | null> {
  const key = `${device}:${toBase64Url(nonce)}`;
  let client = boundClients.get(key);
  if (!client) {
    const raw = fromBase64Url(device);
    if (boundClients.size >= 10_000) boundClients.clear();
    boundClients.set(key, (client = raw && raw.byteLength === DEVICE_KEY_BYTES ? clientIdFor(raw, nonce) : Promise.resolve(null)));
  }
  return client;
}

/** A new session's client binding: a fresh nonce and the client id it derives. */
export async function newClientBinding(devicePublicKey: string): Promise<{ readonly nonce: Uint8Array; readonly client: number }> {
  const device = fromBase64Url(devicePublicKey);
  if (!device || device.byteLength !== DEVICE_KEY_BYTES) throw new Error('Not a device key.');
  const nonce = randomBytes(CLIENT_NONCE_BYTES);
  return { nonce, client: await clientIdFor(device, nonce) };
}

/** The hash a chain links by: SHA-256 of the signed part (so it does not depend on the signature's encoding). */
export function changeHash(change: Pick<SignedChange, 'signed'>): Promise<Uint8Array> {
  return sha256(change.signed);
}

export interface NewChange {
  readonly epoch: number;
  readonly client: number;
  readonly seq: number;
  readonly at: number;
  readonly device: string;
  readonly nonce: Uint8Array;
  readonly prev: Uint8Array | null;
  readonly community: Uint8Array;
  readonly update: Uint8Array;
  readonly baseline?: boolean;
}

export async function signChange(fields: NewChange, privateKey: CryptoKey): Promise<SignedChange> {
  const device = fromBase64Url(fields.device);
  if (!device || device.byteLength !== DEVICE_KEY_BYTES) throw new Error('Not a device key.');
  if (fields.update.byteLength > MAX_CHANGE_UPDATE_BYTES) throw new Error('This change is too big to sign.');
  const signed = new Uint8Array(CHANGE_HEADER_BYTES + fields.update.byteLength);
  const view = new DataView(signed.buffer);
  let at = 0;
  signed.set(CHANGE_MAGIC, at);
  at += 4;
  view.setUint8(at, fields.baseline ? FLAG_BASELINE : 0);
  at += 1;
  view.setUint32(at, fields.epoch);
  at += 4;
  view.setUint32(at, fields.client);
  at += 4;
  view.setUint32(at, fields.seq);
  at += 4;
  view.setFloat64(at, fields.at);
  at += 8;
  signed.set(device, at);
  at += DEVICE_KEY_BYTES;
  signed.set(fields.nonce, at);
  at += CLIENT_NONCE_BYTES;
  signed.set(fields.prev ?? ZERO_HASH, at);
  at += HASH_BYTES;
  signed.set(fields.community, at);
  at += HASH_BYTES;
  view.setUint32(at, fields.update.byteLength);
  at += 4;
  signed.set(fields.update, at);
  const signature = await signBytes(privateKey, signed);
  const change = decodeChange(concatBytes(signed, signature));
  if (!change) throw new Error('A change this device signed does not decode.');
  return change;
}

/** The change's fields, or null when the bytes are not a change (checked by length and layout, not signature). */
export function decodeChange(bytes: Uint8Array): SignedChange | null {
  if (bytes.byteLength < CHANGE_HEADER_BYTES + SIGNATURE_BYTES) return null;
  if (!bytesEqual(bytes.subarray(0, 4), CHANGE_MAGIC)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint8(4);
  if (flags !== 0 && flags !== FLAG_BASELINE) return null;
  const length = view.getUint32(CHANGE_HEADER_BYTES - 4);
  if (length > MAX_CHANGE_UPDATE_BYTES || bytes.byteLength !== CHANGE_HEADER_BYTES + length + SIGNATURE_BYTES) return null;
  const atMs = view.getFloat64(17);
  if (!Number.isFinite(atMs) || atMs < 0) return null;
  let at = 25;
  const device = bytes.subarray(at, (at += DEVICE_KEY_BYTES));
  const nonce = bytes.subarray(at, (at += CLIENT_NONCE_BYTES));
  const prev = bytes.subarray(at, (at += HASH_BYTES));
  const community = bytes.subarray(at, (at += HASH_BYTES));
  at += 4;
  const update = bytes.subarray(at, (at += length));
  return {
    epoch: view.getUint32(5),
    client: view.getUint32(9),
    baseline: flags === FLAG_BASELINE,
    seq: view.getUint32(13),
    at: atMs,
    device: toBase64Url(device),
    nonce,
    prev,
    community,
    update,
    signature: bytes.subarray(at),
    signed: bytes.subarray(0, at),
    bytes,
  };
}

export type ChangeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: 'signature' | 'client' | 'community' | 'prev' };

/**
 * Everything about a change that needs no document: its signature, that its client id derives from
 * its device key and nonce, that it names this community, and that seq 0 names no predecessor.
 */
export async function checkChange(change: SignedChange, community: Uint8Array): Promise<ChangeCheck> {
  if (!bytesEqual(change.community, community)) return { ok: false, reason: 'community' };
  if (change.seq === 0 && !bytesEqual(change.prev, ZERO_HASH)) return { ok: false, reason: 'prev' };
  if ((await boundClient(change.device, change.nonce)) !== change.client) return { ok: false, reason: 'client' };
  if (!(await verifyBytes(change.device, change.signed, change.signature))) return { ok: false, reason: 'signature' };
  return { ok: true };
}

/** Seals a change for a place that must not read it (a relay, a file): AES-GCM under the epoch's key. */
export function sealChange(key: CryptoKey, change: SignedChange, community: Uint8Array): Promise<Uint8Array> {
  return seal(key, change.bytes, community);
}

/** The change inside sealed bytes, or null when they do not open with this key or are not a change. */
export async function openChange(key: CryptoKey, sealed: Uint8Array, community: Uint8Array): Promise<SignedChange | null> {
  const bytes = await open(key, sealed, community);
  return bytes ? decodeChange(bytes) : null;
}
