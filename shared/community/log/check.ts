// Verifying the membership and moderation logs: parse every entry, then check every signature against
// the keys its member's own entries bind. Order-independent and async (WebCrypto); what each verified
// entry may do is replay.ts's question.
import type { z } from 'zod';
import { isAgreementKey } from '../../crypto.js';
import { ENTRY_KEY_MISMATCH } from '../../doc/records.js';
import { communityIdFor, isKeyOf, memberIdFromPublicKey, verify } from '../../identity/identity.js';
import {
  MAX_DEVICES_PER_MEMBER,
  MEMBERSHIP_LOG_KEY,
  MODERATION_LOG_KEY,
  compareEntries,
  isModeration,
  membershipEntrySchema,
  moderationEntrySchema,
  unsigned,
  type LogEntry,
  type MembershipEntry,
} from './entries.js';
export interface RejectedEntry {
  readonly where: string;
  readonly entryId: string | null;
  readonly reason: string;
}

export interface CheckedLog {
  readonly communityId: string;
  /** Entries whose shape and signature are good; their rights are checked by replay. */
  readonly entries: readonly LogEntry[];
  /** Signing keys of each member: from their self-signed create or join entry, then linked devices. */
  readonly keys: ReadonlyMap<string, readonly string[]>;
  /** Unlinked device keys → when (their member's `revoke`): nothing they sign from then on counts. */
  readonly revoked: ReadonlyMap<string, number>;
  /** Device signing key → its device id (shared/sync/epochs.ts deviceIdOf), for checking rotations. */
  readonly deviceIds: ReadonlyMap<string, string>;
  /** Agreement keys that are real P-256 points (a rotation can wrap for them). */
  readonly usableAgreementKeys: ReadonlySet<string>;
  readonly rejected: readonly RejectedEntry[];
}

// Yjs hands back the same object for a stored plain value, so a signature is checked once per entry,
// not on every keystroke elsewhere in the document. The outcome depends only on the entry's bytes and
// the key tried, so it can be cached per pair.
const signatureChecks = new WeakMap<object, Map<string, Promise<boolean>>>();

function cachedVerify(raw: unknown, publicKey: string, entry: LogEntry): Promise<boolean> {
  if (typeof raw !== 'object' || raw === null) return verify(publicKey, unsigned(entry), entry.signature);
  let byKey = signatureChecks.get(raw);
  if (!byKey) signatureChecks.set(raw, (byKey = new Map()));
  let check = byKey.get(publicKey);
  if (!check) {
    check = verify(publicKey, unsigned(entry), entry.signature);
    byKey.set(publicKey, check);
  }
  return check;
}

/** The key (of `keys`) whose signature the entry carries, or null. */
async function verifiedByAny(raw: unknown, keys: readonly string[], entry: LogEntry): Promise<string | null> {
  for (const key of keys) if (await cachedVerify(raw, key, entry)) return key;
  return null;
}

const usableKeyChecks = new Map<string, Promise<boolean>>();
function isUsableAgreementKey(key: string): Promise<boolean> {
  let check = usableKeyChecks.get(key);
  if (!check) {
    check = isAgreementKey(key);
    if (usableKeyChecks.size > 5_000) usableKeyChecks.clear();
    usableKeyChecks.set(key, check);
  }
  return check;
}

/** What a peer may have put in the two logs, validated and signature-checked. */
export async function checkLog(
  communityId: string,
  membership: Iterable<[string, unknown]>,
  moderation: Iterable<[string, unknown]>,
): Promise<CheckedLog> {
  const rejected: RejectedEntry[] = [];
  const parsed: LogEntry[] = [];
  const rawOf = new Map<LogEntry, unknown>();
  const parse = (where: string, schema: z.ZodType<LogEntry>, key: string, value: unknown) => {
    const result = schema.safeParse(value);
    if (!result.success)
      rejected.push({
        where: `${where}.${key}`,
        entryId: null,
        reason: `malformed: ${result.error.issues[0]?.message ?? 'unknown shape'}`,
      });
    else if (result.data.id !== key) rejected.push({ where: `${where}.${key}`, entryId: result.data.id, reason: ENTRY_KEY_MISMATCH });
    else if (result.data.community !== communityId)
      rejected.push({ where: `${where}.${key}`, entryId: key, reason: 'signed for another community' });
    else {
      parsed.push(result.data);
      rawOf.set(result.data, value);
    }
  };
  for (const [key, value] of membership) parse(MEMBERSHIP_LOG_KEY, membershipEntrySchema, key, value);
  for (const [key, value] of moderation) parse(MODERATION_LOG_KEY, moderationEntrySchema, key, value);

  // Self-certifying entries first: the id is the hash of the key, so the key in the entry is the key.
  const keys = new Map<string, string[]>();
  const good = new Set<LogEntry>();
  const signedWith = new Map<LogEntry, string>();
  const selfSigned = parsed.filter((entry): entry is MembershipEntry => entry.kind === 'create' || entry.kind === 'join');
  await Promise.all(
    selfSigned.map(async (entry) => {
      const where = `${MEMBERSHIP_LOG_KEY}.${entry.id}`;
      if (entry.by !== entry.subject || !entry.publicKey)
        return rejected.push({ where, entryId: entry.id, reason: `a ${entry.kind} must be signed by its subject, with their key` });
      if (!(await isKeyOf(entry.by, entry.publicKey)))
        return rejected.push({ where, entryId: entry.id, reason: 'the public key is not the signer’s' });
      if (!(await cachedVerify(rawOf.get(entry), entry.publicKey, entry)))
        return rejected.push({ where, entryId: entry.id, reason: 'bad signature' });
      if (entry.kind === 'create' && (!entry.nonce || (await communityIdFor(entry.publicKey, entry.nonce)) !== communityId)) {
        return rejected.push({ where, entryId: entry.id, reason: 'this key did not found this community' });
      }
      if (!keys.has(entry.by)) keys.set(entry.by, [entry.publicKey]);
      signedWith.set(entry, entry.publicKey);
      good.add(entry);
    }),
  );
  // Linked devices: a device entry signed by a key the member already has adds its key. A device
  // linked from a linked device needs the earlier link first, hence rounds until nothing changes.
  let devices = parsed.filter((entry): entry is MembershipEntry => entry.kind === 'device');
  const deviceFailures = new Map<MembershipEntry, string>();
  for (let progress = true; progress && devices.length > 0;) {
    progress = false;
    const waiting: MembershipEntry[] = [];
    for (const entry of devices) {
      const known = keys.get(entry.by);
      const signer = known && entry.by === entry.subject && entry.publicKey ? await verifiedByAny(rawOf.get(entry), known, entry) : null;
      if (entry.by !== entry.subject || !entry.publicKey)
        deviceFailures.set(entry, 'a device is linked by its own member, with the device’s key');
      else if (!known || !signer) waiting.push(entry);
      else {
        deviceFailures.delete(entry);
        signedWith.set(entry, signer);
        good.add(entry);
        if (!known.includes(entry.publicKey)) {
          if (known.length >= MAX_DEVICES_PER_MEMBER) deviceFailures.set(entry, `a member links at most ${MAX_DEVICES_PER_MEMBER} devices`);
          else {
            known.push(entry.publicKey);
            progress = true;
          }
        }
      }
    }
    devices = waiting;
  }
  for (const entry of devices) deviceFailures.set(entry, keys.has(entry.by) ? 'bad signature' : 'signed by someone who never joined');
  for (const [entry, reason] of deviceFailures) {
    good.delete(entry);
    rejected.push({ where: `${MEMBERSHIP_LOG_KEY}.${entry.id}`, entryId: entry.id, reason });
  }
  await Promise.all(
    parsed
      .filter((entry) => entry.kind !== 'create' && entry.kind !== 'join' && entry.kind !== 'device')
      .map(async (entry) => {
        const where = `${isModeration(entry) ? MODERATION_LOG_KEY : MEMBERSHIP_LOG_KEY}.${entry.id}`;
        const known = keys.get(entry.by);
        if (!known) return rejected.push({ where, entryId: entry.id, reason: 'signed by someone who never joined' });
        if ('publicKey' in entry && entry.publicKey !== undefined && entry.kind !== 'revoke')
          return rejected.push({ where, entryId: entry.id, reason: 'only create, join, device and revoke carry a key' });
        if (entry.kind === 'revoke' && (entry.by !== entry.subject || !('publicKey' in entry) || !entry.publicKey))
          return rejected.push({ where, entryId: entry.id, reason: 'a device is unlinked by its own member, naming its key' });
        const signer = await verifiedByAny(rawOf.get(entry), known, entry);
        if (!signer) return rejected.push({ where, entryId: entry.id, reason: 'bad signature' });
        signedWith.set(entry, signer);
        good.add(entry);
      }),
  );

  // Unlinked devices: from its `revoke` on, nothing a key signs counts (what it signed before stays).
  // Revokes apply in (at, id) order, so a key unlinked earlier cannot unlink another one later.
  const revoked = new Map<string, number>();
  const unlinkedAt = (key: string, at: number) => (revoked.get(key) ?? Number.POSITIVE_INFINITY) <= at;
  for (const entry of parsed.filter((item): item is MembershipEntry => item.kind === 'revoke' && good.has(item)).sort(compareEntries)) {
    if (unlinkedAt(signedWith.get(entry)!, entry.at)) {
      good.delete(entry);
      rejected.push({
        where: `${MEMBERSHIP_LOG_KEY}.${entry.id}`,
        entryId: entry.id,
        reason: 'signed with a device key that was unlinked before',
      });
    } else if (entry.publicKey && !revoked.has(entry.publicKey)) revoked.set(entry.publicKey, entry.at);
  }
  for (const entry of parsed) {
    if (!good.has(entry) || entry.kind === 'revoke' || !unlinkedAt(signedWith.get(entry)!, entry.at)) continue;
    good.delete(entry);
    rejected.push({
      where: `${isModeration(entry) ? MODERATION_LOG_KEY : MEMBERSHIP_LOG_KEY}.${entry.id}`,
      entryId: entry.id,
      reason: 'signed with a device key that was unlinked before',
    });
  }

  const deviceIds = new Map<string, string>();
  const usableAgreementKeys = new Set<string>();
  await Promise.all(
    parsed
      .filter(
        (entry): entry is MembershipEntry =>
          good.has(entry) && (entry.kind === 'create' || entry.kind === 'join' || entry.kind === 'device'),
      )
      .map(async (entry) => {
        if (entry.publicKey && !deviceIds.has(entry.publicKey))
          deviceIds.set(entry.publicKey, await memberIdFromPublicKey(entry.publicKey));
        if (entry.agreementKey && (await isUsableAgreementKey(entry.agreementKey))) usableAgreementKeys.add(entry.agreementKey);
      }),
  );
  return { communityId, entries: parsed.filter((entry) => good.has(entry)), keys, revoked, deviceIds, usableAgreementKeys, rejected };
}
