// Replaying the verified logs: pure and synchronous. Entries apply in (at, id) order; an entry whose
// signer lacked the right at that point is rejected with a reason, never applied. What comes out —
// roles, removals, moderation, the join policy, devices, rotations, the audit — is what every app shows.
// Over 400 lines: one replay state that every kind of entry reads and changes, one small function per
// kind; splitting it would pass that state across files.
import type * as Y from 'yjs';
import { membersMap } from '../commands.js';
import { memberRecordSchema } from '../schema.js';
import { checkLog, type CheckedLog, type RejectedEntry } from './check.js';
import {
  MEMBERSHIP_LOG_KEY,
  MODERATION_LOG_KEY,
  compareEntries,
  isModeration,
  membershipLog,
  moderationLog,
  type JoinPolicy,
  type LogEntry,
  type MembershipEntry,
  type ModerationEntry,
  type ModerationKind,
  type Role,
} from './entries.js';

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
  /** What the new secret must hash to (epochs.ts rotationCommitment); absent on a legacy rotation. */
  readonly commitment?: string;
  /** The rotation it follows; absent for epoch 1 and on legacy rotations. */
  readonly previous?: string;
  /** The removal it carries out, if any. */
  readonly removal?: string;
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

const MODERATORS: readonly Role[] = ['owner', 'facilitator'];

/** The membership as replay builds it, entry by entry. */
interface ReplayState {
  readonly checked: CheckedLog;
  readonly roles: Map<string, Role>;
  readonly removed: Set<string>;
  readonly hiddenPosts: Map<string, ModerationState>;
  readonly lockedThreads: Map<string, ModerationState>;
  readonly pinnedThreads: Map<string, ModerationState>;
  readonly audit: AuditEntry[];
  readonly waiting: Map<string, number>;
  readonly conduct: Map<string, string>;
  /** Member id → device signing key → what its entries published. */
  readonly deviceKeys: Map<string, Map<string, { agreementKey: string | null; name: string | null }>>;
  readonly rotations: Rotation[];
  /** Roles of members who left, so a removal dated after their leave still counts (and keeps them out). */
  readonly formerRoles: Map<string, Role>;
  /** Applied remove entries (removals and declines): entry id → subject. */
  readonly removals: Map<string, string>;
  /** Members let in by an `admit`, whom a later knock policy's member set cannot send back. */
  readonly admitted: Set<string>;
  /** Each member's latest applied join entry. */
  readonly joins: Map<string, { readonly id: string; readonly at: number }>;
  /** Entries that counted when applied and were undone by a later one (a replaced rotation, a join a policy sent back). */
  readonly undone: RejectedEntry[];
  joinPolicy: JoinPolicy;
  founded: boolean;
}

export function replayLog(checked: CheckedLog): Membership {
  const state: ReplayState = {
    checked,
    roles: new Map(),
    removed: new Set(),
    hiddenPosts: new Map(),
    lockedThreads: new Map(),
    pinnedThreads: new Map(),
    audit: [],
    waiting: new Map(),
    conduct: new Map(),
    deviceKeys: new Map(),
    rotations: [],
    formerRoles: new Map(),
    removals: new Map(),
    admitted: new Set(),
    joins: new Map(),
    undone: [],
    joinPolicy: 'open',
    founded: false,
  };
  const rejected: RejectedEntry[] = [...checked.rejected];
  for (const entry of [...checked.entries].sort(compareEntries)) {
    const where = `${isModeration(entry) ? MODERATION_LOG_KEY : MEMBERSHIP_LOG_KEY}.${entry.id}`;
    const reason = applyEntry(state, entry);
    if (reason) rejected.push({ where, entryId: entry.id, reason });
  }
  rejected.push(...state.undone);
  const { roles, removed, hiddenPosts, lockedThreads, pinnedThreads, joinPolicy, waiting, conduct, rotations, audit } = state;
  return {
    signed: state.founded,
    roles,
    removed,
    hiddenPosts,
    lockedThreads,
    pinnedThreads,
    joinPolicy,
    waiting,
    conduct,
    devices: currentDevices(state),
    rotations,
    audit,
    rejected,
  };
}

/** Devices of current and waiting members, without unlinked ones. */
function currentDevices({ checked, deviceKeys, roles, waiting }: ReplayState): Map<string, MemberDevice[]> {
  const devices = new Map<string, MemberDevice[]>();
  for (const [memberId, keys] of deviceKeys) {
    if (!roles.has(memberId) && !waiting.has(memberId)) continue;
    const current = [...keys]
      .filter(([publicKey]) => !checked.revoked.has(publicKey))
      .map(([publicKey, device]) => ({ publicKey, ...device }));
    if (current.length > 0) devices.set(memberId, current);
  }
  return devices;
}

function noteDevice({ deviceKeys }: ReplayState, entry: MembershipEntry): void {
  if (!entry.publicKey) return;
  let keys = deviceKeys.get(entry.subject);
  if (!keys) deviceKeys.set(entry.subject, (keys = new Map()));
  const known = keys.get(entry.publicKey);
  keys.set(entry.publicKey, {
    agreementKey: entry.agreementKey ?? known?.agreementKey ?? null,
    name: entry.deviceName ?? known?.name ?? null,
  });
}

/** The device ids a complete rotation at `at` wraps for: every usable device of members and newcomers, none unlinked. */
function expectedWraps({ checked, deviceKeys, roles, waiting }: ReplayState, at: number): Set<string> {
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

/**
 * The device ids a rotation at `at` may wrap for: every device key of a current or waiting member,
 * including keys whose link is dated later (the rotator may have seen it first), none unlinked by then.
 */
function allowedWraps({ checked, roles, waiting }: ReplayState, at: number): Set<string> {
  const allowed = new Set<string>();
  for (const [memberId, keys] of checked.keys) {
    if (!roles.has(memberId) && !waiting.has(memberId)) continue;
    for (const publicKey of keys) {
      const deviceId = checked.deviceIds.get(publicKey);
      if (deviceId && (checked.revoked.get(publicKey) ?? Number.POSITIVE_INFINITY) > at) allowed.add(deviceId);
    }
  }
  return allowed;
}

/** Applies one entry, or returns why it does not count. */
function applyEntry(state: ReplayState, entry: LogEntry): string | null {
  if (entry.kind === 'create') {
    if (state.founded) return 'the community was already founded';
    state.founded = true;
    state.roles.set(entry.subject, 'owner');
    noteDevice(state, entry);
    return null;
  }
  if (!state.founded) return 'dated before the community was founded';
  if (isModeration(entry)) return applyModeration(state, entry);
  switch (entry.kind) {
    case 'join':
      return applyJoin(state, entry);
    case 'conduct':
    case 'device':
    case 'revoke':
      return applyOwnDeviceOrConduct(state, entry);
    case 'leave':
      return applyLeave(state, entry);
    case 'rotate':
      return applyRotation(state, entry);
    default:
      return applyMembershipChange(state, entry);
  }
}

function applyJoin(state: ReplayState, entry: MembershipEntry): string | null {
  if (state.removed.has(entry.subject)) return 'a removed member cannot join again on their own';
  noteDevice(state, entry);
  if (state.roles.has(entry.subject) || state.waiting.has(entry.subject)) return null;
  state.joins.set(entry.subject, { id: entry.id, at: entry.at });
  if (state.joinPolicy === 'knock') state.waiting.set(entry.subject, entry.at);
  else state.roles.set(entry.subject, 'member');
  return null;
}

function applyOwnDeviceOrConduct(state: ReplayState, entry: MembershipEntry): string | null {
  if (entry.subject !== entry.by) return `a ${entry.kind} entry is made by its own member`;
  if (!state.roles.has(entry.by) && !state.waiting.has(entry.by)) return 'the signer is not a member at this point';
  if (entry.kind === 'revoke') return null; // applied by checkLog: the key's later signatures do not count
  if (entry.kind === 'device') noteDevice(state, entry);
  else if (entry.conductHash) state.conduct.set(entry.subject, entry.conductHash);
  else return 'an acceptance names no code of conduct';
  return null;
}

function applyLeave(state: ReplayState, entry: MembershipEntry): string | null {
  if (entry.subject !== entry.by) return 'only a member can say they leave';
  // A newcomer still waiting may take back their knock.
  if (!state.roles.has(entry.by) && !state.waiting.has(entry.by)) return 'the signer is not a member at this point';
  const role = state.roles.get(entry.subject);
  if (role) state.formerRoles.set(entry.subject, role);
  state.roles.delete(entry.subject);
  state.waiting.delete(entry.subject);
  state.audit.push({ id: entry.id, kind: 'leave', by: entry.by, subject: entry.subject, at: entry.at });
  return null;
}

/** Role changes, removals, admissions and the join policy: what owners and facilitators decide. */
function applyMembershipChange(state: ReplayState, entry: MembershipEntry): string | null {
  const { roles, waiting, removed, audit } = state;
  const signer = roles.get(entry.by);
  if (!signer) return 'the signer is not a member at this point';
  const subjectRole = roles.get(entry.subject);
  switch (entry.kind) {
    case 'role': {
      if (!('role' in entry) || !entry.role) return 'a role change names no role';
      if (signer !== 'owner') return 'only an owner can change roles';
      if (!subjectRole) return 'the subject is not a member';
      if (subjectRole === 'owner' && entry.role !== 'owner' && ownerCount(roles) === 1) return 'the last owner cannot be demoted';
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
        state.removals.set(entry.id, entry.subject);
        audit.push({ id: entry.id, kind: 'decline', by: entry.by, subject: entry.subject, at: entry.at });
        return null;
      }
      {
        // A member who left can still be removed: otherwise a leave they date just before a removal
        // (their clock, their choice) would cancel it, and a join dated after it let them back in.
        const standing = subjectRole ?? state.formerRoles.get(entry.subject);
        if (!standing) return 'the subject is not a member';
        if (signer === 'facilitator' && standing !== 'member') return 'a facilitator can remove members only';
      }
      roles.delete(entry.subject);
      removed.add(entry.subject);
      state.removals.set(entry.id, entry.subject);
      audit.push({ id: entry.id, kind: 'remove', by: entry.by, subject: entry.subject, at: entry.at });
      return null;
    case 'admit':
      if (!MODERATORS.includes(signer)) return 'only owners and facilitators admit newcomers';
      if (!waiting.has(entry.subject)) return 'the subject is not waiting to be admitted';
      waiting.delete(entry.subject);
      roles.set(entry.subject, 'member');
      state.admitted.add(entry.subject);
      audit.push({ id: entry.id, kind: 'admit', by: entry.by, subject: entry.subject, at: entry.at });
      return null;
    case 'policy':
      if (!MODERATORS.includes(signer)) return 'only owners and facilitators set how newcomers join';
      if (!entry.policy) return 'a policy entry names no policy';
      state.joinPolicy = entry.policy;
      if (entry.policy === 'knock' && entry.members) holdKnockAgainstBackdatedJoins(state, new Set(entry.members));
      audit.push({ id: entry.id, kind: 'policy', by: entry.by, subject: entry.subject, policy: entry.policy, at: entry.at });
      return null;
    default:
      return `an entry of kind ${entry.kind} cannot be applied here`;
  }
}

/**
 * A knock policy commits to the members its setter saw. A plain member outside that set who was not
 * admitted got in by a join dated before the policy — a date the joiner chose — so they wait to be
 * admitted like anyone who knocks. Roles an owner gave stay (the owner vouched for them).
 */
function holdKnockAgainstBackdatedJoins(state: ReplayState, members: ReadonlySet<string>): void {
  for (const [memberId, role] of [...state.roles]) {
    if (role !== 'member' || members.has(memberId) || state.admitted.has(memberId)) continue;
    const join = state.joins.get(memberId);
    if (!join) continue;
    state.roles.delete(memberId);
    state.waiting.set(memberId, join.at);
    state.undone.push({
      where: `${MEMBERSHIP_LOG_KEY}.${join.id}`,
      entryId: join.id,
      reason: 'a join from outside the member set a knock policy committed to waits to be admitted',
    });
  }
}

function applyRotation(state: ReplayState, entry: MembershipEntry): string | null {
  const signer = state.roles.get(entry.by);
  if (!signer) return 'the signer is not a member at this point';
  const { epoch, ephemeralKey, wraps, chain, commitment, previous, removal } = entry;
  if (epoch === undefined || !ephemeralKey || !wraps || !chain) return 'a rotation is missing its epoch, key, wraps or chain';
  const { rotations } = state;
  // Where in the chain it goes: at the end, or — a fork — right after the predecessor it names, in
  // place of rotations signed by the member its removal removes. The removed member's own rotations,
  // however early they are dated, cannot win the epoch over the rotation that removes them.
  let replaces = 0;
  if (commitment) {
    const after = previous === undefined ? 0 : rotations.findIndex((rotation) => rotation.entryId === previous) + 1;
    if (previous !== undefined && after === 0) return 'a rotation must name a rotation that counts as the one before it';
    const subject = removal === undefined ? undefined : state.removals.get(removal);
    if (removal !== undefined && subject === undefined) return 'a rotation must name a removal that counts';
    if (after < rotations.length) {
      if (subject === undefined || !rotations.slice(after).every((rotation) => rotation.by === subject))
        return `a rotation must follow the newest one (epoch ${rotations.length})`;
      replaces = rotations.length - after;
    }
  }
  const expectedEpoch = rotations.length - replaces + 1;
  if (epoch !== expectedEpoch) return `a rotation must name epoch ${expectedEpoch}`;
  // Every rotation gives the new key to every device that keeps access, and to no other: nobody —
  // not a member unlinking a device, not a facilitator removing someone — can shut anyone out.
  const given = new Set(Object.keys(wraps));
  const allowed = allowedWraps(state, entry.at);
  const complete =
    [...expectedWraps(state, entry.at)].every((deviceId) => given.has(deviceId)) && [...given].every((deviceId) => allowed.has(deviceId));
  if (!MODERATORS.includes(signer) && !complete) return 'a member’s rotation must give the new key to every device that keeps access';
  if (!commitment) {
    // Legacy (written before rotations committed to their secret): still read, so communities that
    // rotated then keep their epochs, but only an owner's — who could remove anyone anyway — and only
    // before the first committed rotation, so nobody can step around the commitment now.
    if (signer !== 'owner' || rotations.some((rotation) => rotation.commitment)) return 'a rotation must commit to its new secret';
  } else if (!complete) return 'a rotation must give the new key to every device that keeps access, and to no other';
  for (const replaced of rotations.splice(rotations.length - replaces)) {
    const index = state.audit.findIndex((item) => item.id === replaced.entryId);
    if (index >= 0) state.audit.splice(index, 1);
    state.undone.push({
      where: `${MEMBERSHIP_LOG_KEY}.${replaced.entryId}`,
      entryId: replaced.entryId,
      reason: 'replaced by the rotation that removes its signer',
    });
  }
  rotations.push({
    entryId: entry.id,
    epoch,
    by: entry.by,
    at: entry.at,
    ephemeralKey,
    wraps,
    chain,
    ...(commitment ? { commitment } : {}),
    ...(previous ? { previous } : {}),
    ...(removal ? { removal } : {}),
  });
  state.audit.push({ id: entry.id, kind: 'rotate', by: entry.by, subject: entry.subject, epoch, at: entry.at });
  return null;
}

function applyModeration(state: ReplayState, entry: ModerationEntry): string | null {
  const signer = state.roles.get(entry.by);
  if (!signer) return 'the signer is not a member at this point';
  if (!MODERATORS.includes(signer)) return 'only owners and facilitators moderate';
  const target =
    entry.kind === 'hide' || entry.kind === 'unhide'
      ? state.hiddenPosts
      : entry.kind === 'lock' || entry.kind === 'unlock'
        ? state.lockedThreads
        : state.pinnedThreads;
  if (entry.kind === 'hide' || entry.kind === 'lock' || entry.kind === 'pin') target.set(entry.subject, { by: entry.by, at: entry.at });
  else target.delete(entry.subject);
  state.audit.push({
    id: entry.id,
    kind: entry.kind,
    by: entry.by,
    subject: entry.subject,
    at: entry.at,
    ...('threadId' in entry && entry.threadId ? { threadId: entry.threadId } : {}),
  });
  return null;
}

function ownerCount(roles: ReadonlyMap<string, Role>): number {
  let count = 0;
  for (const role of roles.values()) if (role === 'owner') count += 1;
  return count;
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
  return {
    ...membership,
    roles,
    hiddenPosts: new Map(),
    lockedThreads: new Map(),
    pinnedThreads: new Map(),
    waiting: new Map(),
    audit: [],
  };
}
