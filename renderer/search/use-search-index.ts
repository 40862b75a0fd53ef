// The app's one search index: every community on this device is attached as soon as the registry has
// opened it (the registry opens them all in the background), and let go when it leaves the list. The
// index itself follows each document's changes; this hook only says which documents exist.
import { useEffect, useMemo, useRef } from 'react';
import { createSearchIndex, type SearchIndex } from '../../shared/search/search-index.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import type { CommunityRegistry } from '../communities/community-registry.js';

export function useSearchIndex(registry: CommunityRegistry, communities: readonly CommunityEntry[]): SearchIndex {
  const index = useMemo(() => createSearchIndex(), []);
  const wanted = useRef(new Set<string>());

  useEffect(() => {
    const ids = new Set(communities.map((community) => community.id));
    wanted.current = ids;
    for (const id of ids) {
      if (index.has(id)) continue;
      registry.get(id).then(
        // Still wanted by the time it opened (attaching the same document twice is a no-op).
        (community) => {
          if (wanted.current.has(id)) index.attach(id, community.doc);
        },
        // A community that cannot be opened says so on its own page; search just leaves it out.
        () => undefined,
      );
    }
    for (const id of index.communities()) if (!ids.has(id)) index.detach(id);
  }, [index, registry, communities]);

  // Let go of every document when the app goes away (in development, React mounts twice: the index
  // is detached, not destroyed, so the second mount attaches again).
  useEffect(
    () => () => {
      for (const id of wanted.current) index.detach(id);
      wanted.current = new Set();
    },
    [index],
  );
  return index;
}
