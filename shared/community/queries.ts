// Reads of a community document. Each returns plain, validated data; a record written by a peer in a
// shape this version does not understand is skipped and reported in `problems`, never thrown.
import type * as Y from 'yjs';
import { membersMap, metaMap } from './commands.js';
import { COMMUNITY_SCHEMA_VERSION, communityMetaSchema, memberRecordSchema, type CommunityMeta, type MemberRecord } from './schema.js';
import { checkRecord, describeZodError, type SchemaProblem } from '../doc/records.js';
import { MEMBER_PROFILE_FIELDS, memberProfileSchema } from './member-profile.js';

export interface CommunityView {
  /** Null while the document holds no valid community yet (e.g. a joiner before the first sync). */
  readonly meta: CommunityMeta | null;
  /** Sorted by display name, owners first. */
  readonly members: readonly MemberRecord[];
  /** True when a peer wrote this document with a newer schema than this app knows. */
  readonly newerSchema: boolean;
  readonly problems: readonly SchemaProblem[];
}

export function readCommunityMeta(doc: Y.Doc, problems: SchemaProblem[] = []): CommunityMeta | null {
  const meta = metaMap(doc);
  if (meta.size === 0) return null;
  const parsed = communityMetaSchema.safeParse(meta.toJSON());
  if (!parsed.success) {
    problems.push({ where: 'meta', message: describeZodError(parsed.error) });
    return null;
  }
  return parsed.data;
}

export function readMembers(doc: Y.Doc, problems: SchemaProblem[] = []): MemberRecord[] {
  const members: MemberRecord[] = [];
  for (const [key, value] of membersMap(doc).entries()) {
    const read = checkRecord(memberRecordSchema.safeParse(value), key, (member) => member.id);
    if (!read.ok) {
      problems.push({ where: `members.${key}`, message: read.message });
    } else {
      reportDroppedFields(key, value, read.value, problems);
      members.push(read.value);
    }
  }
  return members.sort(
    (a, b) =>
      Number(b.role === 'owner') - Number(a.role === 'owner') || a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id),
  );
}

/** A profile field the record held but the schema dropped (memberRecordSchema keeps the member). */
function reportDroppedFields(key: string, raw: unknown, read: MemberRecord, problems: SchemaProblem[]): void {
  for (const field of MEMBER_PROFILE_FIELDS) {
    const value = (raw as Record<string, unknown>)[field];
    if (value === undefined || read[field] !== undefined) continue;
    const checked = memberProfileSchema.shape[field].safeParse(value);
    problems.push({
      where: `members.${key}.${field}`,
      message: checked.success ? 'not accepted' : checked.error.issues.map((issue) => issue.message).join('; '),
    });
  }
}

export function readCommunity(doc: Y.Doc): CommunityView {
  const problems: SchemaProblem[] = [];
  const version = metaMap(doc).get('schemaVersion');
  const meta = readCommunityMeta(doc, problems);
  const members = readMembers(doc, problems);
  return { meta, members, newerSchema: typeof version === 'number' && version > COMMUNITY_SCHEMA_VERSION, problems };
}
