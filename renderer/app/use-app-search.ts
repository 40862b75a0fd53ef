// Search across every community on this device: the index (fed once the member is known, like the
// background sync), whether the palette is open, and the item picked, until its section takes it.
import { useCallback, useState } from 'react';
import type { CommunityEntry } from '../../shared/store/store.js';
import type { CommunityRegistry } from '../communities/community-registry.js';
import type { SearchTarget } from '../search/item-focus.js';
import { useSearchShortcut } from '../search/SearchPalette.js';
import { useSearchIndex } from '../search/use-search-index.js';

const NO_COMMUNITIES: readonly CommunityEntry[] = [];

export type AppSearch = ReturnType<typeof useAppSearch>;

export function useAppSearch(registry: CommunityRegistry, memberKnown: boolean, communities: readonly CommunityEntry[]) {
  const index = useSearchIndex(registry, memberKnown ? communities : NO_COMMUNITIES);
  const [searching, setSearching] = useState(false);
  const [searchTarget, setSearchTarget] = useState<SearchTarget | null>(null);
  const openSearch = useCallback(() => setSearching(true), []);
  const closeSearch = useCallback(() => setSearching(false), []);
  const searchTargetTaken = useCallback(() => setSearchTarget(null), []);
  useSearchShortcut(memberKnown ? openSearch : null);
  return { index, searching, openSearch, closeSearch, searchTarget, setSearchTarget, searchTargetTaken };
}
