// The queries the community home runs when it opens (renderer/communities/CommunityHome.tsx and the
// sections' home cards): the community view, each section's count and home card. Each distinct query
// runs once here; the UI runs some of them more than once (count, card and tab badge), which the
// time-to-interactive measure in Chromium includes.
import type * as Y from 'yjs';
import { listBoards, readMyCards } from '../../../shared/boards/queries.js';
import { readCommunity } from '../../../shared/community/queries.js';
import { readLibrary } from '../../../shared/library/queries.js';
import { listNotes } from '../../../shared/notes/queries.js';
import { listThreads } from '../../../shared/threads/queries.js';

export interface HomeCounts {
  readonly members: number;
  readonly notes: number;
  readonly threads: number;
  readonly boards: number;
  readonly myCards: number;
  readonly resources: number;
}

export function homeQueries(doc: Y.Doc, memberId: string): HomeCounts {
  const view = readCommunity(doc);
  const notes = listNotes(doc).notes;
  const threads = listThreads(doc).threads;
  const boards = listBoards(doc);
  const myCards = readMyCards(doc, memberId);
  const library = readLibrary(doc, { sort: 'newest' });
  return {
    members: view.members.length,
    notes: notes.length,
    threads: threads.length,
    boards: boards.length,
    myCards: myCards.length,
    resources: library.total,
  };
}
