// Which of the app's own dialogs is open (new community, join, profile), and the ways one opens
// without a click: an invite link handed over by the host or the address, and Ctrl+Shift+N. These
// listen from the start, before a member is in, so an invite opened during the first run is waiting
// once they are.
import { useCallback, useEffect, useState } from 'react';
import type { HostApi } from '../../shared/host-api.js';
import type { Route } from './use-hash-route.js';

export type AppDialog = 'new-community' | 'join' | 'profile';

export interface AppDialogs {
  readonly dialog: AppDialog | null;
  readonly setDialog: (dialog: AppDialog | null) => void;
  /** The invite the join dialog opens with: from a link, or empty when opened from the sidebar. */
  readonly joinCode: string;
  readonly setJoinCode: (code: string) => void;
  readonly openNewCommunity: () => void;
}

export function useAppDialogs(host: HostApi, route: Route, navigate: (route: Route) => void): AppDialogs {
  const [dialog, setDialog] = useState<AppDialog | null>(null);
  const [joinCode, setJoinCode] = useState('');

  // An invite link opened the app (hearth:// on the desktop, #/join/ in browser mode): offer to join.
  useEffect(
    () =>
      host.onJoinLink((code) => {
        setJoinCode(code);
        setDialog('join');
      }),
    [host],
  );
  useEffect(() => {
    if (!route.joinCode) return;
    setJoinCode(route.joinCode);
    setDialog('join');
    navigate({ communityId: null });
  }, [route.joinCode, navigate]);

  const openNewCommunity = useCallback(() => setDialog('new-community'), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        openNewCommunity();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openNewCommunity]);

  return { dialog, setDialog, joinCode, setJoinCode, openNewCommunity };
}
