// The Library section: resources as a list or a grid, filtered by kind and tag and sorted by date or
// title; adding links, files and how-tos; opening a link through the host's allowlist and saving a
// file through the host's save dialog (a download in browser mode). Over 400 lines once formatted:
// the list and grid views, filters and the resource actions share one filtered view and its state.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  AlertTriangle,
  BookOpen,
  ChevronDown,
  ChevronUp,
  CloudOff,
  Download,
  ExternalLink,
  FileText,
  LayoutGrid,
  Lightbulb,
  Link2,
  List,
  Tag,
  Trash2,
  X,
} from 'lucide-react';
import type { HostApi } from '../../shared/host-api.js';
import { fetchBlob, type BlobStore, type RemoteBlobSource } from '../../shared/library/blobs.js';
import { deleteResource } from '../../shared/library/commands.js';
import { readLibrary, type Resource, type ResourceSort } from '../../shared/library/queries.js';
import { RESOURCE_KIND_LABELS, formatBytes, type ResourceKind } from '../../shared/library/schema.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { errorMessage } from '../../shared/errors.js';
import type { SectionProps } from '../communities/section-types.js';
import { Avatar } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { AddResourceDialog } from './AddResourceDialog.js';
import { dexieBlobStore } from './blob-store.js';
import '../ui/controls.css';
import './library.css';

type Layout = 'list' | 'grid';

export const KIND_ICONS = {
  link: Link2,
  file: FileText,
  howto: Lightbulb,
} as const satisfies Record<ResourceKind, unknown>;

const SORT_LABELS = { newest: 'Newest first', oldest: 'Oldest first', title: 'Title A–Z' } as const satisfies Record<ResourceSort, string>;

/** Which of these blobs are on this device; asked again whenever the list of hashes changes. */
function useBlobsHere(blobs: BlobStore, hashes: readonly string[], refresh: number): ReadonlySet<string> {
  const [here, setHere] = useState<ReadonlySet<string>>(new Set());
  const key = hashes.join(',');
  useEffect(() => {
    let cancelled = false;
    Promise.all(hashes.map(async (hash) => ((await blobs.has(hash)) ? hash : null))).then(
      (found) => {
        if (!cancelled) setHere(new Set(found.filter((hash): hash is string => hash !== null)));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
    // `key` stands for `hashes`.
  }, [blobs, key, refresh]);
  return here;
}

export function LibraryPanel({ community, view: communityView, profile, store, host, focus }: SectionProps) {
  const doc = community.doc;
  const blobs = useMemo(() => dexieBlobStore(store), [store]);
  const [kind, setKind] = useState<ResourceKind | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [sort, setSort] = useState<ResourceSort>('newest');
  const [layout, setLayout] = useState<Layout>('list');
  const [adding, setAdding] = useState<ResourceKind | null>(null);
  const [notice, setNotice] = useState<{ tone: 'danger' | 'warn' | 'ok'; text: string } | null>(null);
  const [blobRefresh, setBlobRefresh] = useState(0);
  const library = useDocQuery(doc, (current) => readLibrary(current, { kind, tag, sort }), [kind, tag, sort]);
  const hashes = useMemo(() => library.resources.flatMap((resource) => (resource.kind === 'file' ? [resource.file.hash] : [])), [library]);
  const here = useBlobsHere(blobs, hashes, blobRefresh);
  const membersById = useMemo(() => new Map(communityView.members.map((member) => [member.id, member])), [communityView.members]);

  // A tag filter that no resource carries any more would hide everything for no visible reason.
  useEffect(() => {
    if (tag && !library.tags.some((entry) => entry.tag === tag)) setTag(null);
  }, [tag, library.tags]);

  // Search asked for a resource: clear the filters that could hide it, then bring it into view.
  const [highlighted, setHighlighted] = useState<string | null>(null);
  useEffect(() => {
    if (focus?.section !== 'library') return;
    setKind(null);
    setTag(null);
    setHighlighted(focus.itemId);
  }, [focus]);
  useEffect(() => {
    const item = highlighted ? document.getElementById(`resource-${highlighted}`)?.closest('li') : null;
    item?.scrollIntoView({ block: 'center' });
    item?.focus({ preventScroll: true });
  }, [highlighted]);

  const filtered = kind !== null || tag !== null;

  return (
    <div className="library">
      <div className="library-toolbar">
        <div className="add-buttons" role="group" aria-label="Add to the library">
          <button type="button" className="button primary" onClick={() => setAdding('link')}>
            <Link2 size={16} aria-hidden="true" /> Add link
          </button>
          <button type="button" className="button" onClick={() => setAdding('file')}>
            <FileText size={16} aria-hidden="true" /> Add file
          </button>
          <button type="button" className="button" onClick={() => setAdding('howto')}>
            <Lightbulb size={16} aria-hidden="true" /> Add how-to
          </button>
        </div>
        {library.total > 0 ? (
          <div className="view-controls">
            <select
              className="select compact"
              aria-label="Sort"
              value={sort}
              onChange={(event) => setSort(event.target.value as ResourceSort)}
            >
              {Object.entries(SORT_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <div className="segmented" role="group" aria-label="Layout">
              <button type="button" aria-pressed={layout === 'list'} aria-label="List" onClick={() => setLayout('list')}>
                <List size={16} aria-hidden="true" />
              </button>
              <button type="button" aria-pressed={layout === 'grid'} aria-label="Grid" onClick={() => setLayout('grid')}>
                <LayoutGrid size={16} aria-hidden="true" />
              </button>
            </div>
          </div>
        ) : null}
      </div>

      {library.total > 0 ? (
        <div className="library-filters">
          <div className="segmented labelled" role="group" aria-label="Kind">
            <button type="button" aria-pressed={kind === null} onClick={() => setKind(null)}>
              All
            </button>
            {(Object.keys(RESOURCE_KIND_LABELS) as ResourceKind[]).map((candidate) => {
              const Icon = KIND_ICONS[candidate];
              return (
                <button
                  key={candidate}
                  type="button"
                  aria-pressed={kind === candidate}
                  onClick={() => setKind(kind === candidate ? null : candidate)}
                >
                  <Icon size={14} aria-hidden="true" /> {RESOURCE_KIND_LABELS[candidate]}s
                </button>
              );
            })}
          </div>
          {library.tags.length > 0 ? (
            <div className="tag-filter" role="group" aria-label="Filter by tag">
              <Tag size={14} aria-hidden="true" className="muted" />
              {library.tags.slice(0, 16).map(({ tag: candidate, count }) => (
                <button
                  key={candidate}
                  type="button"
                  className="tag-chip"
                  aria-pressed={tag === candidate}
                  onClick={() => setTag(tag === candidate ? null : candidate)}
                >
                  {candidate} <span className="tag-count">{count}</span>
                </button>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}

      {notice ? (
        <div className={`banner ${notice.tone === 'ok' ? 'ok' : notice.tone}`} role={notice.tone === 'ok' ? 'status' : 'alert'}>
          {notice.tone === 'ok' ? <Download size={18} aria-hidden="true" /> : <AlertTriangle size={18} aria-hidden="true" />}
          <div className="grow">{notice.text}</div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : null}
      {library.problems.length > 0 ? (
        <div className="banner warn" role="status">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            {library.problems.length === 1 ? 'One item in the library' : `${library.problems.length} items in the library`} could not be
            read and {library.problems.length === 1 ? 'is' : 'are'} hidden. Nothing was deleted.
          </div>
        </div>
      ) : null}

      {library.total === 0 ? (
        <div className="card">
          <EmptyState big icon={<BookOpen size={28} />} title="The library is empty">
            Collect the links, files and how-tos your group keeps coming back to. Everything is tagged, kept on every member’s device, and
            there when you are offline.
          </EmptyState>
        </div>
      ) : library.resources.length === 0 ? (
        <div className="card">
          <EmptyState
            icon={<Tag size={20} />}
            title="Nothing matches"
            action={
              <button
                type="button"
                className="button small"
                style={{ justifySelf: 'start' }}
                onClick={() => {
                  setKind(null);
                  setTag(null);
                }}
              >
                Show everything
              </button>
            }
          >
            No {kind ? `${RESOURCE_KIND_LABELS[kind].toLowerCase()}s` : 'resources'} {tag ? `tagged “${tag}”` : ''} yet.
          </EmptyState>
        </div>
      ) : (
        <ul className={`resource-list ${layout}`} aria-label={filtered ? 'Matching resources' : 'Resources'}>
          {library.resources.map((resource) => (
            <ResourceItem
              key={resource.id}
              resource={resource}
              addedBy={membersById.get(resource.addedBy)}
              blobHere={resource.kind === 'file' ? here.has(resource.file.hash) : true}
              highlighted={resource.id === highlighted}
              onTag={setTag}
              onOpen={() =>
                openResource(resource, host, blobs, setNotice, community.sync ? (hash) => community.sync!.requestBlob(hash) : undefined)
              }
              onDelete={() => deleteResource(doc, resource.id)}
            />
          ))}
        </ul>
      )}

      <AddResourceDialog
        kind={adding}
        doc={doc}
        blobs={blobs}
        memberId={profile.memberId}
        onClose={() => setAdding(null)}
        onAdded={() => {
          setAdding(null);
          setBlobRefresh((value) => value + 1);
        }}
      />
    </div>
  );
}

type SetNotice = (notice: { tone: 'danger' | 'warn' | 'ok'; text: string } | null) => void;

async function openResource(
  resource: Resource,
  host: HostApi,
  blobs: BlobStore,
  setNotice: SetNotice,
  fromMembers?: RemoteBlobSource,
): Promise<void> {
  try {
    if (resource.kind === 'link') {
      const result = await host.openExternal(resource.url);
      setNotice(result.opened ? null : { tone: 'danger', text: `That link was not opened: ${result.reason}` });
    } else if (resource.kind === 'file') {
      if (fromMembers && !(await blobs.has(resource.file.hash)))
        setNotice({ tone: 'ok', text: `Fetching “${resource.file.name}” from members online…` });
      const found = await fetchBlob(blobs, resource.file, fromMembers);
      if (found.status === 'missing') {
        setNotice({
          tone: 'warn',
          text: `“${resource.file.name}” is not on this device, and no member online has it. Try again when the member who added it is online.`,
        });
        return;
      }
      const result = await host.saveFile({ suggestedName: resource.file.name, data: found.blob.bytes });
      setNotice(result.saved ? { tone: 'ok', text: `Saved “${result.name}”.` } : null);
    }
  } catch (error) {
    setNotice({ tone: 'danger', text: errorMessage(error) });
  }
}

function ResourceItem({
  resource,
  addedBy,
  blobHere,
  highlighted = false,
  onTag,
  onOpen,
  onDelete,
}: {
  resource: Resource;
  addedBy: MemberRecord | undefined;
  blobHere: boolean;
  /** Brought into view by search. */
  highlighted?: boolean;
  onTag: (tag: string) => void;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const Icon = KIND_ICONS[resource.kind];
  const who = addedBy?.displayName ?? 'A former member';
  const headingId = `resource-${resource.id}`;
  let detail: ReactNode = null;
  let action: ReactNode = null;
  if (resource.kind === 'link') {
    detail = <span className="resource-source">{hostOf(resource.url)}</span>;
    action = (
      <button type="button" className="button small" onClick={onOpen} aria-label={`Open ${resource.title}`}>
        <ExternalLink size={14} aria-hidden="true" /> Open
      </button>
    );
  } else if (resource.kind === 'file') {
    detail = (
      <span className="resource-source">
        {resource.title === resource.file.name ? describeType(resource.file) : resource.file.name} · {formatBytes(resource.file.size)}
        {blobHere ? null : (
          <span className="badge not-here">
            <CloudOff size={12} aria-hidden="true" /> Not downloaded yet
          </span>
        )}
      </span>
    );
    action = (
      <button type="button" className="button small" onClick={onOpen} aria-label={`Save ${resource.file.name}`}>
        <Download size={14} aria-hidden="true" /> Save
      </button>
    );
  } else {
    action = (
      <button
        type="button"
        className="button small"
        aria-expanded={expanded}
        onClick={() => setExpanded((value) => !value)}
        aria-label={`${expanded ? 'Hide' : 'Read'} ${resource.title}`}
      >
        {expanded ? <ChevronUp size={14} aria-hidden="true" /> : <ChevronDown size={14} aria-hidden="true" />} {expanded ? 'Hide' : 'Read'}
      </button>
    );
  }
  const summary = resource.kind === 'howto' ? resource.body : resource.description;
  return (
    <li
      className={`resource kind-${resource.kind}`}
      aria-labelledby={headingId}
      aria-current={highlighted ? 'true' : undefined}
      tabIndex={highlighted ? -1 : undefined}
    >
      <span className="resource-icon" aria-hidden="true">
        <Icon size={18} />
      </span>
      <div className="resource-main">
        <h3 id={headingId} className="resource-title">
          {resource.title}
          <span className="visually-hidden"> ({RESOURCE_KIND_LABELS[resource.kind]})</span>
        </h3>
        {detail}
        {summary ? <p className={`resource-summary${expanded ? ' expanded' : ''}`}>{summary}</p> : null}
        {resource.tags.length > 0 ? (
          <ul className="resource-tags" aria-label="Tags">
            {resource.tags.map((tag) => (
              <li key={tag}>
                <button type="button" className="tag-chip small" onClick={() => onTag(tag)} aria-label={`Show everything tagged ${tag}`}>
                  {tag}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <span className="resource-byline">
          <Avatar id={resource.addedBy} name={who} size="sm" />
          <span>Added by {who}</span>
          <span aria-hidden="true">·</span>
          <time dateTime={new Date(resource.addedAt).toISOString()}>
            {new Date(resource.addedAt).toLocaleDateString(undefined, { dateStyle: 'medium' })}
          </time>
        </span>
      </div>
      <div className="resource-actions">
        {action}
        <button type="button" className="icon-button" aria-label={`Delete ${resource.title}`} onClick={() => setConfirmDelete(true)}>
          <Trash2 size={15} aria-hidden="true" />
        </button>
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Remove “${resource.title}” from the library?`}
        confirmLabel="Remove"
        onClose={() => setConfirmDelete(false)}
        onConfirm={onDelete}
      >
        It disappears from the library for everyone.
        {resource.kind === 'file' ? ' Copies members already saved stay on their computers.' : ''} This cannot be undone.
      </ConfirmDialog>
    </li>
  );
}

/** "PDF document", "Text file", "MOV file": what a file is, when its name is already the title. */
function describeType(file: { name: string; type: string }): string {
  const extension = /\.([a-z0-9]{1,8})$/i.exec(file.name)?.[1]?.toUpperCase();
  if (file.type === 'application/pdf') return 'PDF document';
  if (file.type.startsWith('text/')) return 'Text file';
  if (file.type.startsWith('image/')) return `${extension ?? 'Image'} image`;
  if (file.type.startsWith('video/')) return `${extension ?? 'Video'} video`;
  if (file.type.startsWith('audio/')) return `${extension ?? 'Audio'} recording`;
  return extension ? `${extension} file` : 'File';
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'mailto:' ? parsed.pathname : parsed.hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}
