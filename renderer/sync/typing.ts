// "Maya is typing…" in a thread, through Yjs awareness: the typist says where they type, and each
// reader times the signal by their own clock (peers' clocks differ), so a stale one fades on its own.
import { useEffect, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

/** A typist's signal is refreshed at most this often… */
const ANNOUNCE_EVERY_MS = 2_000;
/** …and counts as typing for this long after it was last received. */
const TYPING_FRESH_MS = 5_000;

/** Returns a function to call on each keystroke in the thread's reply box. */
export function useAnnounceTyping(awareness: Awareness | undefined, threadId: string): () => void {
  const last = useRef(0);
  useEffect(
    () => () => {
      // Leaving the thread stops the signal at once.
      if (awareness && (awareness.getLocalState() as { typing?: { threadId?: string } } | null)?.typing?.threadId === threadId)
        awareness.setLocalStateField('typing', null);
    },
    [awareness, threadId],
  );
  return () => {
    if (!awareness || Date.now() - last.current < ANNOUNCE_EVERY_MS) return;
    last.current = Date.now();
    // A counter, not a time: what matters is that it changes, and each reader times it locally.
    const previous = (awareness.getLocalState() as { typing?: { beat?: number } } | null)?.typing?.beat ?? 0;
    awareness.setLocalStateField('typing', { threadId, beat: previous + 1 });
  };
}

/** Names of other members typing in this thread now. */
export function useTypingIn(awareness: Awareness | undefined, threadId: string, me: string): string[] {
  const [typists, setTypists] = useState<string[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const heardAt = new Map<number, { beat: unknown; at: number }>();
    const read = () => {
      const now = Date.now();
      const names: string[] = [];
      for (const [clientId, state] of awareness.getStates()) {
        const { user, typing } = state as {
          user?: { id?: unknown; name?: unknown };
          typing?: { threadId?: unknown; beat?: unknown } | null;
        };
        if (!typing || typing.threadId !== threadId || !user || typeof user.name !== 'string' || user.id === me) continue;
        const heard = heardAt.get(clientId);
        if (!heard || heard.beat !== typing.beat) heardAt.set(clientId, { beat: typing.beat, at: now });
        if (now - (heardAt.get(clientId)?.at ?? 0) < TYPING_FRESH_MS) names.push(user.name.slice(0, 60));
      }
      setTypists((current) => (current.join('\u0000') === names.join('\u0000') ? current : names));
    };
    read();
    awareness.on('change', read);
    const timer = setInterval(read, 1_000);
    return () => {
      awareness.off('change', read);
      clearInterval(timer);
    };
  }, [awareness, threadId, me]);
  return typists;
}

export function typingSentence(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} members are typing…`;
}
