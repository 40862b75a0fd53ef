// Where a search result lives in the app: the community, the section and the item to open there (a
// post opens its thread).
import type { SearchHit } from '../../shared/search/search-index.js';
import type { ItemFocus } from '../communities/section-types.js';

export interface SearchTarget extends ItemFocus {
  readonly communityId: string;
}

export function targetOf(hit: SearchHit): SearchTarget {
  switch (hit.kind) {
    case 'note':
      return { communityId: hit.communityId, section: 'notes', itemId: hit.itemId };
    case 'post':
      return { communityId: hit.communityId, section: 'threads', itemId: hit.parentId ?? hit.itemId };
    case 'card':
      return { communityId: hit.communityId, section: 'boards', itemId: hit.itemId };
    case 'resource':
      return { communityId: hit.communityId, section: 'library', itemId: hit.itemId };
  }
}
