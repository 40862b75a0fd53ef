import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCommunity, membersMap, upsertMember } from '../../shared/community/commands.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { readCommunity } from '../../shared/community/queries.js';
import {
  MAX_AVATAR_DATA_URL_CHARS,
  MAX_AVATAR_IMAGE_BYTES,
  avatarImageProblem,
  isMemberTimeZone,
  memberProfileSchema,
} from '../../shared/community/member-profile.js';
import { CommandError } from '../../shared/doc/records.js';

const founder = { id: 'founder00000001', displayName: 'Ada' };
const peer = 'member000000002';

function base64Of(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** A data: URL whose bytes start as `type` says, padded to `size` bytes. */
function imageDataUrl(type: 'png' | 'jpeg' | 'webp', size = 600): string {
  const head = {
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    jpeg: [0xff, 0xd8, 0xff, 0xe0],
    webp: [0x52, 0x49, 0x46, 0x46, 0x10, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50],
  }[type];
  const bytes = new Uint8Array(size);
  bytes.set(head);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/${type};base64,${btoa(binary)}`;
}

function community() {
  const doc = new Y.Doc();
  createCommunity(doc, {
    name: 'Tuesday Mastermind',
    purpose: '',
    kind: 'mastermind',
    founder,
    now: 1_700_000_000_000,
    id: 'community0000001',
  });
  return doc;
}

/** What a peer's app could write straight into the member map, past every command. */
function peerWrites(doc: Y.Doc, fields: Record<string, unknown>) {
  membersMap(doc).set(peer, { id: peer, displayName: 'Mallory', role: 'member', joinedAt: 5, ...fields });
}

describe('member profile fields', () => {
  it('accepts a picture only as a bounded base64 data: URL of WebP, JPEG or PNG that really is one', () => {
    expect(avatarImageProblem(imageDataUrl('png'))).toBeNull();
    expect(avatarImageProblem(imageDataUrl('jpeg'))).toBeNull();
    expect(avatarImageProblem(imageDataUrl('webp'))).toBeNull();
    expect(avatarImageProblem(imageDataUrl('webp', MAX_AVATAR_IMAGE_BYTES))).toBeNull();
    expect(imageDataUrl('webp', MAX_AVATAR_IMAGE_BYTES).length).toBeLessThanOrEqual(MAX_AVATAR_DATA_URL_CHARS);

    const hostile: [unknown, RegExp][] = [
      [imageDataUrl('webp', MAX_AVATAR_IMAGE_BYTES + 3), /larger than 16 KB/],
      ['javascript:alert(1)', /data: URL/],
      ['JAVASCRIPT:alert(1)//data:image/png;base64,iVBORw0KGgo=', /data: URL/],
      ['https://tracker.example/pixel.png', /data: URL/],
      ['file:///etc/passwd', /data: URL/],
      [`data:image/svg+xml;base64,${base64Of(new TextEncoder().encode('<svg onload="alert(1)"/>'))}`, /WebP, JPEG or PNG/],
      ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', /WebP, JPEG or PNG/],
      ['data:image/png,<svg/onload=alert(1)>', /WebP, JPEG or PNG/],
      [`data:image/png;base64,${base64Of(new TextEncoder().encode('<html><script>alert(1)</script>'))}`, /not a PNG/],
      [imageDataUrl('jpeg').replace('image/jpeg', 'image/png'), /not a PNG/],
      [`${imageDataUrl('png')}"><img src=x onerror=alert(1)>`, /WebP, JPEG or PNG/],
      [imageDataUrl('png').slice(0, -1), /cut short/],
      [' ' + imageDataUrl('png'), /data: URL/],
      [42, /data: URL/],
      [null, /data: URL/],
    ];
    for (const [value, message] of hostile) expect(avatarImageProblem(value), String(value).slice(0, 60)).toMatch(message);
  });

  it('takes IANA time zones this runtime knows, and nothing else', () => {
    for (const zone of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Asia/Calcutta', 'UTC', 'Etc/UTC'])
      expect(isMemberTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', '+01:00', 'Europe/Berlin; DROP', '', 'x'.repeat(65), 'Europe/../../etc', 42, null, {}])
      expect(isMemberTimeZone(zone), String(zone)).toBe(false);
  });

  it('limits a bio to 280 characters and trims it', () => {
    expect(memberProfileSchema.parse({ bio: '  Coach for first-time founders.  ' }).bio).toBe('Coach for first-time founders.');
    expect(memberProfileSchema.safeParse({ bio: 'x'.repeat(281) }).success).toBe(false);
    expect(memberProfileSchema.safeParse({ avatar: { kind: 'initials', colour: 'teal' } }).success).toBe(true);
    expect(memberProfileSchema.safeParse({ avatar: { kind: 'initials', colour: '#ff0000' } }).success).toBe(false);
    expect(memberProfileSchema.safeParse({ avatar: { kind: 'initials', colour: 'teal', style: 'position:fixed' } }).success).toBe(false);
  });
});

describe('profile fields in the member record', () => {
  it('writes avatar, bio and time zone with the name, keeping role and join date', () => {
    const doc = community();
    upsertMember(doc, {
      id: founder.id,
      displayName: 'Ada Lovelace',
      profile: { avatar: { kind: 'initials', colour: 'violet' }, bio: 'Runs the Tuesday circle.', timeZone: 'Europe/London' },
    });
    const view = readCommunity(doc);
    expect(view.problems).toEqual([]);
    expect(view.members).toEqual([
      {
        id: founder.id,
        displayName: 'Ada Lovelace',
        role: 'owner',
        joinedAt: 1_700_000_000_000,
        avatar: { kind: 'initials', colour: 'violet' },
        bio: 'Runs the Tuesday circle.',
        timeZone: 'Europe/London',
      },
    ]);
  });

  it('replaces all profile fields when a profile is given, keeps them when only the name changes', () => {
    const doc = community();
    const picture = imageDataUrl('webp', 4000);
    upsertMember(doc, {
      id: founder.id,
      displayName: 'Ada',
      profile: { avatar: { kind: 'image', dataUrl: picture }, bio: 'Hi', timeZone: 'Asia/Tokyo' },
    });
    upsertMember(doc, { id: founder.id, displayName: 'Ada L.' });
    expect(readCommunity(doc).members[0]).toMatchObject({
      displayName: 'Ada L.',
      avatar: { kind: 'image', dataUrl: picture },
      bio: 'Hi',
      timeZone: 'Asia/Tokyo',
    });
    upsertMember(doc, { id: founder.id, displayName: 'Ada L.', profile: { bio: '   ' } });
    expect(readCommunity(doc).members[0]).toEqual({ id: founder.id, displayName: 'Ada L.', role: 'owner', joinedAt: 1_700_000_000_000 });
  });

  it('does not write an unchanged record again', () => {
    const doc = community();
    const profile = { avatar: { kind: 'initials', colour: 'teal' }, timeZone: 'UTC' } as const;
    upsertMember(doc, { id: founder.id, displayName: 'Ada', profile });
    let writes = 0;
    doc.on('update', () => (writes += 1));
    upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { timeZone: 'UTC', avatar: { colour: 'teal', kind: 'initials' } } });
    upsertMember(doc, { id: founder.id, displayName: 'Ada' });
    expect(writes).toBe(0);
    upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { timeZone: 'Asia/Tokyo' } });
    expect(writes).toBe(1);
  });

  it('refuses a bad profile in a command with a clear message, leaving the record as it was', () => {
    const doc = community();
    const before = readCommunity(doc).members;
    expect(() => upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { bio: 'x'.repeat(281) } })).toThrow(
      /under 280 characters/,
    );
    expect(() => upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { timeZone: 'Mars/Olympus_Mons' } })).toThrow(
      /time zone/,
    );
    expect(() =>
      upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { avatar: { kind: 'image', dataUrl: 'javascript:alert(1)' } } }),
    ).toThrow(CommandError);
    expect(() =>
      createCommunity(new Y.Doc(), {
        name: 'Club',
        purpose: '',
        kind: 'hobby',
        founder: { ...founder, profile: { avatar: { kind: 'initials', colour: 'chartreuse' as never } } },
      }),
    ).toThrow(CommandError);
    expect(readCommunity(doc).members).toEqual(before);
  });

  it('starts a community with the founder’s profile', () => {
    const doc = new Y.Doc();
    createCommunity(doc, {
      name: 'Club',
      purpose: '',
      kind: 'hobby',
      founder: { ...founder, profile: { bio: 'Founder', timeZone: 'America/New_York' } },
      now: 1,
    });
    expect(readCommunity(doc).members[0]).toMatchObject({ bio: 'Founder', timeZone: 'America/New_York', role: 'owner' });
  });

  it('reads records from before profiles, and an older reader ignores the new fields', () => {
    const doc = community();
    membersMap(doc).set(peer, { id: peer, displayName: 'Grace', role: 'member', joinedAt: 5 });
    upsertMember(doc, { id: founder.id, displayName: 'Ada', profile: { bio: 'Hello', timeZone: 'UTC' } });
    const view = readCommunity(doc);
    expect(view.problems).toEqual([]);
    expect(view.members.map((member) => member.displayName)).toEqual(['Ada', 'Grace']);
    // A peer on a version without profiles validates with the old shape, which strips unknown keys.
    const raw = membersMap(doc).get(founder.id) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(['bio', 'displayName', 'id', 'joinedAt', 'role', 'timeZone']);
  });

  it('drops a hostile or malformed profile field from a peer alone, reports it, and still shows the member', () => {
    const hostile: [string, Record<string, unknown>][] = [
      ['bio', { bio: 'x'.repeat(100_000) }],
      ['bio', { bio: 42 }],
      ['bio', { bio: { toString: 'alert(1)' } }],
      ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
      ['timeZone', { timeZone: '+01:00' }],
      ['timeZone', { timeZone: ['Europe/Berlin'] }],
      ['avatar', { avatar: { kind: 'image', dataUrl: 'javascript:alert(document.cookie)' } }],
      ['avatar', { avatar: { kind: 'image', dataUrl: 'https://tracker.example/me.png' } }],
      ['avatar', { avatar: { kind: 'image', dataUrl: imageDataUrl('png', 1_000_000) } }],
      ['avatar', { avatar: { kind: 'initials', colour: 'red; background:url(https://x)' } }],
      ['avatar', { avatar: { kind: 'html', html: '<img src=x onerror=alert(1)>' } }],
      ['avatar', { avatar: 'data:image/png;base64,iVBORw0KGgo=' }],
    ];
    for (const [field, fields] of hostile) {
      const doc = community();
      peerWrites(doc, { bio: 'Kept', timeZone: 'Asia/Tokyo', avatar: { kind: 'initials', colour: 'green' }, ...fields });
      const view = readCommunity(doc);
      const mallory = view.members.find((member) => member.id === peer);
      expect(mallory, JSON.stringify(fields).slice(0, 80)).toBeDefined();
      expect(mallory).not.toHaveProperty(field);
      expect(mallory?.displayName).toBe('Mallory');
      expect(view.problems.map((problem) => problem.where)).toEqual([`members.${peer}.${field}`]);
      // The rest of the record stands.
      for (const other of ['bio', 'timeZone', 'avatar'].filter((name) => name !== field)) expect(mallory).toHaveProperty(other);
    }
  });

  it('still skips a record whose own fields are wrong, and a wrong profile field does not cost a member their role', async () => {
    const doc = community();
    peerWrites(doc, { displayName: 42, bio: 'Fine' });
    membersMap(doc).set('member000000003', {
      id: 'member000000003',
      displayName: 'Lin',
      role: 'member',
      joinedAt: 7,
      timeZone: 'Nowhere/City',
      bio: 'x'.repeat(500),
    });
    const view = readCommunity(doc);
    expect(view.members.map((member) => member.displayName)).toEqual(['Ada', 'Lin']);
    expect(view.problems.map((problem) => problem.where).sort()).toEqual([
      `members.${peer}`,
      'members.member000000003.bio',
      'members.member000000003.timeZone',
    ]);
    // Communities from before signed roles take roles from the member list.
    const legacy = await readMembership(doc, 'community0000001');
    expect(legacy.roles.get('member000000003')).toBe('member');
  });

  it('converges when members edit their profiles at once, in any delivery order', () => {
    const a = community();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    upsertMember(b, { id: peer, displayName: 'Grace', now: 2, profile: { bio: 'Designer', timeZone: 'Europe/Lisbon' } });
    upsertMember(a, { id: founder.id, displayName: 'Ada', profile: { avatar: { kind: 'initials', colour: 'ochre' } } });
    const fromA = Y.encodeStateAsUpdate(a);
    const fromB = Y.encodeStateAsUpdate(b);
    Y.applyUpdate(a, fromB);
    Y.applyUpdate(b, fromA);
    expect(readCommunity(a).members).toEqual(readCommunity(b).members);
    expect(readCommunity(a).members.map((member) => [member.displayName, member.bio ?? member.avatar?.kind])).toEqual([
      ['Ada', 'initials'],
      ['Grace', 'Designer'],
    ]);
  });
});
