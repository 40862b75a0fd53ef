// React views of a community's sync: its status (re-rendered as it changes) and who is online now.
import { useEffect, useState } from 'react';
import type { CommunitySync, SyncStatus } from '../../shared/sync/community-sync.js';
import { relativeTime } from '../ui/relative-time.js';

export function useSyncStatus(sync: CommunitySync | null): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(() => sync?.status() ?? null);
  useEffect(() => (sync ? sync.onStatus(setStatus) : undefined), [sync]);
  return status;
}

export interface OnlineMember {
  readonly id: string;
  readonly name: string;
}

/** Members whose devices are connected now, from Yjs awareness (this device included). */
export function useOnlineMembers(sync: CommunitySync | null): readonly OnlineMember[] {
  const [online, setOnline] = useState<readonly OnlineMember[]>([]);
  useEffect(() => {
    if (!sync) return;
    const read = () => {
      const members = new Map<string, OnlineMember>();
      for (const state of sync.awareness.getStates().values()) {
        const user = (state as { user?: { id?: unknown; name?: unknown } }).user;
        // Awareness comes from peers: take only well-formed entries.
        if (user && typeof user.id === 'string' && typeof user.name === 'string')
          members.set(user.id, { id: user.id, name: user.name.slice(0, 60) });
      }
      setOnline([...members.values()]);
    };
    read();
    sync.awareness.on('change', read);
    return () => sync.awareness.off('change', read);
  }, [sync]);
  return online;
}

export function describeSync(
  status: SyncStatus | null,
  now = Date.now(),
): { label: string; tone: 'offline' | 'looking' | 'connecting' | 'synced' } {
  if (!status) return { label: 'Saved on this device', tone: 'offline' };
  const peers = `${status.peers} ${status.peers === 1 ? 'member' : 'members'}`;
  switch (status.phase) {
    case 'offline':
      return { label: 'Offline · saved on this device', tone: 'offline' };
    case 'looking':
      return { label: 'Looking for members…', tone: 'looking' };
    case 'connecting':
      return { label: `Syncing with ${peers}…`, tone: 'connecting' };
    case 'synced':
      return {
        label: `Synced with ${peers}${status.lastExchangeAt ? ` · ${relativeTime(status.lastExchangeAt, now)}` : ''}`,
        tone: 'synced',
      };
  }
}
