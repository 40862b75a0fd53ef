// Derives everything a community's sync needs from its secret, with HKDF-SHA-256 (Web Crypto), so the
// secret itself never leaves the device: the y-webrtc room name, y-webrtc's signaling password, and
// the AES-GCM key that seals every message on the data channel. Spec and test vectors: README.md.
import { hkdf, label, randomBytes } from '../crypto.js';
import { toBase64Url, toHex } from './bytes.js';

export const COMMUNITY_SECRET_BYTES = 32;
/**
 * The highest key epoch a membership log accepts (one rotation per removal or unlink; a small group
 * never comes near it). Invites and device links refuse anything past it: no log could reach it.
 */
export const MAX_EPOCH = 1_000_000;
const SALT = 'hearth community v1';

export interface CommunityKeys {
  /** y-webrtc room name: `hearth-` + 32 hex chars. Public: signaling servers see it. */
  readonly roomName: string;
  /** y-webrtc's `password` option: encrypts signaling (SDP, ICE) between members. */
  readonly signalingPassword: string;
  /** AES-GCM-256 key sealing every sync and awareness message on the data channel. */
  readonly messageKey: CryptoKey;
}

export function newCommunitySecret(): Uint8Array {
  return randomBytes(COMMUNITY_SECRET_BYTES);
}

/** `epoch` numbers key generations: removing a member (a later issue) moves a community to a new one. */
export async function deriveCommunityKeys(secret: Uint8Array, communityId: string, epoch = 0): Promise<CommunityKeys> {
  if (secret.byteLength !== COMMUNITY_SECRET_BYTES) throw new Error(`A community secret is ${COMMUNITY_SECRET_BYTES} bytes.`);
  const keys = await hkdf(secret, SALT);
  const roomName = `hearth-${toHex(await keys.bits(label('room', communityId, epoch), 16))}`;
  const signalingPassword = toBase64Url(await keys.bits(label('signaling', communityId, epoch), 32));
  const messageKey = await keys.aesKey(label('messages', communityId, epoch));
  return { roomName, signalingPassword, messageKey };
}

/** The raw bytes of the message key, for test vectors only (the real key is not extractable). */
export async function deriveMessageKeyBytesForTest(secret: Uint8Array, communityId: string, epoch = 0): Promise<string> {
  return toHex(await (await hkdf(secret, SALT)).bits(label('messages', communityId, epoch), 32));
}
