// The community document's schema: what lives at the top of each community's Y.Doc, its version, and
// the validators every query runs before the UI sees a record. Peers are untrusted: anything that does
// not match is skipped and reported, never trusted and never a crash.
//
// Layout of a community Y.Doc (schema version 1):
//   meta     Y.Map<unknown>   keys: schemaVersion, id, name, purpose, kind, codeOfConduct, createdAt, createdBy
//   members  Y.Map<unknown>   memberId → MemberRecord (a plain object, replaced whole on change); its
//                             optional avatar, bio and timeZone (member-profile.ts) came later: readers
//                             that predate them ignore them, and one a peer got wrong is dropped alone
//   notes    Y.Map<Y.Map>     noteId → note fields (shared/notes/schema.ts) + `body` Y.XmlFragment (TipTap binds it)
//   threads  Y.Map<Y.Map>     threadId → thread fields (shared/threads/schema.ts): title, firstPostId, pinnedAt
//   posts    Y.Map<Y.Map>     postId → post fields incl. threadId and a sanitized rich-text `body`, + `reactions` Y.Map
//   boards        Y.Map<unknown>   boardId → Y.Map board record (shared/boards/schema.ts)
//   boardColumns  Y.Map<unknown>   columnId → Y.Map column record with its board and order key (shared/boards/schema.ts)
//   boardCards    Y.Map<unknown>   cardId → Y.Map card record with place { columnId, position } (shared/boards/schema.ts)
//   resources     Y.Map<unknown>   resourceId → Y.Map library resource: link, file (hash only) or how-to (shared/library/schema.ts)
//   sessions          Y.Map<unknown>   sessionId → Y.Map session: agenda, run state (current item + timer), hands, attendance, action items, check-ins (shared/sessions/schema.ts)
//   sessionTemplates  Y.Map<unknown>   templateId → a community's own agenda template (plain, written whole) (shared/sessions/schema.ts)
//   sessionSettings   Y.Map<unknown>   actionBoardId → the board action items become cards on (shared/sessions/schema.ts)
//   events            Y.Map<unknown>   eventId → Y.Map event: wall-time start/end + IANA zone, recurrence, `rsvps` Y.Map (shared/events/schema.ts)
//   polls             Y.Map<unknown>   pollId → Y.Map poll with `options` and `ballots` (one per member) Y.Maps (shared/polls/schema.ts)
//   membershipLog     Y.Map<unknown>   entryId → signed create/join/role/remove/leave entry; roles come from it (shared/community/membership-log.ts)
//   moderationLog     Y.Map<unknown>   entryId → signed hide/unhide/lock/unlock/pin/unpin entry, applied on read (shared/community/membership-log.ts)
// Later versions add notes, threads, boards, resources, sessions, events and polls as further
// top-level types; a reader of version N ignores top-level types it does not know.
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { MEMBER_PROFILE_FIELDS, bioSchema, memberAvatarSchema, memberTimeZoneSchema } from './member-profile.js';

export const COMMUNITY_SCHEMA_VERSION = 1;

export const COMMUNITY_KINDS = ['mastermind', 'coaching', 'hobby', 'practice', 'event', 'faith', 'purpose', 'other'] as const;
export type CommunityKind = (typeof COMMUNITY_KINDS)[number];

export const COMMUNITY_KIND_LABELS = {
  mastermind: 'Mastermind circle',
  coaching: 'Coaching group',
  hobby: 'Hobby club',
  practice: 'Community of practice',
  event: 'Event or cohort',
  faith: 'Faith group',
  purpose: 'Cause or purpose',
  other: 'Something else',
} as const satisfies Record<CommunityKind, string>;

export const LIMITS = {
  communityNameChars: 80,
  purposeChars: 500,
  codeOfConductChars: 10_000,
  displayNameChars: 60,
} as const;

export const TOP_LEVEL = { meta: 'meta', members: 'members' } as const;

export const communityNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the community a name.')
  .max(LIMITS.communityNameChars, `Keep the name under ${LIMITS.communityNameChars} characters.`);

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Tell the group what to call you.')
  .max(LIMITS.displayNameChars, `Keep your name under ${LIMITS.displayNameChars} characters.`);

export const communityMetaSchema = z.object({
  schemaVersion: z.number().int().positive(),
  id,
  name: communityNameSchema,
  purpose: z.string().max(LIMITS.purposeChars),
  kind: z.enum(COMMUNITY_KINDS),
  codeOfConduct: z.string().max(LIMITS.codeOfConductChars),
  createdAt: timestamp,
  createdBy: id,
});
export type CommunityMeta = z.infer<typeof communityMetaSchema>;

export const memberRoleSchema = z.enum(['owner', 'member']);
export type MemberRole = z.infer<typeof memberRoleSchema>;

// A profile field a peer wrote in a shape we do not accept is dropped on its own: the member still
// shows, with the default look. readMembers (queries.ts) reports each dropped field.
const dropIfInvalid = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** A member record as read from the document; writes go through commands.ts, which check strictly. */
export const memberRecordSchema = z
  .object({
    id,
    displayName: displayNameSchema,
    role: memberRoleSchema,
    joinedAt: timestamp,
    avatar: dropIfInvalid(memberAvatarSchema),
    bio: dropIfInvalid(bioSchema),
    timeZone: dropIfInvalid(memberTimeZoneSchema),
  })
  .transform((record) => {
    // `.catch` leaves the key with undefined; take it out, so a record reads the same as one without it.
    for (const field of MEMBER_PROFILE_FIELDS) if (record[field] === undefined) delete record[field];
    return record;
  });
export type MemberRecord = z.infer<typeof memberRecordSchema>;
