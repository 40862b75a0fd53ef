// How another part of the app (a home card) asks the Notes section to open a note or start a new one
// when it mounts: one pending request, for one community, taken once.
export interface NoteIntent {
  readonly communityId: string;
  readonly noteId?: string;
  readonly create?: boolean;
}

let pending: NoteIntent | null = null;

export function requestNote(intent: NoteIntent): void {
  pending = intent;
}

export function takeNoteIntent(communityId: string): NoteIntent | null {
  const intent = pending;
  // Cleared after this tick rather than now: React may run a state initializer twice in development.
  setTimeout(() => {
    if (pending === intent) pending = null;
  }, 0);
  return intent?.communityId === communityId ? intent : null;
}
