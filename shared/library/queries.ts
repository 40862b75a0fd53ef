// Reads of the library. Each returns plain, validated data; a resource a peer wrote in a shape this
// version does not understand is skipped and reported in `problems`, never thrown.
import * as Y from 'yjs';
import { resourcesMap } from './doc.js';
import {
  LIBRARY_TOP_LEVEL,
  RESOURCE_RECORD_VERSION,
  resourceCoreSchema,
  tagSchema,
  type ResourceCore,
  type ResourceKind,
} from './schema.js';
import { memoByDoc } from '../doc-memo.js';
import { checkRecord, readVersioned, type SchemaProblem } from '../doc/records.js';

export type Resource = ResourceCore & { readonly tags: readonly string[] };
export type LinkResource = Extract<Resource, { kind: 'link' }>;
export type FileResource = Extract<Resource, { kind: 'file' }>;
export type HowToResource = Extract<Resource, { kind: 'howto' }>;

export type ResourceSort = 'newest' | 'oldest' | 'title';

export interface ResourceQuery {
  readonly tag?: string | null;
  readonly kind?: ResourceKind | null;
  readonly sort?: ResourceSort;
}

export interface LibraryView {
  readonly resources: readonly Resource[];
  /** Every tag in the library with how many resources carry it, most used first. */
  readonly tags: readonly { readonly tag: string; readonly count: number }[];
  /** Resources in the library before filtering. */
  readonly total: number;
  readonly problems: readonly SchemaProblem[];
}

export interface ResourceSearchItem {
  readonly id: string;
  readonly kind: ResourceKind;
  readonly title: string;
  readonly text: string;
  readonly updatedAt: number;
}

function parseResource(key: string, value: unknown, problems: SchemaProblem[]): Resource | null {
  const where = `resources.${key}`;
  if (!(value instanceof Y.Map)) {
    problems.push({ where, message: 'not a record' });
    return null;
  }
  const json = value.toJSON() as Record<string, unknown>;
  const fields = readVersioned(json, RESOURCE_RECORD_VERSION, 'resource');
  const parsed = fields.ok ? checkRecord(resourceCoreSchema.safeParse(fields.fields), key, (resource) => resource.id) : fields;
  if (!parsed.ok) {
    problems.push({ where, message: parsed.message });
    return null;
  }
  const tags: string[] = [];
  const rawTags = json.tags;
  if (typeof rawTags === 'object' && rawTags !== null && !Array.isArray(rawTags)) {
    for (const [tag, flag] of Object.entries(rawTags)) {
      if (flag === true && tagSchema.safeParse(tag).data === tag) tags.push(tag);
      else problems.push({ where: `${where}.tags.${tag}`, message: 'not a valid tag' });
    }
  } else {
    problems.push({ where: `${where}.tags`, message: 'not a set' });
  }
  return { ...parsed.value, tags: tags.sort() };
}

function allResources(doc: Y.Doc, problems: SchemaProblem[]): Resource[] {
  const resources: Resource[] = [];
  for (const [key, value] of resourcesMap(doc).entries()) {
    const resource = parseResource(key, value, problems);
    if (resource) resources.push(resource);
  }
  return resources;
}

const byId = (a: Resource, b: Resource) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const COMPARATORS: Record<ResourceSort, (a: Resource, b: Resource) => number> = {
  newest: (a, b) => b.addedAt - a.addedAt || byId(a, b),
  oldest: (a, b) => a.addedAt - b.addedAt || byId(a, b),
  title: (a, b) => a.title.localeCompare(b.title, undefined, { sensitivity: 'base', numeric: true }) || byId(a, b),
};

/** The library, filtered by tag and kind and sorted (newest first unless asked otherwise). */
export function readLibrary(doc: Y.Doc, query: ResourceQuery = {}): LibraryView {
  const problems: SchemaProblem[] = [];
  const all = allResources(doc, problems);
  const counts = new Map<string, number>();
  for (const resource of all) for (const tag of resource.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const resources = all
    .filter((resource) => (!query.tag || resource.tags.includes(query.tag)) && (!query.kind || resource.kind === query.kind))
    .sort(COMPARATORS[query.sort ?? 'newest']);
  const tags = [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return { resources, tags, total: all.length, problems };
}

export function readResource(doc: Y.Doc, resourceId: string): Resource | null {
  return parseResource(resourceId, resourcesMap(doc).get(resourceId), []);
}

/** How many resources the library holds; never throws. Kept per document until it changes. */
export const countResources = memoByDoc((doc: Y.Doc): number => allResources(doc, []).length, { roots: [LIBRARY_TOP_LEVEL.resources] });

/** Resources as plain text for the search index. */
export function resourcesForSearch(doc: Y.Doc): ResourceSearchItem[] {
  return allResources(doc, []).map((resource) => {
    const parts = [resource.description, resource.tags.join(' ')];
    if (resource.kind === 'link') parts.push(resource.url);
    if (resource.kind === 'file') parts.push(resource.file.name);
    if (resource.kind === 'howto') parts.push(resource.body);
    return {
      id: resource.id,
      kind: resource.kind,
      title: resource.title,
      text: parts.filter((part) => part.length > 0).join('\n'),
      updatedAt: resource.updatedAt,
    };
  });
}
