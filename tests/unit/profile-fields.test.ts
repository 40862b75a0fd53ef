import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { adoptIdentity, ensureIdentity, loadProfile, memberProfileOf, saveProfile } from '../../renderer/profile/profile.js';
import { differenceFromHere, placeOf, timeThere, zoneGroups } from '../../renderer/members/local-time.js';

function newStore(name: string) {
  return new DexieStore({ name, indexedDB: new IDBFactory(), IDBKeyRange });
}

describe('the local profile’s avatar, bio and time zone', () => {
  it('are saved, loaded, carried onto the identity’s id, and cleared when left out', async () => {
    const store = newStore('profile-fields');
    const saved = await saveProfile(store, 'Ada', {
      memberId: 'oldrandom0000001',
      createdAt: 5,
      avatar: { kind: 'initials', colour: 'lagoon' },
      bio: ' Runs the circle. ',
      timeZone: 'Europe/Lisbon',
    });
    expect(memberProfileOf(saved)).toEqual({
      avatar: { kind: 'initials', colour: 'lagoon' },
      bio: 'Runs the circle.',
      timeZone: 'Europe/Lisbon',
    });
    expect((await loadProfile(store)).profile).toEqual(saved);
    const moved = await adoptIdentity(store, saved, await ensureIdentity(store));
    expect(memberProfileOf(moved)).toEqual(memberProfileOf(saved));
    const cleared = await saveProfile(store, 'Ada', { ...moved, bio: undefined, avatar: undefined });
    expect(cleared).not.toHaveProperty('bio');
    expect(cleared).not.toHaveProperty('avatar');
    expect(cleared.timeZone).toBe('Europe/Lisbon');
    await store.close();
  });

  it('a stored field this version no longer accepts is forgotten, the profile kept', async () => {
    const store = newStore('profile-fields-stale');
    await store.putSetting('profile', {
      memberId: 'member000000001',
      displayName: 'Ada',
      createdAt: 1,
      timeZone: 'Atlantis/Capital',
      bio: 42,
      avatar: { kind: 'image', dataUrl: 'javascript:alert(1)' },
    });
    const loaded = await loadProfile(store);
    expect(loaded.damaged).toBe(false);
    expect(loaded.profile).toEqual({ memberId: 'member000000001', displayName: 'Ada', createdAt: 1 });
    await store.close();
  });
});

describe('local time in a member’s zone', () => {
  // 2025-01-15 23:30 UTC: already the 16th in Tokyo, still the 15th in New York.
  const at = Date.UTC(2025, 0, 15, 23, 30);

  it('names the place and says how far it is from here', () => {
    expect(placeOf('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(placeOf('UTC')).toBe('UTC');
    expect(differenceFromHere('Asia/Tokyo', at, 'UTC')).toBe('9 h ahead of you');
    expect(differenceFromHere('America/New_York', at, 'UTC')).toBe('5 h behind you');
    expect(differenceFromHere('Asia/Kolkata', at, 'Europe/Berlin')).toBe('4 h 30 min ahead of you');
    expect(differenceFromHere('Europe/Lisbon', at, 'UTC')).toBe('same time as you');
    // Daylight time counts: New York is 4 h behind UTC in July.
    expect(differenceFromHere('America/New_York', Date.UTC(2025, 6, 1, 12), 'UTC')).toBe('4 h behind you');
  });

  it('shows the weekday only when it is another day there', () => {
    // 23:30 UTC on Wednesday the 15th: Thursday 8:30 in Tokyo, Wednesday 18:30 in New York.
    expect(timeThere('Asia/Tokyo', at, 'UTC')).toMatch(/^Thu.* 8:30/);
    expect(timeThere('America/New_York', at, 'UTC')).toMatch(/^6:30/);
    // 02:00 UTC on Thursday the 16th: still Wednesday, 21:00, in New York.
    expect(timeThere('America/New_York', Date.UTC(2025, 0, 16, 2), 'UTC')).toMatch(/^Wed.* 9:00/);
    expect(timeThere('America/New_York', Date.UTC(2025, 0, 16, 2), 'America/Chicago')).toMatch(/^9:00/);
  });

  it('offers every accepted zone once, grouped by region, with its offset', () => {
    const groups = zoneGroups(at);
    const zones = groups.flatMap((group) => group.zones.map((zone) => zone.zone));
    expect(new Set(zones).size).toBe(zones.length);
    expect(zones).toContain('Asia/Tokyo');
    expect(zones).toContain('UTC');
    expect(groups.find((group) => group.region === 'Asia')?.zones.find((zone) => zone.zone === 'Asia/Tokyo')?.label).toBe('Tokyo (GMT+9)');
    expect(groups.at(-1)?.region).toBe('Other');
  });
});
