// The signed membership and moderation logs: who is in a community with which role, and which
// moderation actions (hide a post, lock or pin a thread) stand. Every entry is signed by the member
// who made it; every peer verifies every entry and replays the logs in one deterministic order, so a
// member who writes an entry their role does not allow changes nothing in anyone's app.
//
// Layout (top-level types of the community Y.Doc, added in schema version 1 without a bump: readers
// that do not know them ignore them):
//   membershipLog  Y.Map<unknown>  entryId → SignedEntry (plain object, written once, never edited)
//   moderationLog  Y.Map<unknown>  entryId → SignedEntry
// A Y.Map keyed by entry id makes a replayed entry idempotent: the same id holds the same signed bytes.
//
// Replay order: all valid entries of both logs, sorted by (at, id). `at` is the signer's clock, so the
// order is the same on every peer whatever order updates arrived in (convergence), but it is only as
// honest as the signer: see README "Security: what Hearth protects, and what it does not".
import * as Y from 'yjs';
import { z } from 'zod';
import { ID_PATTERN, newId } from '../ids.js';
import { communityIdFor, isKeyOf, memberIdFromPublicKey, sign, verify, type Canonical, type Identity } from '../identity/identity.js';
import { isAgreementKey } from '../sync/epochs.js';
import { MAX_EPOCH } from '../sync/keys.js';
import { CommandError, LOCAL_ORIGIN, membersMap } from './commands.js';
import { memberRecordSchema } from './schema.js';

export const MEMBERSHIP_LOG_KEY = 'membershipLog';
export const MODERATION_LOG_KEY = 'moderationLog';
export const ENTRY_VERSION = 1;

export const ROLES = ['owner', 'facilitator', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS = { owner: 'Owner', facilitator: 'Facilitator', member: 'Member' } as const satisfies Record<Role, string>;

export const MEMBERSHIP_KINDS = ['create', 'join', 'role', 'remove', 'leave', 'admit', 'policy', 'conduct', 'device', 'rotate', 'revoke'] as const;
export const JOIN_POLICIES = ['open', 'knock'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
/** Devices one member may link; bounds the keys tried per signature. */
export const MAX_DEVICES_PER_MEMBER = 8;
export const MODERATION_KINDS = ['hide', 'unhide', 'lock', 'unlock', 'pin', 'unpin'] as const;
export type MembershipKind = (typeof MEMBERSHIP_KINDS)[number];
export type ModerationKind = (typeof MODERATION_KINDS)[number];

const id = z.string().regex(ID_PATTERN);
const base64url = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
/** A sealed key (AES-GCM ciphertext of a 32-byte secret with its nonce): short, bounded. */
const sealed = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
/** Bounds a rotation's wraps: every device of a community of ~30 members, with room to spare. */
export const MAX_WRAPS = 256;
const timestamp = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const entryFields = {
  v: z.literal(ENTRY_VERSION),
  id,
  /** Binds the entry to one community, so a signed entry cannot be replayed into another. */
  community: id,
  subject: id,
  by: id,
  at: timestamp,
  signature: base64url,
};

export const membershipEntrySchema = z.strictObject({
  ...entryFields,
  kind: z.enum(MEMBERSHIP_KINDS),
  role: z.enum(ROLES).optional(),
  /** The signer's raw public key; on create and join only (later entries use the key from these). */
  publicKey: base64url.optional(),
  /** On create only: with the founder's key it derives the community id (identity.communityIdFor). */
  nonce: z.string().regex(/^[0-9a-z]{16}$/).optional(),
  /**
   * On create, join and device: the device's ECDH P-256 public key (raw, base64url), which a key
   * rotation wraps the next epoch's secret for (shared/sync/epochs.ts).
   */
  agreementKey: base64url.optional(),
  /** On device: what the member calls it ("Chromium on Linux"), so they can tell their devices apart. */
  deviceName: z.string().trim().min(1).max(60).optional(),
  /** On policy: how newcomers get in. */
  policy: z.enum(JOIN_POLICIES).optional(),
  /** On conduct: SHA-256 (base64url) of the code of conduct text the member accepted. */
  conductHash: base64url.optional(),
  /** On rotate: the new epoch's number, one more than the current one. */
  epoch: z.number().int().positive().max(MAX_EPOCH).optional(),
  /** On rotate: the ephemeral ECDH public key the wraps were made with. */
  ephemeralKey: base64url.optional(),
  /** On rotate: device id (shared/sync/epochs.ts deviceIdOf) → the new secret sealed for that device. */
  wraps: z.record(z.string().regex(ID_PATTERN), sealed).refine((wraps) => Object.keys(wraps).length <= MAX_WRAPS, 'too many wraps').optional(),
  /** On rotate: the previous epoch's secret sealed under the new one, so history keys chain. */
  chain: sealed.optional(),
});
export type MembershipEntry = z.infer<typeof membershipEntrySchema>;

export const moderationEntrySchema = z.strictObject({
  ...entryFields,
  kind: z.enum(MODERATION_KINDS),
  /** For hide/unhide: the post's thread, so the audit log can link to it. */
  threadId: id.optional(),
});
export type ModerationEntry = z.infer<typeof moderationEntrySchema>;

export type LogEntry = MembershipEntry | ModerationEntry;

function isModeration(entry: LogEntry): entry is ModerationEntry {
  return (MODERATION_KINDS as readonly string[]).includes(entry.kind);
}

function unsigned(entry: LogEntry): Canonical {
  const { signature: _signature, ...rest } = entry;
  return rest as Canonical;
}

export function membershipLog(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEMBERSHIP_LOG_KEY);
}

export function moderationLog(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MODERATION_LOG_KEY);
}

// ---------------------------------------------------------------------------------------------------
// Verification: parse, then check every signature. Order-independent and async (WebCrypto).

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
export async function checkLog(communityId: string, membership: Iterable<[string, unknown]>, moderation: Iterable<[string, unknown]>): Promise<CheckedLog> {
  const rejected: RejectedEntry[] = [];
  const parsed: LogEntry[] = [];
  const rawOf = new Map<LogEntry, unknown>();
  const parse = (where: string, schema: z.ZodType<LogEntry>, key: string, value: unknown) => {
    const result = schema.safeParse(value);
    if (!result.success) rejected.push({ where: `${where}.${key}`, entryId: null, reason: `malformed: ${result.error.issues[0]?.message ?? 'unknown shape'}` });
    else if (result.data.id !== key) rejected.push({ where: `${where}.${key}`, entryId: result.data.id, reason: 'the entry’s id does not match its key' });
    else if (result.data.community !== communityId) rejected.push({ where: `${where}.${key}`, entryId: key, reason: 'signed for another community' });
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
      if (entry.by !== entry.subject || !entry.publicKey) return rejected.push({ where, entryId: entry.id, reason: `a ${entry.kind} must be signed by its subject, with their key` });
      if (!(await isKeyOf(entry.by, entry.publicKey))) return rejected.push({ where, entryId: entry.id, reason: 'the public key is not the signer’s' });
      if (!(await cachedVerify(rawOf.get(entry), entry.publicKey, entry))) return rejected.push({ where, entryId: entry.id, reason: 'bad signature' });
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
  for (let progress = true; progress && devices.length > 0; ) {
    progress = false;
    const waiting: MembershipEntry[] = [];
    for (const entry of devices) {
      const known = keys.get(entry.by);
      const signer = known && entry.by === entry.subject && entry.publicKey ? await verifiedByAny(rawOf.get(entry), known, entry) : null;
      if (entry.by !== entry.subject || !entry.publicKey) deviceFailures.set(entry, 'a device is linked by its own member, with the device’s key');
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
        if ('publicKey' in entry && entry.publicKey !== undefined && entry.kind !== 'revoke') return rejected.push({ where, entryId: entry.id, reason: 'only create, join, device and revoke carry a key' });
        if (entry.kind === 'revoke' && (entry.by !== entry.subject || !('publicKey' in entry) || !entry.publicKey)) return rejected.push({ where, entryId: entry.id, reason: 'a device is unlinked by its own member, naming its key' });
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
      rejected.push({ where: `${MEMBERSHIP_LOG_KEY}.${entry.id}`, entryId: entry.id, reason: 'signed with a device key that was unlinked before' });
    } else if (entry.publicKey && !revoked.has(entry.publicKey)) revoked.set(entry.publicKey, entry.at);
  }
  for (const entry of parsed) {
    if (!good.has(entry) || entry.kind === 'revoke' || !unlinkedAt(signedWith.get(entry)!, entry.at)) continue;
    good.delete(entry);
    rejected.push({ where: `${isModeration(entry) ? MODERATION_LOG_KEY : MEMBERSHIP_LOG_KEY}.${entry.id}`, entryId: entry.id, reason: 'signed with a device key that was unlinked before' });
  }

  const deviceIds = new Map<string, string>();
  const usableAgreementKeys = new Set<string>();
  await Promise.all(
    parsed
      .filter((entry): entry is MembershipEntry => good.has(entry) && (entry.kind === 'create' || entry.kind === 'join' || entry.kind === 'device'))
      .map(async (entry) => {
        if (entry.publicKey && !deviceIds.has(entry.publicKey)) deviceIds.set(entry.publicKey, await memberIdFromPublicKey(entry.publicKey));
        if (entry.agreementKey && (await isUsableAgreementKey(entry.agreementKey))) usableAgreementKeys.add(entry.agreementKey);
      }),
  );
  return { communityId, entries: parsed.filter((entry) => good.has(entry)), keys, revoked, deviceIds, usableAgreementKeys, rejected };
}

// ---------------------------------------------------------------------------------------------------
// Replay: pure and synchronous. Applies entries in (at, id) order; an entry whose signer lacked the
// right at that point is rejected with a reason, never applied.

export interface ModerationState {
  readonly by: string;
  readonly at: number;
}

export interface AuditEntry {
  readonly id: string;
  /** 'decline' is a remove of someone still waiting to be admitted; 'leave' a member's own leaving. */
  readonly kind: ModerationKind | 'role' | 'remove' | 'decline' | 'leave' | 'admit' | 'policy' | 'rotate';
  readonly by: string;
  readonly subject: string;
  readonly role?: Role;
  readonly threadId?: string;
  readonly policy?: JoinPolicy;
  readonly epoch?: number;
  readonly at: number;
}

/** One device of a member: its signing key and, once published, its key-agreement key. */
export interface MemberDevice {
  readonly publicKey: string;
  readonly agreementKey: string | null;
  /** What the member called it when linking it; null for the device they joined from. */
  readonly name: string | null;
}

/** An applied key rotation (shared/sync/epochs.ts reads the secrets out of it). */
export interface Rotation {
  readonly entryId: string;
  readonly epoch: number;
  readonly by: string;
  readonly at: number;
  readonly ephemeralKey: string;
  readonly wraps: Readonly<Record<string, string>>;
  readonly chain: string;
}

export interface Membership {
  /** False when the document has no valid founding entry: a community made before the log existed. */
  readonly signed: boolean;
  readonly roles: ReadonlyMap<string, Role>;
  readonly removed: ReadonlySet<string>;
  readonly hiddenPosts: ReadonlyMap<string, ModerationState>;
  readonly lockedThreads: ReadonlyMap<string, ModerationState>;
  readonly pinnedThreads: ReadonlyMap<string, ModerationState>;
  /** How newcomers get in: at once ('open', the default) or once a facilitator admits them ('knock'). */
  readonly joinPolicy: JoinPolicy;
  /** Newcomers who knocked and wait to be admitted: member id → when they knocked. */
  readonly waiting: ReadonlyMap<string, number>;
  /** Member id → hash of the code of conduct they accepted (the latest acceptance). */
  readonly conduct: ReadonlyMap<string, string>;
  /** Devices of current and waiting members, by member id. */
  readonly devices: ReadonlyMap<string, readonly MemberDevice[]>;
  /** Key rotations in epoch order; the current epoch is their count. */
  readonly rotations: readonly Rotation[];
  /** Applied role changes, removals and moderation actions, oldest first. */
  readonly audit: readonly AuditEntry[];
  readonly rejected: readonly RejectedEntry[];
}

export function compareEntries(a: LogEntry, b: LogEntry): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const MODERATORS: readonly Role[] = ['owner', 'facilitator'];

export function replayLog(checked: CheckedLog): Membership {
  const roles = new Map<string, Role>();
  const removed = new Set<string>();
  const hiddenPosts = new Map<string, ModerationState>();
  const lockedThreads = new Map<string, ModerationState>();
  const pinnedThreads = new Map<string, ModerationState>();
  const audit: AuditEntry[] = [];
  const rejected: RejectedEntry[] = [...checked.rejected];
  const waiting = new Map<string, number>();
  const conduct = new Map<string, string>();
  const deviceKeys = new Map<string, Map<string, { agreementKey: string | null; name: string | null }>>();
  const rotations: Rotation[] = [];
  let joinPolicy: JoinPolicy = 'open';
  let founded = false;

  for (const entry of [...checked.entries].sort(compareEntries)) {
    const where = `${isModeration(entry) ? MODERATION_LOG_KEY : MEMBERSHIP_LOG_KEY}.${entry.id}`;
    const reason = apply(entry);
    if (reason) rejected.push({ where, entryId: entry.id, reason });
  }
  const devices = new Map<string, MemberDevice[]>();
  for (const [memberId, keys] of deviceKeys) {
    if (!roles.has(memberId) && !waiting.has(memberId)) continue;
    const current = [...keys].filter(([publicKey]) => !checked.revoked.has(publicKey)).map(([publicKey, device]) => ({ publicKey, ...device }));
    if (current.length > 0) devices.set(memberId, current);
  }
  return { signed: founded, roles, removed, hiddenPosts, lockedThreads, pinnedThreads, joinPolicy, waiting, conduct, devices, rotations, audit, rejected };

  function noteDevice(entry: MembershipEntry): void {
    if (!entry.publicKey) return;
    let keys = deviceKeys.get(entry.subject);
    if (!keys) deviceKeys.set(entry.subject, (keys = new Map()));
    const known = keys.get(entry.publicKey);
    keys.set(entry.publicKey, { agreementKey: entry.agreementKey ?? known?.agreementKey ?? null, name: entry.deviceName ?? known?.name ?? null });
  }

  /** The device ids a complete rotation at `at` wraps for: every usable device of members and newcomers, none unlinked. */
  function expectedWraps(at: number): Set<string> {
    const expected = new Set<string>();
    for (const [memberId, keys] of deviceKeys) {
      if (!roles.has(memberId) && !waiting.has(memberId)) continue;
      for (const [publicKey, device] of keys) {
        const unlinked = (checked.revoked.get(publicKey) ?? Number.POSITIVE_INFINITY) <= at;
        const deviceId = checked.deviceIds.get(publicKey);
        if (!unlinked && deviceId && device.agreementKey && checked.usableAgreementKeys.has(device.agreementKey)) expected.add(deviceId);
      }
    }
    return expected;
  }

  function apply(entry: LogEntry): string | null {
    const signer = roles.get(entry.by);
    if (entry.kind === 'create') {
      if (founded) return 'the community was already founded';
      founded = true;
      roles.set(entry.subject, 'owner');
      noteDevice(entry);
      return null;
    }
    if (!founded) return 'dated before the community was founded';
    if (entry.kind === 'join') {
      if (removed.has(entry.subject)) return 'a removed member cannot join again on their own';
      noteDevice(entry);
      if (roles.has(entry.subject) || waiting.has(entry.subject)) return null;
      if (joinPolicy === 'knock') waiting.set(entry.subject, entry.at);
      else roles.set(entry.subject, 'member');
      return null;
    }
    if (entry.kind === 'conduct' || entry.kind === 'device' || entry.kind === 'revoke') {
      if (entry.subject !== entry.by) return `a ${entry.kind} entry is made by its own member`;
      if (!signer && !waiting.has(entry.by)) return 'the signer is not a member at this point';
      if (entry.kind === 'revoke') return null; // applied by checkLog: the key's later signatures do not count
      if (entry.kind === 'device') noteDevice(entry);
      else if (entry.conductHash) conduct.set(entry.subject, entry.conductHash);
      else return 'an acceptance names no code of conduct';
      return null;
    }
    if (entry.kind === 'leave') {
      if (entry.subject !== entry.by) return 'only a member can say they leave';
      // A newcomer still waiting may take back their knock.
      if (!signer && !waiting.has(entry.by)) return 'the signer is not a member at this point';
      roles.delete(entry.subject);
      waiting.delete(entry.subject);
      audit.push({ id: entry.id, kind: 'leave', by: entry.by, subject: entry.subject, at: entry.at });
      return null;
    }
    if (!signer) return 'the signer is not a member at this point';
    const subjectRole = roles.get(entry.subject);
    switch (entry.kind) {
      case 'role': {
        if (!('role' in entry) || !entry.role) return 'a role change names no role';
        if (signer !== 'owner') return 'only an owner can change roles';
        if (!subjectRole) return 'the subject is not a member';
        if (subjectRole === 'owner' && entry.role !== 'owner' && ownerCount() === 1) return 'the last owner cannot be demoted';
        roles.set(entry.subject, entry.role);
        audit.push({ id: entry.id, kind: 'role', by: entry.by, subject: entry.subject, role: entry.role, at: entry.at });
        return null;
      }
      case 'remove':
        if (!MODERATORS.includes(signer)) return 'only owners and facilitators can remove members';
        if (entry.subject === entry.by) return 'use leave to leave';
        if (waiting.has(entry.subject)) {
          // Declining a knock: like any removal, they cannot come back on their own.
          waiting.delete(entry.subject);
          removed.add(entry.subject);
          audit.push({ id: entry.id, kind: 'decline', by: entry.by, subject: entry.subject, at: entry.at });
          return null;
        }
        if (!subjectRole) return 'the subject is not a member';
        if (signer === 'facilitator' && subjectRole !== 'member') return 'a facilitator can remove members only';
        roles.delete(entry.subject);
        removed.add(entry.subject);
        audit.push({ id: entry.id, kind: 'remove', by: entry.by, subject: entry.subject, at: entry.at });
        return null;
      case 'admit':
        if (!MODERATORS.includes(signer)) return 'only owners and facilitators admit newcomers';
        if (!waiting.has(entry.subject)) return 'the subject is not waiting to be admitted';
        waiting.delete(entry.subject);
        roles.set(entry.subject, 'member');
        audit.push({ id: entry.id, kind: 'admit', by: entry.by, subject: entry.subject, at: entry.at });
        return null;
      case 'policy':
        if (!MODERATORS.includes(signer)) return 'only owners and facilitators set how newcomers join';
        if (!entry.policy) return 'a policy entry names no policy';
        joinPolicy = entry.policy;
        audit.push({ id: entry.id, kind: 'policy', by: entry.by, subject: entry.subject, policy: entry.policy, at: entry.at });
        return null;
      case 'rotate': {
        const { epoch, ephemeralKey, wraps, chain } = entry;
        if (epoch === undefined || !ephemeralKey || !wraps || !chain) return 'a rotation is missing its epoch, key, wraps or chain';
        if (epoch !== rotations.length + 1) return `a rotation must name epoch ${rotations.length + 1}`;
        // Owners and facilitators rotate as they see fit (a removal leaves someone out). Any member may
        // rotate when unlinking a device of theirs, but only completely: a wrap for every device that
        // keeps access and none other, so a member cannot lock anyone out.
        if (!MODERATORS.includes(signer)) {
          const expected = expectedWraps(entry.at);
          const given = Object.keys(wraps);
          if (given.length !== expected.size || given.some((deviceId) => !expected.has(deviceId))) return 'a member’s rotation must give the new key to every device that keeps access';
        }
        rotations.push({ entryId: entry.id, epoch, by: entry.by, at: entry.at, ephemeralKey, wraps, chain });
        audit.push({ id: entry.id, kind: 'rotate', by: entry.by, subject: entry.subject, epoch, at: entry.at });
        return null;
      }
      default: {
        if (!MODERATORS.includes(signer)) return 'only owners and facilitators moderate';
        const target = entry.kind === 'hide' || entry.kind === 'unhide' ? hiddenPosts : entry.kind === 'lock' || entry.kind === 'unlock' ? lockedThreads : pinnedThreads;
        if (entry.kind === 'hide' || entry.kind === 'lock' || entry.kind === 'pin') target.set(entry.subject, { by: entry.by, at: entry.at });
        else target.delete(entry.subject);
        audit.push({ id: entry.id, kind: entry.kind, by: entry.by, subject: entry.subject, at: entry.at, ...('threadId' in entry && entry.threadId ? { threadId: entry.threadId } : {}) });
        return null;
      }
    }
  }

  function ownerCount(): number {
    let count = 0;
    for (const role of roles.values()) if (role === 'owner') count += 1;
    return count;
  }
}

/**
 * The verified membership of a community document. For a community made before the log existed (no
 * valid founding entry), roles fall back to the `role` field of the members directory — only
 * 'owner' and 'member' there, and no moderation applies, because those member ids are not bound to
 * any key and so nothing in such a document can be verified.
 */
export async function readMembership(doc: Y.Doc, communityId: string): Promise<Membership> {
  const checked = await checkLog(communityId, membershipLog(doc).entries(), moderationLog(doc).entries());
  const membership = replayLog(checked);
  if (membership.signed) return membership;
  const roles = new Map<string, Role>();
  for (const value of membersMap(doc).values()) {
    const parsed = memberRecordSchema.safeParse(value);
    if (parsed.success) roles.set(parsed.data.id, parsed.data.role);
  }
  return { ...membership, roles, hiddenPosts: new Map(), lockedThreads: new Map(), pinnedThreads: new Map(), waiting: new Map(), audit: [] };
}

// ---------------------------------------------------------------------------------------------------
// Commands: sign, then write in one transaction. They check the signer's role first so the UI gets
// a clear error, but the guarantee is replayLog on every reader, not this check.

async function signed<T extends LogEntry>(identity: Identity, entry: Omit<T, 'signature'>): Promise<T> {
  if (entry.by !== identity.memberId) throw new CommandError('Entries are signed by their author.');
  return { ...entry, signature: await sign(identity.privateKey, entry as Canonical) } as T;
}

function write(doc: Y.Doc, map: Y.Map<unknown>, entry: LogEntry): void {
  doc.transact(() => map.set(entry.id, entry), LOCAL_ORIGIN);
}

/** A fresh nonce and the community id it derives with the founder's key; create the community with it. */
export async function foundingId(identity: Identity): Promise<{ communityId: string; nonce: string }> {
  const nonce = newId();
  return { communityId: await communityIdFor(identity.publicKey, nonce), nonce };
}

export async function writeFounding(doc: Y.Doc, identity: Identity, communityId: string, nonce: string, now = Date.now(), agreementKey?: string): Promise<MembershipEntry> {
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION, id: newId(), community: communityId, kind: 'create', subject: identity.memberId, by: identity.memberId, at: now, publicKey: identity.publicKey, nonce,
    ...(agreementKey ? { agreementKey } : {}),
  });
  write(doc, membershipLog(doc), entry);
  return entry;
}

/**
 * Writes this member's join entry unless the log already has one of theirs that still stands: after
 * their own leave, joining again (with a new invite) writes a fresh join.
 */
export async function writeJoin(doc: Y.Doc, identity: Identity, communityId: string, now = Date.now(), agreementKey?: string): Promise<MembershipEntry | null> {
  let latest: MembershipEntry | null = null;
  for (const value of membershipLog(doc).values()) {
    const parsed = membershipEntrySchema.safeParse(value);
    if (!parsed.success || parsed.data.community !== communityId || parsed.data.by !== identity.memberId || parsed.data.subject !== identity.memberId) continue;
    if (parsed.data.kind !== 'join' && parsed.data.kind !== 'create' && parsed.data.kind !== 'leave') continue;
    if (!latest || compareEntries(latest, parsed.data) < 0) latest = parsed.data;
  }
  if (latest && latest.kind !== 'leave') return null;
  // Dated after the leave even if this device's clock is behind the one that wrote it: replay orders by `at`.
  if (latest) now = Math.max(now, latest.at + 1);
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION, id: newId(), community: communityId, kind: 'join', subject: identity.memberId, by: identity.memberId, at: now, publicKey: identity.publicKey,
    ...(agreementKey ? { agreementKey } : {}),
  });
  write(doc, membershipLog(doc), entry);
  return entry;
}

export type MembershipChange =
  | { readonly kind: 'role'; readonly subject: string; readonly role: Role }
  | { readonly kind: 'remove' | 'leave' | 'admit'; readonly subject: string }
  | { readonly kind: 'policy'; readonly subject: string; readonly policy: JoinPolicy }
  | { readonly kind: 'conduct'; readonly subject: string; readonly conductHash: string }
  | { readonly kind: 'device'; readonly subject: string; readonly publicKey: string; readonly agreementKey?: string; readonly deviceName?: string }
  | { readonly kind: 'revoke'; readonly subject: string; readonly publicKey: string }
  | {
      readonly kind: 'rotate';
      readonly subject: string;
      readonly epoch: number;
      readonly ephemeralKey: string;
      readonly wraps: Readonly<Record<string, string>>;
      readonly chain: string;
    };

export async function writeMembershipChange(doc: Y.Doc, identity: Identity, communityId: string, change: MembershipChange, now = Date.now()): Promise<MembershipEntry> {
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION, id: newId(), community: communityId, by: identity.memberId, at: now, ...change,
  });
  write(doc, membershipLog(doc), entry);
  return entry;
}

export async function writeModeration(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  action: { readonly kind: ModerationKind; readonly subject: string; readonly threadId?: string },
  now = Date.now(),
): Promise<ModerationEntry> {
  const entry = await signed<ModerationEntry>(identity, {
    v: ENTRY_VERSION, id: newId(), community: communityId, by: identity.memberId, at: now, ...action,
  });
  write(doc, moderationLog(doc), entry);
  return entry;
}
