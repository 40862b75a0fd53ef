// Every change to the library: add a link, a file or a how-to, edit, retag, delete. Each validates its
// input and runs in one transaction with the local origin.
import * as Y from 'yjs';
import { ID_PATTERN, newId } from '../ids.js';
import { resourcesMap } from './doc.js';
import {
  LIBRARY_LIMITS,
  RESOURCE_RECORD_VERSION,
  fileInfoSchema,
  howToBodySchema,
  resourceDescriptionSchema,
  resourceTitleSchema,
  resourceUrlSchema,
  tagSchema,
  type FileInfo,
} from './schema.js';
import { CommandError, LOCAL_ORIGIN, parse } from '../doc/records.js';

/** Normalises tags (trimmed, lower-case, no leading #), drops repeats, and enforces the limit. */
export function parseTags(tags: readonly string[]): string[] {
  const unique = [...new Set(tags.filter((tag) => tag.trim().length > 0).map((tag) => parse(tagSchema, tag)))];
  if (unique.length > LIBRARY_LIMITS.tagsPerResource) throw new CommandError(`Use up to ${LIBRARY_LIMITS.tagsPerResource} tags.`);
  return unique;
}

interface Common {
  readonly by: string;
  readonly tags?: readonly string[];
  readonly description?: string;
  readonly now?: number;
  readonly id?: string;
}

export interface NewLink extends Common {
  readonly url: string;
  /** The link's address stands in when left empty. */
  readonly title?: string;
}

export interface NewFile extends Common {
  /** What storeFile returned once the bytes were in the blob store. */
  readonly file: FileInfo;
  /** The file's name stands in when left empty. */
  readonly title?: string;
}

export interface NewHowTo extends Common {
  readonly title: string;
  readonly body: string;
}

function addResource(doc: Y.Doc, input: Common, fields: Record<string, unknown>): string {
  if (!ID_PATTERN.test(input.by)) throw new CommandError('That is not a valid member id.');
  const description = parse(resourceDescriptionSchema, input.description ?? '');
  const tags = parseTags(input.tags ?? []);
  const id = input.id ?? newId();
  if (resourcesMap(doc).has(id)) throw new CommandError('A resource with this id already exists.');
  const now = input.now ?? Date.now();
  doc.transact(() => {
    const record = new Y.Map<unknown>();
    resourcesMap(doc).set(id, record);
    record.set('v', RESOURCE_RECORD_VERSION);
    record.set('id', id);
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
    record.set('description', description);
    const tagMap = new Y.Map<unknown>();
    record.set('tags', tagMap);
    for (const tag of tags) tagMap.set(tag, true);
    record.set('addedBy', input.by);
    record.set('addedAt', now);
    record.set('updatedAt', now);
  }, LOCAL_ORIGIN);
  return id;
}

/** Adds a link; only links Hearth would open (web and e-mail) are accepted. */
export function addLink(doc: Y.Doc, input: NewLink): string {
  const url = parse(resourceUrlSchema, input.url);
  const title = parse(resourceTitleSchema, input.title?.trim() ? input.title : titleFromUrl(url));
  return addResource(doc, input, { kind: 'link', title, url });
}

/** Records a file whose bytes are already in the blob store (see storeFile in blobs.ts). */
export function addFile(doc: Y.Doc, input: NewFile): string {
  const file = parse(fileInfoSchema, input.file);
  const title = parse(resourceTitleSchema, input.title?.trim() ? input.title : file.name.slice(0, LIBRARY_LIMITS.titleChars));
  return addResource(doc, input, { kind: 'file', title, file });
}

export function addHowTo(doc: Y.Doc, input: NewHowTo): string {
  const title = parse(resourceTitleSchema, input.title);
  const body = parse(howToBodySchema, input.body);
  return addResource(doc, input, { kind: 'howto', title, body });
}

export interface ResourceEdit {
  readonly title?: string;
  readonly description?: string;
  /** Links only. */
  readonly url?: string;
  /** How-tos only. */
  readonly body?: string;
}

/** Changes some fields of a resource; each merges on its own with a peer's edit of another field. */
export function updateResource(doc: Y.Doc, resourceId: string, edit: ResourceEdit, now = Date.now()): void {
  const record = requireResource(doc, resourceId);
  const kind = record.get('kind');
  const changes: [string, unknown][] = [];
  if (edit.title !== undefined) changes.push(['title', parse(resourceTitleSchema, edit.title)]);
  if (edit.description !== undefined) changes.push(['description', parse(resourceDescriptionSchema, edit.description)]);
  if (edit.url !== undefined) {
    if (kind !== 'link') throw new CommandError('Only links have an address.');
    changes.push(['url', parse(resourceUrlSchema, edit.url)]);
  }
  if (edit.body !== undefined) {
    if (kind !== 'howto') throw new CommandError('Only how-tos have a text.');
    changes.push(['body', parse(howToBodySchema, edit.body)]);
  }
  const changed = changes.filter(([key, value]) => record.get(key) !== value);
  if (changed.length === 0) return;
  doc.transact(() => {
    for (const [key, value] of changed) record.set(key, value);
    record.set('updatedAt', now);
  }, LOCAL_ORIGIN);
}

/** Makes a resource's tags exactly `tags`; tags another member adds meanwhile are kept. */
export function setResourceTags(doc: Y.Doc, resourceId: string, tags: readonly string[], now = Date.now()): void {
  const record = requireResource(doc, resourceId);
  const tagMap = record.get('tags');
  if (!(tagMap instanceof Y.Map)) throw new CommandError('This resource was saved in a shape this version of Hearth cannot change.');
  const wanted = new Set(parseTags(tags));
  const current = new Set(tagMap.keys());
  const removed = [...current].filter((tag) => !wanted.has(tag));
  const added = [...wanted].filter((tag) => !current.has(tag));
  if (removed.length === 0 && added.length === 0) return;
  doc.transact(() => {
    for (const tag of removed) tagMap.delete(tag);
    for (const tag of added) tagMap.set(tag, true);
    record.set('updatedAt', now);
  }, LOCAL_ORIGIN);
}

/** Removes a resource from the library. A file's bytes stay in this device's blob store. */
export function deleteResource(doc: Y.Doc, resourceId: string): void {
  requireResource(doc, resourceId);
  doc.transact(() => resourcesMap(doc).delete(resourceId), LOCAL_ORIGIN);
}

function requireResource(doc: Y.Doc, resourceId: string): Y.Map<unknown> {
  const record = resourcesMap(doc).get(resourceId);
  if (!(record instanceof Y.Map)) throw new CommandError('That resource no longer exists.');
  return record;
}

/** "example.com/guides/start" for a link without a title. */
function titleFromUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'mailto:') return parsed.pathname;
    const path = parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/$/, '');
    return `${parsed.hostname.replace(/^www\./, '')}${path}`.slice(0, LIBRARY_LIMITS.titleChars);
  } catch {
    return url.slice(0, LIBRARY_LIMITS.titleChars);
  }
}
