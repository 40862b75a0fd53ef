// The search palette (Ctrl/Cmd+K): one box over the notes, threads, cards and library of the open
// community, or of every community on this device; results grouped by kind with the matching words
// marked, moved through with the arrow keys and opened with Enter.
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { FileText, KanbanSquare, Lightbulb, Link2, MessagesSquare, Paperclip, Search, SearchX } from 'lucide-react';
import type { SearchHit, SearchIndex, SearchKind, Segment } from '../../shared/search/search-index.js';
import { RESOURCE_KIND_LABELS, type ResourceKind } from '../../shared/library/schema.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import { Dialog } from '../ui/Dialog.js';
import { relativeTime, useNow } from '../ui/relative-time.js';
import './search.css';

/** Hits shown per kind; the group says how many more matched. */
const HITS_PER_KIND = 5;

export const KIND_LABELS = { note: 'Notes', post: 'Threads', card: 'Cards', resource: 'Library' } as const satisfies Record<
  SearchKind,
  string
>;

const isMac = () => navigator.platform.toLowerCase().includes('mac');

/** Opens the palette on Ctrl+K (Cmd+K on a Mac), wherever the focus is, editors included. */
export function useSearchShortcut(open: (() => void) | null): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        event.stopPropagation();
        open();
      }
    };
    // Capture: an editor that handles keys itself must not swallow this one.
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [open]);
}

export function searchShortcutLabel(): { readonly keys: string; readonly aria: string } {
  return isMac() ? { keys: '⌘K', aria: 'Meta+K' } : { keys: 'Ctrl K', aria: 'Control+K' };
}

export interface SearchPaletteProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly index: SearchIndex;
  readonly communities: readonly CommunityEntry[];
  /** The community on screen: the default scope. Null when none is open. */
  readonly currentId: string | null;
  readonly onPick: (hit: SearchHit) => void;
}

export function SearchPalette({ open, onClose, index, communities, currentId, onPick }: SearchPaletteProps) {
  const titleId = useId();
  // Kept between openings: the member often searches again for something close to the last query.
  const [query, setQuery] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <PaletteBody
        titleId={titleId}
        index={index}
        communities={communities}
        currentId={currentId}
        query={query}
        onQuery={setQuery}
        everywhere={everywhere || currentId === null}
        onEverywhere={setEverywhere}
        onPick={(hit) => {
          onClose();
          onPick(hit);
        }}
      />
    </Dialog>
  );
}

function PaletteBody({
  titleId,
  index,
  communities,
  currentId,
  query,
  onQuery,
  everywhere,
  onEverywhere,
  onPick,
}: {
  titleId: string;
  index: SearchIndex;
  communities: readonly CommunityEntry[];
  currentId: string | null;
  query: string;
  onQuery: (query: string) => void;
  everywhere: boolean;
  onEverywhere: (everywhere: boolean) => void;
  onPick: (hit: SearchHit) => void;
}) {
  const now = useNow();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  // Typing stays quick on a big index: React renders the box first and the results when it can.
  const deferredQuery = useDeferredValue(query);
  // Results follow the documents while the palette is open (a peer's edit, a community finishing loading).
  const [version, setVersion] = useState(0);
  useEffect(() => index.onChange(() => setVersion((value) => value + 1)), [index]);
  const scope = everywhere ? null : currentId;
  const results = useMemo(
    () => index.search(deferredQuery, { communityId: scope, perKind: HITS_PER_KIND }),
    [index, deferredQuery, scope, version],
  );
  const elsewhere = useMemo(
    () => (scope !== null && results.total === 0 && deferredQuery.trim() !== '' ? index.search(deferredQuery, { perKind: 1 }).total : 0),
    [index, deferredQuery, scope, results.total, version],
  );
  const hits = useMemo(() => results.groups.flatMap((group) => group.hits), [results]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const active = hits.find((hit) => hit.key === activeKey) ?? hits[0] ?? null;
  const names = useMemo(() => new Map(communities.map((community) => [community.id, community.name])), [communities]);
  const currentName = currentId ? (names.get(currentId) ?? 'this community') : null;
  const optionId = (hit: SearchHit) => `${listId}-${hit.key.replaceAll('/', '-')}`;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  useEffect(() => {
    if (!active) return;
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // optionId only depends on listId.
  }, [active?.key]);

  // The switch keeps the typing going: the focus goes back to the box.
  const searchEverywhere = (value: boolean) => {
    onEverywhere(value);
    input.current?.focus();
  };
  const move = (by: number) => {
    if (hits.length === 0) return;
    const at = active ? hits.indexOf(active) : -1;
    setActiveKey(hits[(at + by + hits.length) % hits.length]!.key);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter' && active) onPick(active);
    else return;
    event.preventDefault();
  };

  const typed = deferredQuery.trim() !== '';
  const stale = query !== deferredQuery;
  return (
    <div className="search-palette">
      <h2 id={titleId} className="visually-hidden">
        Search
      </h2>
      <div className="search-box">
        <Search size={18} aria-hidden="true" className="search-box-icon" />
        <input
          ref={input}
          className="search-input"
          type="text"
          role="combobox"
          aria-label="Search"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-activedescendant={active ? optionId(active) : undefined}
          aria-autocomplete="list"
          autoComplete="off"
          spellCheck={false}
          placeholder={everywhere ? 'Search every community…' : `Search ${currentName ?? 'this community'}…`}
          value={query}
          maxLength={200}
          onChange={(event) => {
            onQuery(event.target.value);
            setActiveKey(null);
          }}
          onKeyDown={onKeyDown}
        />
        <kbd className="search-esc" aria-hidden="true">
          esc
        </kbd>
      </div>
      {currentId !== null ? (
        <div className="search-scope">
          <div className="search-switch" role="group" aria-label="Search in">
            <button type="button" aria-pressed={!everywhere} onClick={() => searchEverywhere(false)} title={currentName ?? undefined}>
              This community
            </button>
            <button type="button" aria-pressed={everywhere} onClick={() => searchEverywhere(true)}>
              All communities
            </button>
          </div>
          {typed ? (
            <span className="search-count" role="status">
              {results.total === 0 ? 'No results' : results.total === 1 ? '1 result' : `${results.total} results`}
            </span>
          ) : null}
        </div>
      ) : null}

      <div className={`search-results${stale ? ' stale' : ''}`}>
        {!typed ? (
          <Hint icon={<Search size={22} />} title={everywhere ? 'Search every community on this device' : `Search ${currentName}`}>
            Notes, threads, cards and the library — by title or by any word inside. It all works offline.
          </Hint>
        ) : results.total === 0 ? (
          <Hint icon={<SearchX size={22} />} title={`No matches for “${deferredQuery.trim()}”`}>
            Check the spelling, or try fewer or shorter words.
            {elsewhere > 0 ? (
              <button type="button" className="button small search-elsewhere" onClick={() => searchEverywhere(true)}>
                {elsewhere === 1 ? 'One match' : `${elsewhere} matches`} in other communities — search them all
              </button>
            ) : null}
          </Hint>
        ) : (
          <div role="listbox" id={listId} aria-label="Results">
            {results.groups.map((group) => (
              <div key={group.kind} role="group" aria-labelledby={`${listId}-${group.kind}`} className="search-group">
                <div id={`${listId}-${group.kind}`} className="search-group-label" role="presentation">
                  <span>{KIND_LABELS[group.kind]}</span>
                  {group.total > group.hits.length ? (
                    <span className="search-group-more">{`${group.hits.length} of ${group.total}`}</span>
                  ) : null}
                </div>
                {group.hits.map((hit) => (
                  <div
                    key={hit.key}
                    id={optionId(hit)}
                    role="option"
                    aria-selected={hit.key === active?.key}
                    className="search-hit"
                    onMouseMove={() => hit.key !== active?.key && setActiveKey(hit.key)}
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => onPick(hit)}
                  >
                    <span className={`search-hit-icon kind-${hit.kind}`} aria-hidden="true">
                      <KindIcon hit={hit} />
                    </span>
                    <span className="search-hit-main">
                      <span className="search-hit-heading">
                        <span className="search-hit-title">
                          <Marked segments={hit.titleSegments} />
                        </span>
                        {whereOf(hit) ? <span className="search-hit-where">{whereOf(hit)}</span> : null}
                      </span>
                      {hit.snippet.length > 0 ? (
                        <span className="search-hit-snippet">
                          <Marked segments={hit.snippet} />
                        </span>
                      ) : null}
                    </span>
                    <span className="search-hit-meta">
                      {everywhere || hit.communityId !== currentId ? (
                        <span className="search-hit-community">{names.get(hit.communityId) ?? 'A community'}</span>
                      ) : null}
                      <span>{relativeTime(hit.updatedAt, now)}</span>
                    </span>
                  </div>
                ))}
              </div>
            ))}
          </div>
        )}
      </div>

      <div className="search-footer" aria-hidden="true">
        <span>
          <kbd>↑</kbd>
          <kbd>↓</kbd> to move
        </span>
        <span>
          <kbd>↵</kbd> to open
        </span>
        <span>
          <kbd>esc</kbd> to close
        </span>
      </div>
    </div>
  );
}

/** A word on where the item is: a card's board, a resource's kind. */
function whereOf(hit: SearchHit): string | null {
  if (hit.kind === 'card') return hit.context ? `on ${hit.context}` : null;
  if (hit.kind === 'resource') return RESOURCE_KIND_LABELS[hit.detail as ResourceKind] ?? null;
  return null;
}

function Marked({ segments }: { segments: readonly Segment[] }) {
  return (
    <>{segments.map((segment, at) => (segment.match ? <mark key={at}>{segment.text}</mark> : <span key={at}>{segment.text}</span>))}</>
  );
}

function KindIcon({ hit }: { hit: SearchHit }) {
  if (hit.kind === 'note') return <FileText size={16} />;
  if (hit.kind === 'post') return <MessagesSquare size={16} />;
  if (hit.kind === 'card') return <KanbanSquare size={16} />;
  if (hit.detail === 'file') return <Paperclip size={16} />;
  if (hit.detail === 'howto') return <Lightbulb size={16} />;
  return <Link2 size={16} />;
}

function Hint({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div className="search-hint">
      <span className="search-hint-icon" aria-hidden="true">
        {icon}
      </span>
      <strong>{title}</strong>
      <p>{children}</p>
    </div>
  );
}
