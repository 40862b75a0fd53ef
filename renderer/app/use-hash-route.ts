// The app's location lives in the URL fragment (#/c/<communityId>), so reload keeps you where you were
// and the app:// protocol needs no server-side routes.
import { useCallback, useEffect, useState } from 'react';
import { ID_PATTERN } from '../../shared/ids.js';

export interface Route {
  readonly communityId: string | null;
}

export function parseRoute(hash: string): Route {
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
