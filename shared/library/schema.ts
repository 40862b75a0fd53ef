// The library's records in the community document: resources of three kinds (link, file, how-to),
// their limits, and the validators every library query runs before the UI sees a resource.
//
//   resources  Y.Map  resourceId → Y.Map { id, kind, title, description, tags: Y.Map<tag → true>,
//                                          addedBy, addedAt, updatedAt, and by kind:
//                                          link: url · file: file { hash, name, size, type } · howto: body }
//
// A file's bytes never enter the document: it holds the SHA-256 of the content, and the bytes live in
// the device's blob store (see blobs.ts). `tags` is created with its resource, never later (two peers
// creating it at once would each drop the other's tags).
import { z } from 'zod';
import { idSchema as id, timestampSchema as timestamp } from '../doc/records.js';
import { checkExternalUrl } from '../links.js';

export const LIBRARY_TOP_LEVEL = { resources: 'resources' } as const;

export const RESOURCE_KINDS = ['link', 'file', 'howto'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_KIND_LABELS = { link: 'Link', file: 'File', howto: 'How-to' } as const satisfies Record<ResourceKind, string>;

/** 25 MB: big enough for a slide deck or a short recording, small enough to pass between peers. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

export const LIBRARY_LIMITS = {
  titleChars: 200,
  descriptionChars: 2_000,
  howToChars: 20_000,
  tagChars: 32,
  tagsPerResource: 12,
  fileNameChars: 255,
  fileTypeChars: 255,
} as const;

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256 hash');

export const resourceTitleSchema = z
  .string()
  .trim()
  .min(1, 'Give it a title.')
  .max(LIBRARY_LIMITS.titleChars, `Keep the title under ${LIBRARY_LIMITS.titleChars} characters.`);

export const resourceDescriptionSchema = z
  .string()
  .trim()
  .max(LIBRARY_LIMITS.descriptionChars, `Keep the description under ${LIBRARY_LIMITS.descriptionChars.toLocaleString('en')} characters.`);

export const howToBodySchema = z
  .string()
  .trim()
  .min(1, 'Write the how-to first.')
  .max(
    LIBRARY_LIMITS.howToChars,
    `Keep a how-to under ${LIBRARY_LIMITS.howToChars.toLocaleString('en')} characters; longer guides fit better in notes.`,
  );

/** Only links Hearth would open: the same guard the host applies when a member clicks one. */
export const resourceUrlSchema = z.string().transform((value, context) => {
  const verdict = checkExternalUrl(value);
  if (!verdict.ok) {
    context.addIssue({ code: 'custom', message: verdict.reason });
    return z.NEVER;
  }
  return verdict.url;
});

/** Tags are short, lower-case words, so “Beginner” and “beginner ” are one tag. */
export const tagSchema = z
  .string()
  .transform((value) => value.trim().replace(/^#/, '').replace(/\s+/g, ' ').toLowerCase())
  .pipe(z.string().min(1, 'A tag needs a word.').max(LIBRARY_LIMITS.tagChars, `Keep tags under ${LIBRARY_LIMITS.tagChars} characters.`));

export const fileInfoSchema = z.object({
  hash: sha256HexSchema,
  name: z.string().trim().min(1, 'The file needs a name.').max(LIBRARY_LIMITS.fileNameChars, 'The file’s name is too long.'),
  size: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_FILE_BYTES, `Files up to ${formatBytes(MAX_FILE_BYTES)} can be added.`),
  type: z.string().max(LIBRARY_LIMITS.fileTypeChars),
});
export type FileInfo = z.infer<typeof fileInfoSchema>;

/** Version of the resource record's shape, stored as `v` (records from before versions read as 1). */
export const RESOURCE_RECORD_VERSION = 1;

const common = {
  id,
  title: resourceTitleSchema,
  description: resourceDescriptionSchema,
  addedBy: id,
  addedAt: timestamp,
  updatedAt: timestamp,
};

/** A resource's own fields; its tags are checked one by one by the queries. */
export const resourceCoreSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('link'), url: resourceUrlSchema }),
  z.object({ ...common, kind: z.literal('file'), file: fileInfoSchema }),
  z.object({ ...common, kind: z.literal('howto'), body: howToBodySchema }),
]);
export type ResourceCore = z.infer<typeof resourceCoreSchema>;

/** "2.4 MB", "980 KB", "12 bytes": sizes as people read them (1 MB = 1024 × 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 10 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
  return `${rounded} ${units[unit]}`;
}
