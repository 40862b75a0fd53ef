// Invite codes and hearth:// links: what a member shares so a friend can join a community. The code
// carries the community id, its secret, its name (to show before the first sync) and signaling hints.
// Format (README.md in this folder): "HEARTH1-" + base64url(payload), payload =
//   version u8 (=1) | id length u8 | id (ASCII) | secret (32 bytes) | name length u8 | name (UTF-8)
//   | hint count u8 | (hint length u16 BE | hint UTF-8)* | checksum: first 4 bytes of SHA-256(all before)
// Version 2 (a community whose key was rotated, shared/sync/epochs.ts) adds `epoch u32 BE` right
// after the secret; an epoch-0 invite is still written as version 1.
import { ID_PATTERN } from '../ids.js';
import { LIMITS } from '../community/schema.js';
import { sha256 } from '../crypto.js';
import { bytesEqual, concatBytes, fromBase64Url, toBase64Url } from './bytes.js';
import { COMMUNITY_SECRET_BYTES, MAX_EPOCH } from './keys.js';

export const INVITE_PREFIX = 'HEARTH1-';
export const INVITE_LINK_PREFIX = 'hearth://join/';
const INVITE_VERSION = 1;
const INVITE_VERSION_EPOCH = 2;
const CHECKSUM_BYTES = 4;
export const MAX_SIGNALING_HINTS = 8;
const MAX_HINT_BYTES = 512;
const MAX_INVITE_CHARS = 8_192;
/**
 * Characters a community name in an invite may not hold: C0/C1 controls (a newline or escape would
 * reach the join screen and the sidebar) and the bidi overrides and isolates that can make a name
 * read as another one.
 */
const UNSAFE_NAME_CHARS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export interface Invite {
  readonly communityId: string;
  readonly secret: Uint8Array;
  /** The key epoch the secret belongs to (0 until the community's key is first rotated). */
  readonly epoch?: number;
  readonly communityName: string;
  /** ws:// or wss:// signaling servers where members of this community can be met. */
  readonly signalingHints: readonly string[];
}

export type InviteParse = { readonly ok: true; readonly invite: Invite } | { readonly ok: false; readonly error: string };

export function isSignalingUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export async function encodeInvite(invite: Invite): Promise<string> {
  if (!ID_PATTERN.test(invite.communityId)) throw new Error('The community id is not valid.');
  if (invite.secret.byteLength !== COMMUNITY_SECRET_BYTES) throw new Error('The community secret has the wrong length.');
  const encoder = new TextEncoder();
  const id = encoder.encode(invite.communityId);
  // A name a peer wrote with control characters in it is cleaned here, so our own invites always parse.
  const name = truncateUtf8(
    invite.communityName.replace(new RegExp(UNSAFE_NAME_CHARS.source, 'gu'), '').trim(),
    Math.min(255, LIMITS.communityNameChars * 3),
  );
  const hints = invite.signalingHints
    .filter(isSignalingUrl)
    .slice(0, MAX_SIGNALING_HINTS)
    .map((hint) => encoder.encode(hint))
    .filter((hint) => hint.byteLength <= MAX_HINT_BYTES);
  const epoch = invite.epoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new Error('The key epoch is not valid.');
  const epochBytes = epoch === 0 ? [] : [Uint8Array.of(epoch >>> 24, (epoch >>> 16) & 0xff, (epoch >>> 8) & 0xff, epoch & 0xff)];
  const parts: Uint8Array[] = [
    Uint8Array.of(epoch === 0 ? INVITE_VERSION : INVITE_VERSION_EPOCH, id.byteLength),
    id,
    invite.secret,
    ...epochBytes,
    Uint8Array.of(name.byteLength),
    name,
    Uint8Array.of(hints.length),
  ];
  for (const hint of hints) parts.push(Uint8Array.of(hint.byteLength >> 8, hint.byteLength & 0xff), hint);
  const body = concatBytes(...parts);
  return INVITE_PREFIX + toBase64Url(concatBytes(body, await checksum(body)));
}

export function inviteLink(code: string): string {
  return INVITE_LINK_PREFIX + code;
}

/** Accepts a code or a hearth://join/ link, with surrounding spaces or line breaks from e-mail. */
export async function parseInvite(input: unknown): Promise<InviteParse> {
  const fail = (error: string): InviteParse => ({ ok: false, error });
  if (typeof input !== 'string') return fail('Paste an invite code or link.');
  if (input.length > MAX_INVITE_CHARS) return fail('That is far too long to be an invite code.');
  let text = input.replace(/\s+/g, '');
  if (text.length === 0) return fail('Paste an invite code or link.');
  if (text.toLowerCase().startsWith(INVITE_LINK_PREFIX)) text = text.slice(INVITE_LINK_PREFIX.length);
  if (!text.startsWith(INVITE_PREFIX))
    return fail('That is not a Hearth invite: codes start with “HEARTH1-” and links with “hearth://join/”.');
  const bytes = fromBase64Url(text.slice(INVITE_PREFIX.length));
  if (!bytes || bytes.byteLength < 2 + CHECKSUM_BYTES)
    return fail('This invite code is damaged or incomplete. Ask for it again and copy all of it.');
  const body = bytes.subarray(0, bytes.byteLength - CHECKSUM_BYTES);
  if (!bytesEqual(await checksum(body), bytes.subarray(bytes.byteLength - CHECKSUM_BYTES))) {
    return fail('This invite code is damaged or incomplete (its checksum does not match). Ask for it again and copy all of it.');
  }
  if (body[0] !== INVITE_VERSION && body[0] !== INVITE_VERSION_EPOCH)
    return fail('This invite was made by a newer version of Hearth. Update Hearth to join.');
  const reader = new ByteReader(body, 1);
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const communityId = decoder.decode(reader.take(reader.u8()));
    const secret = reader.take(COMMUNITY_SECRET_BYTES).slice();
    const epoch =
      body[0] === INVITE_VERSION_EPOCH ? ((reader.u8() << 24) >>> 0) + (reader.u8() << 16) + (reader.u8() << 8) + reader.u8() : 0;
    // Version 2 exists only for rotated keys, and no log holds more than MAX_EPOCH rotations.
    if (body[0] === INVITE_VERSION_EPOCH && (epoch < 1 || epoch > MAX_EPOCH))
      return fail('This invite names a key epoch no community can have. Ask for a new one.');
    const communityName = decoder.decode(reader.take(reader.u8()));
    if (UNSAFE_NAME_CHARS.test(communityName))
      return fail('This invite’s community name holds control characters, so it was refused. Ask for a new one.');
    const hintCount = reader.u8();
    if (hintCount > MAX_SIGNALING_HINTS) throw new Error('too many hints');
    const signalingHints: string[] = [];
    for (let index = 0; index < hintCount; index += 1) {
      const length = (reader.u8() << 8) | reader.u8();
      if (length > MAX_HINT_BYTES) throw new Error('hint too long');
      const hint = decoder.decode(reader.take(length));
      if (!isSignalingUrl(hint)) throw new Error('bad hint');
      signalingHints.push(hint);
    }
    if (!reader.done()) throw new Error('trailing bytes');
    if (!ID_PATTERN.test(communityId)) throw new Error('bad id');
    return { ok: true, invite: { communityId, secret, ...(epoch === 0 ? {} : { epoch }), communityName, signalingHints } };
  } catch {
    return fail('This invite code is not valid. Ask for a new one.');
  }
}

async function checksum(body: Uint8Array): Promise<Uint8Array> {
  return (await sha256(body)).subarray(0, CHECKSUM_BYTES);
}

function truncateUtf8(text: string, maxBytes: number): Uint8Array {
  const encoder = new TextEncoder();
  let result = encoder.encode(text);
  let chars = [...text];
  while (result.byteLength > maxBytes) {
    chars = chars.slice(0, -1);
    result = encoder.encode(chars.join(''));
  }
  return result;
}

class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    private offset: number,
  ) {}
  u8(): number {
    if (this.offset >= this.bytes.byteLength) throw new Error('truncated');
    return this.bytes[this.offset++]!;
  }
  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.byteLength) throw new Error('truncated');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  done(): boolean {
    return this.offset === this.bytes.byteLength;
  }
}
