// What a member tells the group about themself beyond their name: an avatar (initials on a colour
// from a small palette, or a small picture), a short bio and their time zone. These ride in the member
// record of every community they belong to (schema.ts), so every field here is bounded: a picture is
// a data: URL of at most MAX_AVATAR_IMAGE_BYTES, never a link that would make members' apps fetch.
//
// Peers are untrusted: the same schemas check what a peer wrote. A picture must be a base64 data: URL
// of WebP, JPEG or PNG whose first bytes are really that format; SVG (which can carry script) and
// every other scheme (javascript:, http:, file:) are refused.
import { z } from 'zod';
import { isTimeZone } from '../events/time-zone.js';

/** Named, not hex, so the palette can be retuned (or given dark-mode variants) without migrating records. */
export const AVATAR_COLOURS = ['ember', 'teal', 'violet', 'rose', 'blue', 'green', 'ochre', 'indigo', 'lagoon', 'red'] as const;
export type AvatarColour = (typeof AVATAR_COLOURS)[number];

export const AVATAR_COLOUR_LABELS = {
  ember: 'Ember',
  teal: 'Teal',
  violet: 'Violet',
  rose: 'Rose',
  blue: 'Blue',
  green: 'Green',
  ochre: 'Ochre',
  indigo: 'Indigo',
  lagoon: 'Lagoon',
  red: 'Red',
} as const satisfies Record<AvatarColour, string>;

export const AVATAR_IMAGE_TYPES = ['image/webp', 'image/jpeg', 'image/png'] as const;
export type AvatarImageType = (typeof AVATAR_IMAGE_TYPES)[number];

/** A 96×96 WebP is 2–6 KB; 16 KB keeps 30 members' pictures under half a megabyte of document. */
export const MAX_AVATAR_IMAGE_BYTES = 16 * 1024;
const LONGEST_PREFIX = 'data:image/webp;base64,'.length;
/** Base64 of MAX_AVATAR_IMAGE_BYTES plus the longest prefix. */
export const MAX_AVATAR_DATA_URL_CHARS = LONGEST_PREFIX + Math.ceil(MAX_AVATAR_IMAGE_BYTES / 3) * 4;

export const PROFILE_LIMITS = {
  bioChars: 280,
  timeZoneChars: 64,
} as const;

const DATA_URL_PATTERN = /^data:(image\/(?:webp|jpeg|png));base64,([A-Za-z0-9+/]+={0,2})$/;

/** The first bytes each accepted format starts with (RIFF….WEBP is checked in two parts). */
function startsAs(type: AvatarImageType, bytes: Uint8Array): boolean {
  const at = (offset: number, expected: readonly number[]) => expected.every((byte, index) => bytes[offset + index] === byte);
  switch (type) {
    case 'image/png':
      return at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return at(0, [0xff, 0xd8, 0xff]);
    case 'image/webp':
      return at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]);
  }
}

/** Why `value` is not an acceptable avatar picture, or null when it is. */
export function avatarImageProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'a picture must be a data: URL';
  if (value.length > MAX_AVATAR_DATA_URL_CHARS) return `the picture is larger than ${MAX_AVATAR_IMAGE_BYTES / 1024} KB`;
  const match = DATA_URL_PATTERN.exec(value);
  if (!match) return 'a picture must be a base64 data: URL of a WebP, JPEG or PNG image';
  const [, type, base64] = match as unknown as [string, AvatarImageType, string];
  if (base64.length % 4 !== 0) return 'the picture’s data is cut short';
  // Only the head is decoded: enough to tell the format, cheap on every read of the member list.
  let head: string;
  try {
    head = atob(base64.slice(0, 16));
  } catch {
    return 'the picture’s data is not base64';
  }
  const bytes = Uint8Array.from(head, (char) => char.charCodeAt(0));
  return startsAs(type, bytes) ? null : `the picture’s data is not a ${type.slice('image/'.length).toUpperCase()} image`;
}

export const avatarImageSchema = z.string().superRefine((value, context) => {
  const problem = avatarImageProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

export const memberAvatarSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('initials'), colour: z.enum(AVATAR_COLOURS) }),
  z.strictObject({ kind: z.literal('image'), dataUrl: avatarImageSchema }),
]);
export type MemberAvatar = z.infer<typeof memberAvatarSchema>;

export const bioSchema = z.string().trim().max(PROFILE_LIMITS.bioChars, `Keep your bio under ${PROFILE_LIMITS.bioChars} characters.`);

// An IANA name ("Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"): newer
// engines also take offsets ("+01:00") as zones, which are not places and do not follow daylight time.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;
let supportedZones: ReadonlySet<string> | null | undefined;

/** Whether `zone` is an IANA time zone this runtime knows, by Intl.supportedValuesOf where it exists. */
export function isMemberTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length > PROFILE_LIMITS.timeZoneChars || !ZONE_NAME.test(zone) || !isTimeZone(zone)) return false;
  if (supportedZones === undefined)
    supportedZones = typeof Intl.supportedValuesOf === 'function' ? new Set(Intl.supportedValuesOf('timeZone')) : null;
  if (!supportedZones || supportedZones.has(zone)) return true;
  // The list holds canonical names only, and Chromium's leaves out "UTC": an alias ("Asia/Calcutta",
  // "Etc/UTC") counts when the name it stands for is listed.
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return canonical === 'UTC' || supportedZones.has(canonical);
}

export const memberTimeZoneSchema = z.string().refine(isMemberTimeZone, 'Pick a time zone from the list.');

/** The optional profile fields of a member record, checked strictly (commands refuse what fails). */
export const memberProfileSchema = z.object({
  avatar: memberAvatarSchema.optional(),
  bio: bioSchema.optional(),
  timeZone: memberTimeZoneSchema.optional(),
});
export type MemberProfile = z.infer<typeof memberProfileSchema>;

export const MEMBER_PROFILE_FIELDS = ['avatar', 'bio', 'timeZone'] as const satisfies readonly (keyof MemberProfile)[];
