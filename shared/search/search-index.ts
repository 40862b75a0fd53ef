// One full-text index (MiniSearch) over the notes, posts, cards and resources of every community it is
// given, kept up to date incrementally: each community's relevant top-level maps are observed with
// observeDeep, a change marks only the records it touched, and a debounced flush re-reads just those
// (see sources.ts for how far each kind of change reaches). Nothing is rebuilt per keystroke.
// One file over ~400 lines because the MiniSearch index, the pending marks and the sliced flush are one
// piece of state behind createSearchIndex; what each record kind contributes (sources.ts) and the text
// handling (text.ts) already live apart.
import MiniSearch, { type SearchResult } from 'minisearch';
import * as Y from 'yjs';
import { SEARCH_SOURCES, type ChangeScope, type SearchKind, type SearchSource, type SourceRead } from './sources.js';
import { highlight, normalizeTerm, oneLine, snippet, tokenize, type Segment } from './text.js';

export type { SearchKind } from './sources.js';
export type { Segment } from './text.js';

/** Quiet time after the last change before the index catches up: typing stays cheap. */
export const SEARCH_DEBOUNCE_MS = 300;
/** Longest a change waits while changes keep coming (someone typing for minutes). */
export const SEARCH_MAX_WAIT_MS = 2_000;
/** How much of an item's text is kept for snippets; the whole text is indexed. */
export const SNIPPET_SOURCE_CHARS = 10_000;
/** Longer queries are cut: a pasted page is not a search. */
export const QUERY_MAX_CHARS = 200;
const QUERY_MAX_TERMS = 12;
const TITLE_BOOST = 3;

export interface SearchHit {
  /** Unique across the index: community, kind and item. */
  readonly key: string;
  readonly kind: SearchKind;
  readonly communityId: string;
  /** The note, post, card or resource. */
  readonly itemId: string;
  /** The thread of a post, the board of a card; null otherwise. */
  readonly parentId: string | null;
  /** A resource's kind (link, file, howto); null otherwise. */
  readonly detail: string | null;
  /** Where the item is, in words: a card's board; null otherwise. */
  readonly context: string | null;
  readonly title: string;
  /** The title with the matching words marked. */
  readonly titleSegments: readonly Segment[];
  /** A line of the text around the first match, matching words marked; empty when there is no text. */
  readonly snippet: readonly Segment[];
  readonly updatedAt: number;
  readonly score: number;
}

export interface SearchGroup {
  readonly kind: SearchKind;
  /** The best hits of this kind, best first. */
  readonly hits: readonly SearchHit[];
  /** How many items of this kind matched (a thread counts once, however many of its posts match). */
  readonly total: number;
}

export interface SearchResults {
  readonly query: string;
  /** Ordered by their best hit. */
  readonly groups: readonly SearchGroup[];
  readonly total: number;
}

export interface SearchOptions {
  /** Only this community; every community when null or left out. */
  readonly communityId?: string | null;
  /** Hits shown per kind. */
  readonly perKind?: number;
  /** Leaves out items this reader must not see (posts a facilitator hid); they claim no thread either. */
  readonly exclude?: (item: { readonly communityId: string; readonly kind: SearchKind; readonly itemId: string }) => boolean;
}

export interface SkippedRecord {
  readonly communityId: string;
  readonly kind: SearchKind;
  readonly id: string;
  readonly message: string;
}

export interface SearchIndexStats {
  readonly documents: number;
  readonly communities: number;
  readonly skipped: readonly SkippedRecord[];
  /** Records changed but not yet re-read. */
  readonly pending: number;
}

export interface SearchIndex {
  /** Indexes a community's document and follows its changes until detached (or the doc is destroyed). */
  attach(communityId: string, doc: Y.Doc): void;
  detach(communityId: string): void;
  has(communityId: string): boolean;
  /** The communities attached now. */
  communities(): string[];
  /** Applies pending changes first, so a search never misses what was just typed. */
  search(query: string, options?: SearchOptions): SearchResults;
  /** Re-reads every changed record now instead of after the debounce. */
  flush(): void;
  /** Called after the index content changed (a flush that changed something, an attach, a detach). */
  onChange(listener: () => void): () => void;
  stats(): SearchIndexStats;
  destroy(): void;
}

interface IndexedDocument {
  readonly id: string;
  readonly kind: SearchKind;
  readonly communityId: string;
  readonly itemId: string;
  readonly parentId: string | null;
  readonly detail: string | null;
  readonly context: string | null;
  readonly title: string;
  readonly text: string;
  readonly snippetSource: string;
  readonly updatedAt: number;
}

type Stored = Omit<IndexedDocument, 'id' | 'text'>;

interface Pending {
  list: boolean;
  readonly ids: Map<string, ChangeScope>;
}

interface Feed {
  readonly communityId: string;
  readonly doc: Y.Doc;
  /** Per kind: item id → the stamp it was read with. */
  readonly indexed: Map<SearchKind, Map<string, string>>;
  /** Per kind: records that could not be read; re-read when they change or their stamp does. */
  readonly skipped: Map<SearchKind, Map<string, { readonly stamp: string | null; readonly message: string }>>;
  /** Per kind: changes seen since the last flush. */
  readonly pending: Map<SearchKind, Pending>;
  /** Per kind: records to read, with the stamp they were listed with (null: not listed). */
  readonly queue: Map<SearchKind, Map<string, string | null>>;
  readonly dispose: () => void;
}

export interface SearchIndexOptions {
  readonly debounceMs?: number;
  readonly maxWaitMs?: number;
  /** Work done per slice of a timed flush, so that indexing a big community does not freeze the UI. */
  readonly sliceMs?: number;
  readonly sources?: readonly SearchSource[];
}

/** A timed flush yields after this long; a search or flush() always finishes the work. */
export const SEARCH_SLICE_MS = 25;

const keyOf = (communityId: string, kind: SearchKind, itemId: string) => `${communityId}/${kind}/${itemId}`;

export function createSearchIndex(options: SearchIndexOptions = {}): SearchIndex {
  const debounceMs = options.debounceMs ?? SEARCH_DEBOUNCE_MS;
  const maxWaitMs = options.maxWaitMs ?? SEARCH_MAX_WAIT_MS;
  const sliceMs = options.sliceMs ?? SEARCH_SLICE_MS;
  const sources = options.sources ?? SEARCH_SOURCES;
  const mini = new MiniSearch<IndexedDocument>({
    fields: ['title', 'text'],
    storeFields: ['kind', 'communityId', 'itemId', 'parentId', 'detail', 'context', 'title', 'snippetSource', 'updatedAt'],
    tokenize,
    processTerm: (term) => normalizeTerm(term),
    searchOptions: {
      boost: { title: TITLE_BOOST },
      // Every word may be the start of a longer one ("meet" finds "meeting"); longer words forgive a typo.
      prefix: true,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  const feeds = new Map<string, Feed>();
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstPendingAt: number | null = null;
  let changedSinceNotify = false;
  let destroyed = false;

  const notify = () => {
    changedSinceNotify = false;
    for (const listener of [...listeners]) listener();
  };

  function setTimer(wait: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      timedFlush();
    }, wait);
  }

  /** After a change: wait for a quiet moment, but never longer than the maximum wait. */
  function schedule(): void {
    const now = Date.now();
    firstPendingAt ??= now;
    setTimer(Math.max(0, Math.min(debounceMs, firstPendingAt + maxWaitMs - now)));
  }

  function mark(feed: Feed, kind: SearchKind, id: string | null, scope: ChangeScope): void {
    let pending = feed.pending.get(kind);
    if (!pending) {
      pending = { list: false, ids: new Map() };
      feed.pending.set(kind, pending);
    }
    if (scope === 'list') pending.list = true;
    if (id !== null) {
      // The widest scope seen for a record wins.
      const before = pending.ids.get(id);
      if (before === undefined || before === 'text' || scope === 'list') pending.ids.set(id, scope);
    }
  }

  function attach(communityId: string, doc: Y.Doc): void {
    if (destroyed) return;
    if (feeds.get(communityId)?.doc === doc) return;
    detach(communityId);
    const disposers: (() => void)[] = [];
    const feed: Feed = {
      communityId,
      doc,
      indexed: new Map(sources.map((source) => [source.kind, new Map()])),
      skipped: new Map(sources.map((source) => [source.kind, new Map()])),
      pending: new Map(),
      queue: new Map(sources.map((source) => [source.kind, new Map()])),
      dispose: () => {
        for (const dispose of disposers) dispose();
      },
    };
    for (const source of sources) {
      source.roots.forEach((root, index) => {
        const map = doc.getMap(root);
        const primary = index === 0;
        const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
          for (const event of events) {
            if (event.target === map) {
              const keys = (event as Y.YMapEvent<unknown>).keysChanged;
              for (const key of keys) mark(feed, source.kind, primary ? key : null, source.scope(root, [], keys));
              continue;
            }
            const path = event.path;
            const key = path[0];
            if (typeof key !== 'string') continue;
            const keys: ReadonlySet<string> = event instanceof Y.YMapEvent ? event.keysChanged : new Set<string>();
            mark(feed, source.kind, primary ? key : null, source.scope(root, path, keys));
          }
          schedule();
        };
        map.observeDeep(observer);
        disposers.push(() => map.unobserveDeep(observer));
      });
      mark(feed, source.kind, null, 'list');
    }
    const onDestroy = () => detach(communityId);
    doc.on('destroy', onDestroy);
    disposers.push(() => doc.off('destroy', onDestroy));
    feeds.set(communityId, feed);
    // The first reading is not debounced, only sliced: the member may search right away.
    setTimer(0);
  }

  function detach(communityId: string): void {
    const feed = feeds.get(communityId);
    if (!feed) return;
    feed.dispose();
    feeds.delete(communityId);
    const keys: string[] = [];
    for (const [kind, ids] of feed.indexed) for (const id of ids.keys()) keys.push(keyOf(communityId, kind, id));
    if (keys.length > 0) mini.discardAll(keys);
    notify();
  }

  /** Turns a feed's pending changes into reads (and removals, after a listing). */
  function plan(feed: Feed): void {
    for (const source of sources) {
      const pending = feed.pending.get(source.kind);
      if (!pending) continue;
      feed.pending.delete(source.kind);
      const indexed = feed.indexed.get(source.kind)!;
      const queue = feed.queue.get(source.kind)!;
      let list = pending.list;
      // A text change to a record that is not indexed (nor about to be) may be one coming back into view.
      if (!list) for (const [id, scope] of pending.ids) if (scope === 'text' && !indexed.has(id) && !queue.has(id)) list = true;
      if (list) reconcile(feed, source, pending.ids);
      else for (const id of pending.ids.keys()) if (!queue.has(id)) queue.set(id, null);
    }
  }

  /** Lists every record of a kind: takes out what is no longer listed, queues what is new, changed, or whose stamp moved. */
  function reconcile(feed: Feed, source: SearchSource, dirty: ReadonlyMap<string, ChangeScope>): void {
    const indexed = feed.indexed.get(source.kind)!;
    const skipped = feed.skipped.get(source.kind)!;
    const queue = feed.queue.get(source.kind)!;
    let listed: Map<string, string>;
    try {
      listed = source.list(feed.doc);
    } catch (error) {
      // A listing that throws is a bug, not bad data; keep what is indexed rather than lose it.
      console.error('search: listing failed', source.kind, error);
      return;
    }
    for (const id of [...indexed.keys()]) {
      if (listed.has(id)) continue;
      mini.discard(keyOf(feed.communityId, source.kind, id));
      indexed.delete(id);
      changedSinceNotify = true;
    }
    for (const id of [...skipped.keys()]) if (!listed.has(id)) skipped.delete(id);
    for (const id of [...queue.keys()]) if (!listed.has(id)) queue.delete(id);
    for (const [id, stamp] of listed) {
      const known = indexed.get(id) ?? skipped.get(id)?.stamp;
      if (known !== stamp || dirty.has(id)) queue.set(id, stamp);
    }
  }

  /** Reads one record and puts it in, replaces it, or takes it out. */
  function apply(feed: Feed, source: SearchSource, id: string, listedStamp: string | null): void {
    const indexed = feed.indexed.get(source.kind)!;
    const skipped = feed.skipped.get(source.kind)!;
    const key = keyOf(feed.communityId, source.kind, id);
    let read: SourceRead;
    try {
      read = source.read(feed.doc, id);
    } catch (error) {
      read = { status: 'malformed', message: error instanceof Error ? error.message : String(error) };
    }
    const wasIndexed = indexed.has(id);
    if (read.status !== 'item') {
      if (wasIndexed) {
        mini.discard(key);
        indexed.delete(id);
        changedSinceNotify = true;
      }
      if (read.status === 'malformed') skipped.set(id, { stamp: listedStamp, message: read.message });
      else skipped.delete(id);
      return;
    }
    const { item } = read;
    const document: IndexedDocument = {
      id: key,
      kind: source.kind,
      communityId: feed.communityId,
      itemId: id,
      parentId: item.parentId,
      detail: item.detail,
      context: item.context,
      title: item.title,
      text: item.text,
      snippetSource: oneLine(item.text.slice(0, SNIPPET_SOURCE_CHARS)),
      updatedAt: item.updatedAt,
    };
    if (wasIndexed) mini.replace(document);
    else mini.add(document);
    indexed.set(id, read.stamp);
    skipped.delete(id);
    changedSinceNotify = true;
  }

  /** Plans and reads until done, or until `deadline` (then true: there is more). */
  function work(deadline: number): boolean {
    for (const feed of feeds.values()) if (feed.pending.size > 0) plan(feed);
    let reads = 0;
    for (const feed of feeds.values()) {
      for (const source of sources) {
        const queue = feed.queue.get(source.kind)!;
        for (const [id, stamp] of queue) {
          // Checking the clock costs too; every few reads is often enough.
          if ((reads += 1) % 16 === 0 && Date.now() >= deadline) return true;
          queue.delete(id);
          apply(feed, source, id, stamp);
        }
      }
    }
    return false;
  }

  function timedFlush(): void {
    firstPendingAt = null;
    if (work(Date.now() + sliceMs)) {
      // Let the UI breathe, then carry on where this slice stopped.
      setTimer(0);
      return;
    }
    if (changedSinceNotify) notify();
  }

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    firstPendingAt = null;
    work(Number.POSITIVE_INFINITY);
    if (changedSinceNotify) notify();
  }

  function search(query: string, searchOptions: SearchOptions = {}): SearchResults {
    // Catch up first, but tell listeners later: a search often runs while a view renders, and a
    // listener that sets state there would update a component in the middle of rendering.
    firstPendingAt = null;
    work(Number.POSITIVE_INFINITY);
    if (changedSinceNotify) setTimer(0);
    const cut = query.slice(0, QUERY_MAX_CHARS);
    const terms = tokenize(cut).slice(0, QUERY_MAX_TERMS);
    const empty: SearchResults = { query, groups: [], total: 0 };
    if (terms.length === 0) return empty;
    const communityId = searchOptions.communityId ?? null;
    const perKind = searchOptions.perKind ?? 5;
    const results = mini.search(terms.join(' '), communityId ? { filter: (result) => result.communityId === communityId } : {});
    const groups = new Map<SearchKind, { hits: SearchHit[]; total: number }>();
    const threadsSeen = new Set<string>();
    let total = 0;
    for (const result of results) {
      const stored = result as SearchResult & Stored;
      if (searchOptions.exclude?.(stored)) continue;
      // A thread is one result however many of its posts match: its best post speaks for it.
      if (stored.kind === 'post' && stored.parentId) {
        const thread = `${stored.communityId}/${stored.parentId}`;
        if (threadsSeen.has(thread)) continue;
        threadsSeen.add(thread);
      }
      let group = groups.get(stored.kind);
      if (!group) {
        group = { hits: [], total: 0 };
        groups.set(stored.kind, group);
      }
      group.total += 1;
      total += 1;
      if (group.hits.length >= perKind) continue;
      const matched = new Set(result.terms);
      group.hits.push({
        key: String(result.id),
        kind: stored.kind,
        communityId: stored.communityId,
        itemId: stored.itemId,
        parentId: stored.parentId,
        detail: stored.detail,
        context: stored.context,
        title: stored.title,
        titleSegments: highlight(stored.title, matched),
        snippet: snippet(stored.snippetSource, matched),
        updatedAt: stored.updatedAt,
        score: result.score,
      });
    }
    return { query, groups: [...groups].map(([kind, group]) => ({ kind, hits: group.hits, total: group.total })), total };
  }

  function stats(): SearchIndexStats {
    const skipped: SkippedRecord[] = [];
    let pending = 0;
    for (const feed of feeds.values()) {
      for (const [kind, records] of feed.skipped)
        for (const [id, record] of records) skipped.push({ communityId: feed.communityId, kind, id, message: record.message });
      for (const entry of feed.pending.values()) pending += entry.ids.size + (entry.list ? 1 : 0);
      for (const queue of feed.queue.values()) pending += queue.size;
    }
    return { documents: mini.documentCount, communities: feeds.size, skipped, pending };
  }

  return {
    attach,
    detach,
    has: (communityId) => feeds.has(communityId),
    communities: () => [...feeds.keys()],
    search,
    flush,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats,
    destroy() {
      destroyed = true;
      for (const communityId of [...feeds.keys()]) detach(communityId);
      if (timer !== null) clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
