// Keeps the membership and moderation logs append-only in fact. Entries are written once and never
// edited, so no honest change deletes one; yet any member's device can send a plain map delete, or a
// second write under an entry's key (which deletes the first). Each device therefore remembers every
// entry it has seen and, the moment one vanishes or is replaced, writes it back as it was — inside the
// same applyUpdate call, before anything reads the log again (Yjs runs a change made by an observer as
// the next transaction, and the observer is registered before sync starts). The deletion stays in the
// history; its effect is gone everywhere an honest device is online, and the write-back reaches the
// others like any change.
import type * as Y from 'yjs';
import { membershipEntrySchema, membershipLog, moderationEntrySchema, moderationLog } from './entries.js';

/** Transactions that write back a vanished entry carry this origin. */
export const LOG_KEEPER_ORIGIN = Symbol('hearth-log-keeper');

export interface LogKeeper {
  /** Entries written back so far. */
  readonly restored: () => number;
  stop(): void;
}

/**
 * Remembers every well-formed entry of both logs (its shape, its id as its key, this community) from
 * now on, and writes back any that vanishes or is replaced. Signatures are not checked here: replay
 * ignores a badly signed entry whether or not it is kept, and checking here would leave a window
 * (Web Crypto is async) in which a fresh entry could be deleted for good.
 */
export function keepLogEntries(doc: Y.Doc, communityId: string, onRestore?: (entryId: string) => void): LogKeeper {
  const logs = [
    { map: membershipLog(doc), schema: membershipEntrySchema },
    { map: moderationLog(doc), schema: moderationEntrySchema },
  ] as const;
  let restored = 0;
  let stopped = false;

  const stops = logs.map(({ map, schema }) => {
    // The entry and its JSON: two devices that write back the same entry at once make two copies of it,
    // and Yjs keeps one; a copy is the entry, so comparing by content ends there instead of bouncing.
    const kept = new Map<string, { readonly value: unknown; readonly json: string }>();
    const remember = (key: string, value: unknown) => {
      if (kept.has(key)) return;
      const parsed = schema.safeParse(value);
      if (parsed.success && parsed.data.id === key && parsed.data.community === communityId)
        kept.set(key, { value, json: JSON.stringify(value) });
    };
    const intact = (key: string) => map.has(key) && JSON.stringify(map.get(key)) === kept.get(key)!.json;
    for (const [key, value] of map.entries()) remember(key, value);
    const observer = (event: Y.YMapEvent<unknown>) => {
      if (stopped) return;
      const vanished: string[] = [];
      for (const [key, change] of event.changes.keys) {
        if (change.action === 'add') remember(key, map.get(key));
        else if (kept.has(key) && !intact(key)) vanished.push(key);
      }
      if (vanished.length === 0) return;
      // Inside an observer, Yjs queues this as the next transaction of the same call.
      map.doc!.transact(() => {
        for (const key of vanished) {
          map.set(key, kept.get(key)!.value);
          restored += 1;
          onRestore?.(key);
        }
      }, LOG_KEEPER_ORIGIN);
    };
    map.observe(observer);
    return () => map.unobserve(observer);
  });

  return {
    restored: () => restored,
    stop() {
      stopped = true;
      for (const stop of stops) stop();
    },
  };
}
