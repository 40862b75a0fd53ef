// Writing to the membership and moderation logs: sign, then write in one transaction. Callers check the
// signer's role first so the UI gets a clear error, but the guarantee is replayLog on every reader.
import type * as Y from 'yjs';
import { CommandError, LOCAL_ORIGIN } from '../../doc/records.js';
import { newId } from '../../ids.js';
import { communityIdFor, sign, type Canonical, type Identity } from '../../identity/identity.js';
import {
  ENTRY_VERSION,
  compareEntries,
  membershipEntrySchema,
  membershipLog,
  moderationLog,
  type JoinPolicy,
  type LogEntry,
  type MembershipEntry,
  type ModerationEntry,
  type ModerationKind,
  type Role,
} from './entries.js';
import { readMembership } from './replay.js';
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

export async function writeFounding(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  nonce: string,
  now = Date.now(),
  agreementKey?: string,
): Promise<MembershipEntry> {
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION,
    id: newId(),
    community: communityId,
    kind: 'create',
    subject: identity.memberId,
    by: identity.memberId,
    at: now,
    publicKey: identity.publicKey,
    nonce,
    ...(agreementKey ? { agreementKey } : {}),
  });
  write(doc, membershipLog(doc), entry);
  return entry;
}

/**
 * Writes this member's join entry unless the log already has one of theirs that still stands: after
 * their own leave, joining again (with a new invite) writes a fresh join.
 */
export async function writeJoin(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  now = Date.now(),
  agreementKey?: string,
): Promise<MembershipEntry | null> {
  let latest: MembershipEntry | null = null;
  for (const value of membershipLog(doc).values()) {
    const parsed = membershipEntrySchema.safeParse(value);
    if (
      !parsed.success ||
      parsed.data.community !== communityId ||
      parsed.data.by !== identity.memberId ||
      parsed.data.subject !== identity.memberId
    )
      continue;
    if (parsed.data.kind !== 'join' && parsed.data.kind !== 'create' && parsed.data.kind !== 'leave') continue;
    if (!latest || compareEntries(latest, parsed.data) < 0) latest = parsed.data;
  }
  if (latest && latest.kind !== 'leave') return null;
  // Dated after the leave even if this device's clock is behind the one that wrote it: replay orders by `at`.
  if (latest) now = Math.max(now, latest.at + 1);
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION,
    id: newId(),
    community: communityId,
    kind: 'join',
    subject: identity.memberId,
    by: identity.memberId,
    at: now,
    publicKey: identity.publicKey,
    ...(agreementKey ? { agreementKey } : {}),
  });
  write(doc, membershipLog(doc), entry);
  return entry;
}

export type MembershipChange =
  | { readonly kind: 'role'; readonly subject: string; readonly role: Role }
  | { readonly kind: 'remove' | 'leave' | 'admit'; readonly subject: string }
  /** `members` is filled in from the log when not given: the member set the policy commits to. */
  | { readonly kind: 'policy'; readonly subject: string; readonly policy: JoinPolicy; readonly members?: readonly string[] }
  | { readonly kind: 'conduct'; readonly subject: string; readonly conductHash: string }
  | {
      readonly kind: 'device';
      readonly subject: string;
      readonly publicKey: string;
      readonly agreementKey?: string;
      readonly deviceName?: string;
    }
  | { readonly kind: 'revoke'; readonly subject: string; readonly publicKey: string }
  | {
      readonly kind: 'rotate';
      readonly subject: string;
      readonly epoch: number;
      readonly ephemeralKey: string;
      readonly wraps: Readonly<Record<string, string>>;
      readonly chain: string;
      readonly commitment?: string;
      readonly previous?: string;
      readonly removal?: string;
    };

export async function writeMembershipChange(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  change: MembershipChange,
  now = Date.now(),
): Promise<MembershipEntry> {
  // A policy commits to who is in (sorted, so every writer of the same set writes the same bytes):
  // replay.ts holds a knock policy against joins dated before it by anyone outside this set.
  if (change.kind === 'policy' && !change.members)
    change = { ...change, members: [...(await readMembership(doc, communityId)).roles.keys()].sort() };
  const entry = await signed<MembershipEntry>(identity, {
    v: ENTRY_VERSION,
    id: newId(),
    community: communityId,
    by: identity.memberId,
    at: now,
    ...change,
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
    v: ENTRY_VERSION,
    id: newId(),
    community: communityId,
    by: identity.memberId,
    at: now,
    ...action,
  });
  write(doc, moderationLog(doc), entry);
  return entry;
}
