// How a home card asks the Threads section to open a thread, or the new-thread dialog, when it mounts:
// one pending request, for one community, taken once.
export interface ThreadIntent {
  readonly communityId: string;
  readonly threadId?: string;
  readonly create?: boolean;
}

let pending: ThreadIntent | null = null;

export function requestThread(intent: ThreadIntent): void {
  pending = intent;
}

export function takeThreadIntent(communityId: string): ThreadIntent | null {
  const intent = pending;
  // Cleared after this tick rather than now: React may run a state initializer twice in development.
  setTimeout(() => {
    if (pending === intent) pending = null;
  }, 0);
  return intent?.communityId === communityId ? intent : null;
}
