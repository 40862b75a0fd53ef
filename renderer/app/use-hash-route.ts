// The app's location lives in the URL fragment (#/c/<communityId>), so reload keeps you where you were
// and the app:// protocol needs no server-side routes.
import { useCallback, useEffect, useState } from 'react';
import { ID_PATTERN } from '../../shared/ids.js';

export interface Route {
  readonly communityId: string | null;
  /** From a #/join/<invite code> link: browser mode's stand-in for hearth://join/ links. */
  readonly joinCode?: string | null;
}

export function parseRoute(hash: string): Route {
  const join = /^#\/join\/(HEARTH1-[A-Za-z0-9_-]+)$/.exec(hash);
  if (join) return { communityId: null, joinCode: join[1]! };
  const match = /^#\/c\/([^/?#]+)$/.exec(hash);
  const id = match?.[1] ?? null;
  return { communityId: id && ID_PATTERN.test(id) ? id : null };
}

export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    window.location.hash = next.communityId ? `#/c/${next.communityId}` : '';
    setRoute(next);
  }, []);
  return [route, navigate];
}
