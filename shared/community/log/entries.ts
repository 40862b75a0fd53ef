// The signed membership and moderation logs' entries: their schema, kinds and where they live in the
// document. Who is in a community with which role, and which moderation actions (hide a post, lock or
// pin a thread) stand, is what replay.ts makes of them. Every entry is signed by the member
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
import { ID_PATTERN } from '../../ids.js';
import type { Canonical } from '../../identity/identity.js';
import { MAX_EPOCH } from '../../sync/keys.js';
import { idSchema, timestampSchema } from '../../doc/records.js';

export const MEMBERSHIP_LOG_KEY = 'membershipLog';
export const MODERATION_LOG_KEY = 'moderationLog';
export const ENTRY_VERSION = 1;

export const ROLES = ['owner', 'facilitator', 'member'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS = { owner: 'Owner', facilitator: 'Facilitator', member: 'Member' } as const satisfies Record<Role, string>;

export const MEMBERSHIP_KINDS = [
  'create',
  'join',
  'role',
  'remove',
  'leave',
  'admit',
  'policy',
  'conduct',
  'device',
  'rotate',
  'revoke',
] as const;
export const JOIN_POLICIES = ['open', 'knock'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
/** Devices one member may link; bounds the keys tried per signature. */
export const MAX_DEVICES_PER_MEMBER = 8;
export const MODERATION_KINDS = ['hide', 'unhide', 'lock', 'unlock', 'pin', 'unpin'] as const;
export type MembershipKind = (typeof MEMBERSHIP_KINDS)[number];
export type ModerationKind = (typeof MODERATION_KINDS)[number];

const id = idSchema;
const base64url = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
/** A sealed key (AES-GCM ciphertext of a 32-byte secret with its nonce): short, bounded. */
const sealed = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
/** Bounds a rotation's wraps: every device of a community of ~30 members, with room to spare. */
export const MAX_WRAPS = 256;
const timestamp = timestampSchema;
/** Bounds a policy entry's member set: far above a community of ~30. */
export const MAX_POLICY_MEMBERS = 1_000;

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
  nonce: z
    .string()
    .regex(/^[0-9a-z]{16}$/)
    .optional(),
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
  wraps: z
    .record(z.string().regex(ID_PATTERN), sealed)
    .refine((wraps) => Object.keys(wraps).length <= MAX_WRAPS, 'too many wraps')
    .optional(),
  /** On rotate: the previous epoch's secret sealed under the new one, so history keys chain. */
  chain: sealed.optional(),
  /**
   * On rotate: HKDF of the new secret (shared/sync/epochs.ts rotationCommitment), so every device can
   * tell that the secret its wrap opens to is the one everyone else got. A rotation without one is a
   * legacy rotation (replay.ts: owners only, and only before the first committed one).
   */
  commitment: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
  /** On rotate: the entry id of the rotation this one follows; absent for epoch 1. */
  previous: id.optional(),
  /** On rotate: the entry id of the removal it carries out, if any. */
  removal: id.optional(),
  /**
   * On policy: the ids of the members at that point, sorted. A knock policy then holds against any
   * join by someone outside this set who was not admitted, whatever date the join claims.
   */
  members: z.array(id).max(MAX_POLICY_MEMBERS).readonly().optional(),
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

export function isModeration(entry: LogEntry): entry is ModerationEntry {
  return (MODERATION_KINDS as readonly string[]).includes(entry.kind);
}

export function unsigned(entry: LogEntry): Canonical {
  const { signature: _signature, ...rest } = entry;
  return rest as Canonical;
}

export function membershipLog(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MEMBERSHIP_LOG_KEY);
}

export function moderationLog(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(MODERATION_LOG_KEY);
}

/** Replay order: by the signer's clock, ties broken by id, the same on every peer. */
export function compareEntries(a: LogEntry, b: LogEntry): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
