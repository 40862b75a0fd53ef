// Every change to a community document is one of these named commands: each validates its input,
// runs in a single transaction with a local origin, and is the only way UI code changes the document.
import * as Y from 'yjs';
import { newId } from '../ids.js';
import {
  COMMUNITY_SCHEMA_VERSION,
  TOP_LEVEL,
  communityMetaSchema,
  memberRecordSchema,
  type CommunityKind,
  type CommunityMeta,
  type MemberRecord,
} from './schema.js';
import { MEMBER_PROFILE_FIELDS, memberProfileSchema, type MemberProfile } from './member-profile.js';
import { CommandError, LOCAL_ORIGIN, describeZodError } from '../doc/records.js';

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(TOP_LEVEL.meta);
}

export function membersMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(TOP_LEVEL.members);
}

export interface NewCommunity {
  readonly name: string;
  readonly purpose: string;
  readonly kind: CommunityKind;
  readonly codeOfConduct?: string;
  readonly founder: { readonly id: string; readonly displayName: string; readonly profile?: MemberProfile };
  readonly now?: number;
  readonly id?: string;
}

/** Writes a new community's meta and its founder as owner into an empty document; returns the meta. */
export function createCommunity(doc: Y.Doc, input: NewCommunity): CommunityMeta {
  if (metaMap(doc).size > 0) throw new CommandError('This document already holds a community.');
  const now = input.now ?? Date.now();
  const parsed = communityMetaSchema.safeParse({
    schemaVersion: COMMUNITY_SCHEMA_VERSION,
    id: input.id ?? newId(),
    name: input.name,
    purpose: input.purpose.trim(),
    kind: input.kind,
    codeOfConduct: (input.codeOfConduct ?? '').trim(),
    createdAt: now,
    createdBy: input.founder.id,
  });
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  const founder = parseMember({
    id: input.founder.id,
    displayName: input.founder.displayName,
    role: 'owner',
    joinedAt: now,
    ...checkProfile(input.founder.profile),
  });
  doc.transact(() => {
    const meta = metaMap(doc);
    for (const [key, value] of Object.entries(parsed.data)) meta.set(key, value);
    membersMap(doc).set(founder.id, founder);
  }, LOCAL_ORIGIN);
  return parsed.data;
}

export type CommunityMetaEdit = Partial<Pick<CommunityMeta, 'name' | 'purpose' | 'kind' | 'codeOfConduct'>>;

/** Changes some of name, purpose, kind and code of conduct; each field merges independently. */
export function updateCommunityMeta(doc: Y.Doc, edit: CommunityMetaEdit): void {
  const editable = communityMetaSchema.pick({ name: true, purpose: true, kind: true, codeOfConduct: true }).partial();
  const parsed = editable.safeParse(edit);
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  doc.transact(() => {
    const meta = metaMap(doc);
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value !== undefined && meta.get(key) !== value) meta.set(key, value);
    }
  }, LOCAL_ORIGIN);
}

export interface MemberUpsert {
  readonly id: string;
  readonly displayName: string;
  /** Avatar, bio and time zone. Given, it replaces all three (one left out is cleared); omitted, they stay. */
  readonly profile?: MemberProfile;
  readonly now?: number;
}

/** Adds a member, or updates the name and profile of one already there (their role and join date stay). */
export function upsertMember(doc: Y.Doc, member: MemberUpsert): MemberRecord {
  const members = membersMap(doc);
  const existing = memberRecordSchema.safeParse(members.get(member.id));
  const current = existing.success ? existing.data : null;
  const record = parseMember({
    id: member.id,
    displayName: member.displayName,
    role: current?.role ?? 'member',
    joinedAt: current?.joinedAt ?? member.now ?? Date.now(),
    ...(member.profile ? checkProfile(member.profile) : profileOf(current)),
  });
  // Rewriting an unchanged record would still grow every member's copy of the document.
  if (!sameJson(members.get(member.id), record)) doc.transact(() => members.set(record.id, record), LOCAL_ORIGIN);
  return record;
}

/** The profile fields that are set, checked strictly: a command refuses what a reader would drop. */
function checkProfile(profile: MemberProfile | undefined): MemberProfile {
  const parsed = memberProfileSchema.safeParse(profile ?? {});
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  return profileOf(parsed.data);
}

function profileOf(record: MemberProfile | null): MemberProfile {
  const set: MemberProfile = {};
  // An empty bio is no bio: it is left out rather than stored.
  for (const field of MEMBER_PROFILE_FIELDS)
    if (record?.[field] !== undefined && record[field] !== '') Object.assign(set, { [field]: record[field] });
  return set;
}

/** Equality of plain JSON values (what member records are), whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

function parseMember(value: MemberRecord): MemberRecord {
  const parsed = memberRecordSchema.safeParse(value);
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  return parsed.data;
}
