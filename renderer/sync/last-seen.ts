// "Seen 5 min ago" in a member list: when this device last saw each member online, kept locally
// (never synced: it is what this member observed, and it costs the others nothing).
import { useEffect, useRef, useState } from 'react';
import type { DeviceSettings } from '../store/device-store.js';
import type { OnlineMember } from './use-sync.js';

const SAVE_EVERY_MS = 30_000;
const MAX_REMEMBERED = 500;

function settingKey(communityId: string): string {
  return `lastSeen:${communityId}`;
}

export function useLastSeen(store: DeviceSettings, communityId: string, online: readonly OnlineMember[]): ReadonlyMap<string, number> {
  const [seen, setSeen] = useState<ReadonlyMap<string, number>>(new Map());
  const savedAt = useRef(0);
  const loaded = useRef(false);

  useEffect(() => {
    let cancelled = false;
    store.getSetting(settingKey(communityId)).then(
      (stored) => {
        if (cancelled) return;
        const entries = typeof stored === 'object' && stored !== null ? Object.entries(stored as Record<string, unknown>) : [];
        setSeen((current) => new Map([...entries.filter((entry): entry is [string, number] => typeof entry[1] === 'number'), ...current]));
        loaded.current = true;
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [store, communityId]);

  // Everyone online now was seen now; when someone leaves, their last moment online stays.
  const onlineKey = online
    .map((member) => member.id)
    .sort()
    .join(' ');
  useEffect(() => {
    const mark = () => {
      const now = Date.now();
      setSeen((current) => {
        const next = new Map(current);
        for (const member of online) next.set(member.id, now);
        if (loaded.current && now - savedAt.current > SAVE_EVERY_MS) {
          savedAt.current = now;
          const newest = [...next].sort((a, b) => b[1] - a[1]).slice(0, MAX_REMEMBERED);
          void store.putSetting(settingKey(communityId), Object.fromEntries(newest)).catch(() => undefined);
        }
        return next;
      });
    };
    mark();
    const timer = setInterval(mark, SAVE_EVERY_MS);
    return () => {
      clearInterval(timer);
      mark();
    };
    // Keyed by who is online, not by the array identity, which changes on every awareness event.
  }, [onlineKey, store, communityId]);
  return seen;
}
