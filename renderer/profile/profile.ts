// The member's local profile on this device: a random member id and a display name. Kept in the local
// store's settings, not in any community document (each community gets a member record on joining).
import { z } from 'zod';
import { displayNameSchema } from '../../shared/community/schema.js';
import { ID_PATTERN, newId } from '../../shared/ids.js';
import type { DexieStore } from '../store/dexie-store.js';

const PROFILE_KEY = 'profile';

export const profileSchema = z.object({
  memberId: z.string().regex(ID_PATTERN),
  displayName: displayNameSchema,
  createdAt: z.number().int().nonnegative(),
});
export type Profile = z.infer<typeof profileSchema>;

export interface LoadedProfile {
  readonly profile: Profile | null;
  /** Set when a stored profile was unreadable; its member id is kept if it was valid. */
  readonly damaged: boolean;
  readonly salvagedMemberId: string | null;
}

export async function loadProfile(store: DexieStore): Promise<LoadedProfile> {
  const stored = await store.getSetting(PROFILE_KEY);
  if (stored === undefined) return { profile: null, damaged: false, salvagedMemberId: null };
  const parsed = profileSchema.safeParse(stored);
  if (parsed.success) return { profile: parsed.data, damaged: false, salvagedMemberId: null };
  const memberId = z.object({ memberId: z.string().regex(ID_PATTERN) }).safeParse(stored);
  return { profile: null, damaged: true, salvagedMemberId: memberId.success ? memberId.data.memberId : null };
}

export async function saveProfile(store: DexieStore, displayName: string, existing: { memberId?: string | null; createdAt?: number } = {}): Promise<Profile> {
  const profile = profileSchema.parse({
    memberId: existing.memberId ?? newId(),
    displayName,
    createdAt: existing.createdAt ?? Date.now(),
  });
  await store.putSetting(PROFILE_KEY, profile);
  return profile;
}
