// The app's one search index: every community on this device is attached as soon as the registry has
// opened it (the registry opens them all in the background), and let go when it leaves the list. The
// index itself follows each document's changes; this hook only says which documents exist.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type * as Y from 'yjs';
import { membershipLog, moderationLog } from '../../shared/community/log/entries.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { createSearchIndex, type SearchIndex } from '../../shared/search/search-index.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import type { CommunityRegistry } from '../communities/community-registry.js';

export function useSearchIndex(registry: CommunityRegistry, communities: readonly CommunityEntry[]): SearchIndex {
  const index = useMemo(() => createSearchIndex(), []);
  const wanted = useRef(new Set<string>());
  // Posts hidden by a facilitator, per community, as the verified log says: never found by search.
  const hidden = useRef(new Map<string, ReadonlySet<string>>());
  const watches = useRef(new Map<string, () => void>());
  // Opened communities wait for an idle moment before their first indexing, so it does not compete
  // with the first paint of the community on screen; a search attaches them at once.
  const deferred = useRef(new Map<string, Y.Doc>());
  const attachDeferred = useCallback(() => {
    for (const [id, doc] of deferred.current) {
      deferred.current.delete(id);
      if (!wanted.current.has(id)) continue;
      index.attach(id, doc);
      if (!watches.current.has(id))
        watches.current.set(
          id,
          watchHiddenPosts(doc, id, (posts) => hidden.current.set(id, posts)),
        );
    }
  }, [index]);
  const filtered = useMemo<SearchIndex>(
    () => ({
      ...index,
      search: (query, options = {}) => {
        attachDeferred();
        return index.search(query, {
          ...options,
          exclude: (item) => item.kind === 'post' && (hidden.current.get(item.communityId)?.has(item.itemId) ?? false),
        });
      },
    }),
    [index, attachDeferred],
  );

  useEffect(() => {
    const ids = new Set(communities.map((community) => community.id));
    wanted.current = ids;
    for (const id of ids) {
      if (index.has(id)) continue;
      registry.get(id).then(
        // Still wanted by the time it opened (attaching the same document twice is a no-op).
        (community) => {
          if (!wanted.current.has(id)) return;
          deferred.current.set(id, community.doc);
          whenIdle(attachDeferred);
        },
        // A community that cannot be opened says so on its own page; search just leaves it out.
        () => undefined,
      );
    }
    for (const id of index.communities()) if (!ids.has(id)) index.detach(id);
    for (const [id, stop] of watches.current) {
      if (ids.has(id)) continue;
      stop();
      watches.current.delete(id);
      hidden.current.delete(id);
    }
  }, [index, registry, communities, attachDeferred]);

  // Let go of every document when the app goes away (in development, React mounts twice: the index
  // is detached, not destroyed, so the second mount attaches again).
  useEffect(
    () => () => {
      for (const id of wanted.current) index.detach(id);
      wanted.current = new Set();
      for (const stop of watches.current.values()) stop();
      watches.current.clear();
    },
    [index],
  );
  return filtered;
}

/**
 * Once the app has settled: a few seconds after start (opening a large community takes about two),
 * then at an idle moment. Nothing is lost by waiting: a search attaches what is waiting at once.
 */
function whenIdle(run: () => void): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => run(), { timeout: 2_000 }) : run());
  const sinceStart = typeof performance === 'undefined' ? Number.POSITIVE_INFINITY : performance.now();
  if (sinceStart >= SETTLE_MS) idle();
  else setTimeout(idle, SETTLE_MS - sinceStart);
}

const SETTLE_MS = 3_000;

/** Follows a community's verified hidden posts; returns a stop. */
function watchHiddenPosts(doc: Y.Doc, communityId: string, onChange: (posts: ReadonlySet<string>) => void): () => void {
  let latest = 0;
  const refresh = () => {
    const run = ++latest;
    readMembership(doc, communityId).then(
      (membership) => {
        if (run === latest) onChange(new Set(membership.hiddenPosts.keys()));
      },
      () => undefined,
    );
  };
  const logs = [membershipLog(doc), moderationLog(doc)];
  for (const log of logs) log.observe(refresh);
  refresh();
  return () => {
    latest = -1;
    for (const log of logs) log.unobserve(refresh);
  };
}
