// How another part of the app (the community home's card) asks the Sessions section to open a tab or
// a particular session, event or poll when it mounts: one pending request, for one community, taken once.
export type SessionsTab = 'sessions' | 'events' | 'polls';

export interface SessionsIntent {
  readonly communityId: string;
  readonly tab: SessionsTab;
  readonly sessionId?: string;
  readonly create?: boolean;
}

let pending: SessionsIntent | null = null;

export function requestSessions(intent: SessionsIntent): void {
  pending = intent;
}

export function takeSessionsIntent(communityId: string): SessionsIntent | null {
  const intent = pending;
  // Cleared after this tick rather than now: React may run a state initializer twice in development.
  setTimeout(() => {
    if (pending === intent) pending = null;
  }, 0);
  return intent?.communityId === communityId ? intent : null;
}
