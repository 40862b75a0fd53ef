// Every change to a community document is one of these named commands: each validates its input,
// runs in a single transaction with a local origin, and is the only way UI code changes the document.
import * as Y from 'yjs';
import { newId } from '../ids.js';
import {
  COMMUNITY_SCHEMA_VERSION,
  TOP_LEVEL,
  communityMetaSchema,
  memberRecordSchema,
  describeZodError,
  type CommunityKind,
  type CommunityMeta,
  type MemberRecord,
} from './schema.js';

/** Transactions started by commands carry this origin, so persistence and sync can tell them apart. */
export const LOCAL_ORIGIN = Symbol('hearth-local');

export class CommandError extends Error {
  override readonly name = 'CommandError';
}

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
  readonly founder: { readonly id: string; readonly displayName: string };
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
  const founder = parseMember({ id: input.founder.id, displayName: input.founder.displayName, role: 'owner', joinedAt: now });
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

/** Adds a member, or updates the display name of one already there (their role and join date stay). */
export function upsertMember(doc: Y.Doc, member: { readonly id: string; readonly displayName: string; readonly now?: number }): MemberRecord {
  const members = membersMap(doc);
  const existing = memberRecordSchema.safeParse(members.get(member.id));
  const record = parseMember(
    existing.success
      ? { ...existing.data, displayName: member.displayName }
      : { id: member.id, displayName: member.displayName, role: 'member', joinedAt: member.now ?? Date.now() },
  );
  doc.transact(() => members.set(record.id, record), LOCAL_ORIGIN);
  return record;
}

function parseMember(value: MemberRecord): MemberRecord {
  const parsed = memberRecordSchema.safeParse(value);
  if (!parsed.success) throw new CommandError(describeZodError(parsed.error));
  return parsed.data;
}
