// The member's local profile on this device: their identity (a keypair; the member id is derived from
// its public key), a display name, and what they tell the group about themself (avatar, bio, time
// zone). Kept in the local store's settings; the registry copies name and profile into their member
// record in every community (each community gets a member record and a signed join entry on joining).
//
// The private key is a non-extractable CryptoKey that IndexedDB stores by structured clone: script
// on this device can use it to sign but can never read its bytes out.
//
// A profile from before identities existed has a random member id. It does NOT keep that id: an id
// not derived from a key can be claimed by anyone who signs a join for it, which would let another
// member take over its roles. Such a profile gets a new key and the id derived from it on the next
// start; its old member records keep their display names (posts stay attributed to that name), and
// `previousMemberIds` remembers the old id so this device can still tell its own old records.
import { z } from 'zod';
import { displayNameSchema } from '../../shared/community/schema.js';
import {
  MEMBER_PROFILE_FIELDS,
  bioSchema,
  memberAvatarSchema,
  memberTimeZoneSchema,
  type MemberProfile,
} from '../../shared/community/member-profile.js';
import { ID_PATTERN, newId } from '../../shared/ids.js';
import { generateIdentity, isKeyOf, type Identity } from '../../shared/identity/identity.js';
import type { DeviceSettings } from '../store/device-store.js';

const PROFILE_KEY = 'profile';
const IDENTITY_KEY = 'identity';

export const profileSchema = z
  .object({
    memberId: z.string().regex(ID_PATTERN),
    displayName: displayNameSchema,
    createdAt: z.number().int().nonnegative(),
    previousMemberIds: z.array(z.string().regex(ID_PATTERN)).max(10).optional(),
    // A field this version no longer accepts (a zone the browser dropped) is forgotten, not the profile.
    avatar: memberAvatarSchema.optional().catch(undefined),
    bio: bioSchema.optional().catch(undefined),
    timeZone: memberTimeZoneSchema.optional().catch(undefined),
  })
  .transform((profile) => {
    for (const field of MEMBER_PROFILE_FIELDS) if (profile[field] === undefined) delete profile[field];
    return profile;
  });
export type Profile = z.infer<typeof profileSchema>;

/** What the profile dialog saves: the name and what the member tells the group about themself. */
export type ProfileEdit = { readonly displayName: string } & MemberProfile;

/** What the member shows the group besides their name; the member record carries it (shared/community/member-profile.ts). */
export function memberProfileOf(profile: MemberProfile): MemberProfile {
  const fields: MemberProfile = {};
  for (const field of MEMBER_PROFILE_FIELDS) if (profile[field] !== undefined) Object.assign(fields, { [field]: profile[field] });
  return fields;
}

export interface LoadedProfile {
  readonly profile: Profile | null;
  /** Set when a stored profile was unreadable; its member id is kept if it was valid. */
  readonly damaged: boolean;
  readonly salvagedMemberId: string | null;
}

export async function loadProfile(store: DeviceSettings): Promise<LoadedProfile> {
  const stored = await store.getSetting(PROFILE_KEY);
  if (stored === undefined) return { profile: null, damaged: false, salvagedMemberId: null };
  const parsed = profileSchema.safeParse(stored);
  if (parsed.success) return { profile: parsed.data, damaged: false, salvagedMemberId: null };
  const memberId = z.object({ memberId: z.string().regex(ID_PATTERN) }).safeParse(stored);
  return { profile: null, damaged: true, salvagedMemberId: memberId.success ? memberId.data.memberId : null };
}

export async function saveProfile(
  store: DeviceSettings,
  displayName: string,
  existing: { memberId?: string | null; createdAt?: number; previousMemberIds?: readonly string[] | undefined } & MemberProfile = {},
): Promise<Profile> {
  const profile = profileSchema.parse({
    memberId: existing.memberId ?? newId(),
    displayName,
    createdAt: existing.createdAt ?? Date.now(),
    ...(existing.previousMemberIds?.length ? { previousMemberIds: [...existing.previousMemberIds] } : {}),
    ...memberProfileOf(existing),
  });
  await store.putSetting(PROFILE_KEY, profile);
  return profile;
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey && value.type === 'private';
}

/** This device's identity, made on first run; a stored one that does not hold together is replaced. */
export async function ensureIdentity(store: DeviceSettings): Promise<Identity> {
  const stored = (await store.getSetting(IDENTITY_KEY)) as Partial<Record<keyof Identity, unknown>> | undefined;
  if (
    stored &&
    typeof stored.memberId === 'string' &&
    typeof stored.publicKey === 'string' &&
    isCryptoKey(stored.privateKey) &&
    (await isKeyOf(stored.memberId, stored.publicKey))
  ) {
    return { memberId: stored.memberId, publicKey: stored.publicKey, privateKey: stored.privateKey };
  }
  const identity = await generateIdentity();
  await store.putSetting(IDENTITY_KEY, identity);
  return identity;
}

/** Moves a profile onto its identity's member id (see the note at the top of this file). */
export async function adoptIdentity(store: DeviceSettings, profile: Profile, identity: Identity): Promise<Profile> {
  if (profile.memberId === identity.memberId) return profile;
  const previous = [profile.memberId, ...(profile.previousMemberIds ?? [])].filter((id) => id !== identity.memberId).slice(0, 10);
  return saveProfile(store, profile.displayName, {
    ...memberProfileOf(profile),
    memberId: identity.memberId,
    createdAt: profile.createdAt,
    previousMemberIds: previous,
  });
}
