// Unread tracking on this device: which posts of each thread this member has seen, kept in the local
// store's readMarks table (never in the shared document) and watched live, so the tab, the home card
// and the list agree the moment a thread is read.
import { useEffect, useState } from 'react';
import { liveQuery } from 'dexie';
import { parseReadMark, type ThreadReadMark } from '../../shared/threads/unread.js';
import type { ReadMarkRows } from '../store/device-store.js';

// readMarks is shared by features; thread marks are keyed "thread:<id>".
const PREFIX = 'thread:';

export type ReadMarks = ReadonlyMap<string, ThreadReadMark>;

/** Every thread mark of a community; null until the store has answered. */
export function useThreadReadMarks(store: ReadMarkRows, communityId: string): ReadMarks | null {
  const [marks, setMarks] = useState<ReadMarks | null>(null);
  useEffect(() => {
    const subscription = liveQuery(() => store.db.readMarks.where('communityId').equals(communityId).toArray()).subscribe({
      next: (rows) => {
        const next = new Map<string, ThreadReadMark>();
        for (const row of rows) {
          if (typeof row.itemId !== 'string' || !row.itemId.startsWith(PREFIX)) continue;
          const mark = parseReadMark(row.value);
          if (mark) next.set(row.itemId.slice(PREFIX.length), mark);
        }
        setMarks(next);
      },
      // Unread counts are a convenience: if the store cannot answer, nothing shows as unread rather
      // than everything, for ever.
      error: () => setMarks(new Map()),
    });
    return () => subscription.unsubscribe();
  }, [store, communityId]);
  return marks;
}

export async function saveThreadReadMark(store: ReadMarkRows, communityId: string, threadId: string, mark: ThreadReadMark): Promise<void> {
  await store.db.readMarks.put({
    communityId,
    itemId: `${PREFIX}${threadId}`,
    value: { seenPostIds: [...mark.seenPostIds], at: mark.at },
    at: mark.at,
  });
}
