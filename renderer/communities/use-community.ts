// React's view of one open community: loads it through the registry and re-reads the validated view
// whenever the document changes (locally, from the store, or later from peers).
import { useEffect, useState } from 'react';
import { readCommunity, type CommunityView } from '../../shared/community/queries.js';
import { errorMessage } from '../../shared/errors.js';
import type { CommunityRegistry, OpenCommunity } from './community-registry.js';

export type CommunityState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly community: OpenCommunity; readonly view: CommunityView };

export function useCommunity(registry: CommunityRegistry, id: string, attempt: number): CommunityState {
  const [state, setState] = useState<CommunityState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    setState({ status: 'loading' });
    registry.get(id).then(
      (community) => {
        if (cancelled) return;
        const refresh = () => setState({ status: 'ready', community, view: readCommunity(community.doc) });
        community.doc.on('update', refresh);
        unsubscribe = () => community.doc.off('update', refresh);
        refresh();
      },
      (error: unknown) => {
        if (!cancelled) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [registry, id, attempt]);
  return state;
}
