// Linking a second device to an identity, so a member is not trapped on one machine. The private key
// never leaves the first device: the new device makes its own keys and the first device vouches for
// them with a signed `device` entry in each community's membership log (entries signed by the new key
// then count as the member's). Then it hands over what the new device needs to join in: the member's
// id and profile, and each community's current secret and epoch.
//
// The one-time code, shown on the first device and typed on the second:
//   16 random bytes + the first 2 bytes of their SHA-256, in Crockford base32, in groups of four:
//   "LINK-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXXX". The checksum catches a typo before any network.
// Both devices meet in a sync room derived from the code (HKDF; the code is the room's secret), where
// every message is sealed with a key only holders of the code have (shared/sync/secure-channel.ts).
// They exchange two records in a throwaway Y.Doc: the new device's `request` and the first device's
// `grant`. A code works once and for a few minutes.
import * as Y from 'yjs';
import { z } from 'zod';
import { ID_PATTERN } from '../ids.js';
import { hkdf, randomBytes, sha256 } from '../crypto.js';
import { isSignalingUrl } from '../sync/invite.js';
import { COMMUNITY_SECRET_BYTES, MAX_EPOCH } from '../sync/keys.js';
import { base32 } from './identity.js';

export const LINK_PREFIX = 'LINK-';
const RANDOM_BYTES = 16;
const CHECK_BYTES = 2;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const LINK_TTL_MS = 10 * 60_000;
/** Communities one grant carries: far above a member's, bounded against a hostile peer. */
export const MAX_LINKED_COMMUNITIES = 200;

export interface LinkCode {
  /** As shown: upper case, in groups. */
  readonly text: string;
  readonly bytes: Uint8Array;
}

async function check(bytes: Uint8Array): Promise<Uint8Array> {
  return (await sha256(bytes)).subarray(0, CHECK_BYTES);
}

function group(text: string): string {
  return text
    .match(/.{1,4}/g)!
    .join('-')
    .toUpperCase();
}

export async function newLinkCode(): Promise<LinkCode> {
  const bytes = randomBytes(RANDOM_BYTES);
  const all = new Uint8Array(RANDOM_BYTES + CHECK_BYTES);
  all.set(bytes);
  all.set(await check(bytes), RANDOM_BYTES);
  return { text: LINK_PREFIX + group(base32(all)), bytes };
}

export type LinkCodeParse = { readonly ok: true; readonly code: LinkCode } | { readonly ok: false; readonly error: string };

/** Accepts the code as shown, in any case, with or without the prefix, dashes or spaces; Crockford's look-alikes (O→0, I/L→1). */
export async function parseLinkCode(input: unknown): Promise<LinkCodeParse> {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, error: 'Type the code shown on your other device.' };
  if (input.length > 100) return { ok: false, error: 'That is too long to be a device code.' };
  let text = input.toLowerCase().replace(/[\s-]+/g, '');
  if (text.startsWith('link')) text = text.slice(4);
  text = text.replace(/o/g, '0').replace(/[il]/g, '1');
  if (!/^[0-9a-hjkmnp-tv-z]+$/.test(text))
    return { ok: false, error: 'Device codes use only the letters and digits shown; check for a mistyped character.' };
  const expected = Math.ceil(((RANDOM_BYTES + CHECK_BYTES) * 8) / 5);
  if (text.length !== expected)
    return { ok: false, error: `A device code has ${expected} letters and digits after “LINK”; this one has ${text.length}.` };
  const all = fromBase32(text, RANDOM_BYTES + CHECK_BYTES);
  if (!all) return { ok: false, error: 'That code has a typo somewhere: check it against your other device.' };
  const bytes = all.slice(0, RANDOM_BYTES);
  const sum = await check(bytes);
  if (sum[0] !== all[RANDOM_BYTES] || sum[1] !== all[RANDOM_BYTES + 1])
    return { ok: false, error: 'That code has a typo somewhere: check it against your other device.' };
  return { ok: true, code: { text: LINK_PREFIX + group(text), bytes } };
}

/** Null when the spare bits after the last byte are not zero (a typo in the last character). */
function fromBase32(text: string, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    buffer = (buffer << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      if (index < length) out[index++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return buffer === 0 ? out : null;
}

/** The sync room the two devices meet in: a 32-byte secret and a room id, both derived from the code. */
export async function linkRoom(code: LinkCode): Promise<{ readonly secret: Uint8Array; readonly roomId: string }> {
  // The info strings are bare purposes, not label()s: changing them would move every link room.
  const keys = await hkdf(code.bytes, 'hearth device link v1');
  return { secret: await keys.bits('secret', COMMUNITY_SECRET_BYTES), roomId: base32(await keys.bits('room', 10)) };
}

// ---------------------------------------------------------------------------------------------------
// The two records, validated on receipt (the other side is only as trusted as the code).

const base64url = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

export const linkRequestSchema = z.strictObject({
  publicKey: base64url,
  agreementKey: base64url,
  deviceName: z.string().trim().min(1).max(60),
  at: z.number().int().nonnegative(),
});
export type LinkRequest = z.infer<typeof linkRequestSchema>;

export const linkedCommunitySchema = z.strictObject({
  id: z.string().regex(ID_PATTERN),
  name: z.string().max(200),
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  epoch: z.number().int().nonnegative().max(MAX_EPOCH),
  signalingHints: z.array(z.string().max(512).refine(isSignalingUrl, 'not a signaling URL')).max(8),
});
export type LinkedCommunity = z.infer<typeof linkedCommunitySchema>;

export const linkGrantSchema = z.strictObject({
  memberId: z.string().regex(ID_PATTERN),
  /** The signing key the new device may sign with, echoed back: a grant for another request is refused. */
  forKey: base64url,
  /** The member's profile as the first device has it (validated again by the receiver's profile schema). */
  profile: z.record(z.string(), z.unknown()),
  communities: z.array(linkedCommunitySchema).max(MAX_LINKED_COMMUNITIES),
  at: z.number().int().nonnegative(),
});
export type LinkGrant = z.infer<typeof linkGrantSchema>;

const LINK_MAP = 'link';

export function linkMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(LINK_MAP);
}

export function writeRequest(doc: Y.Doc, request: LinkRequest): void {
  linkMap(doc).set('request', request);
}

export function writeGrant(doc: Y.Doc, grant: LinkGrant): void {
  linkMap(doc).set('grant', grant);
}

export function readRequest(doc: Y.Doc): LinkRequest | null {
  const parsed = linkRequestSchema.safeParse(linkMap(doc).get('request'));
  return parsed.success ? parsed.data : null;
}

export function readGrant(doc: Y.Doc, forKey: string): { readonly grant: LinkGrant | null; readonly problem: string | null } {
  const raw = linkMap(doc).get('grant');
  if (raw === undefined) return { grant: null, problem: null };
  const parsed = linkGrantSchema.safeParse(raw);
  if (!parsed.success)
    return { grant: null, problem: 'The other device sent something this Hearth cannot read; update both and try again.' };
  if (parsed.data.forKey !== forKey)
    return { grant: null, problem: 'The other device answered a different request; start again with a new code.' };
  return { grant: parsed.data, problem: null };
}

/** Resolves when `read` returns a value after a change of the link map, or rejects after `timeoutMs`. */
export function waitForLink<T>(doc: Y.Doc, read: () => T | null, timeoutMs: number, timeoutMessage: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const map = linkMap(doc);
    const done = (outcome: () => void) => {
      clearTimeout(timer);
      map.unobserve(onChange);
      outcome();
    };
    const onChange = () => {
      try {
        const value = read();
        if (value !== null) done(() => resolve(value));
      } catch (error) {
        done(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    };
    const timer = setTimeout(() => done(() => reject(new Error(timeoutMessage))), timeoutMs);
    map.observe(onChange);
    onChange();
  });
}

// ---------------------------------------------------------------------------------------------------
// The two sides of a link. `start` runs a sync of the throwaway document in the code's room (the
// caller's network: signaling, ICE); both sides stop it when they are done, whatever the outcome.

export interface LinkSync {
  destroy(): void;
}
export type LinkStarter = (doc: Y.Doc, room: { readonly secret: Uint8Array; readonly roomId: string }) => Promise<LinkSync>;

/** How long the new device waits for the first one to answer (it is already waiting, showing the code). */
export const ACCEPT_TIMEOUT_MS = 60_000;
const DONE_TIMEOUT_MS = 15_000;

/**
 * The first device: waits for a request with this code, lets `authorize` vouch for the new keys (it
 * writes the signed `device` entries, and may ask the member first), then sends the grant and waits
 * for the new device to say it has it.
 */
export async function offerLink(options: {
  readonly code: LinkCode;
  readonly start: LinkStarter;
  readonly authorize: (request: LinkRequest) => Promise<Omit<LinkGrant, 'forKey' | 'at'>>;
  readonly timeoutMs?: number;
  readonly signal?: { readonly aborted: boolean };
}): Promise<LinkRequest> {
  const doc = new Y.Doc();
  const sync = await options.start(doc, await linkRoom(options.code));
  try {
    const request = await waitForLink(
      doc,
      () => readRequest(doc),
      options.timeoutMs ?? LINK_TTL_MS,
      'No device used this code in time. Make a new one when the other device is ready.',
    );
    if (options.signal?.aborted) throw new Error('Linking was cancelled.');
    const grant = await options.authorize(request);
    writeGrant(doc, { ...grant, forKey: request.publicKey, at: Date.now() });
    await waitForLink(
      doc,
      () => (linkMap(doc).get('done') === request.publicKey ? true : null),
      DONE_TIMEOUT_MS,
      'The other device stopped answering before it had everything; try again with a new code.',
    );
    return request;
  } finally {
    sync.destroy();
    doc.destroy();
  }
}

/** The new device: sends its public keys and waits for the grant. */
export async function acceptLink(options: {
  readonly code: LinkCode;
  readonly start: LinkStarter;
  readonly request: Omit<LinkRequest, 'at'>;
  readonly timeoutMs?: number;
}): Promise<LinkGrant> {
  const doc = new Y.Doc();
  const sync = await options.start(doc, await linkRoom(options.code));
  try {
    writeRequest(doc, { ...options.request, at: Date.now() });
    const grant = await waitForLink(
      doc,
      () => {
        const { grant, problem } = readGrant(doc, options.request.publicKey);
        if (problem) throw new Error(problem);
        return grant;
      },
      options.timeoutMs ?? ACCEPT_TIMEOUT_MS,
      'No device answered this code. Check that your other device shows it now and that both are online on the same network.',
    );
    linkMap(doc).set('done', options.request.publicKey);
    // Give the acknowledgement a moment to leave (bounded): the first device waits for it.
    await new Promise<void>((resolve) => setTimeout(resolve, 1_500));
    return grant;
  } finally {
    sync.destroy();
    doc.destroy();
  }
}
