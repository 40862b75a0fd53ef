// Makes sure the large community is generated and cached before the measures that use it start, checks
// that the cached one still reads whole with today's queries (else generates it again), and reports its
// shape and size. HEARTH_BENCH_REGENERATE=1 forces a new generation.
import * as Y from 'yjs';
import { listBoards } from '../../../shared/boards/queries.js';
import { readCommunity } from '../../../shared/community/queries.js';
import { readLibrary } from '../../../shared/library/queries.js';
import { listNotes } from '../../../shared/notes/queries.js';
import { listThreads } from '../../../shared/threads/queries.js';
import { largeCommunity, type LargeCommunity } from '../harness/large-community.js';
import { progress, report } from '../harness/report.js';

function readsWhole(community: LargeCommunity): string | null {
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, community.state);
  const view = readCommunity(doc);
  const notes = listNotes(doc);
  const threads = listThreads(doc);
  const library = readLibrary(doc);
  const boards = listBoards(doc);
  const cards = boards.reduce((sum, board) => sum + board.cardCount, 0);
  const posts = threads.threads.reduce((sum, thread) => sum + thread.posts.length, 0);
  doc.destroy();
  const problems = view.problems.length + notes.problems.length + threads.problems.length + library.problems.length;
  const { counts } = community;
  if (problems > 0) return `${problems} records no longer read`;
  if (
    view.members.length !== counts.members ||
    notes.notes.length !== counts.notes ||
    posts !== counts.posts ||
    cards !== counts.cards ||
    library.total !== counts.resources
  )
    return 'counts differ';
  return null;
}

let community = largeCommunity(undefined, progress, process.env.HEARTH_BENCH_REGENERATE === '1');
if (community.fromCache) {
  const problem = readsWhole(community);
  if (problem) {
    progress(`the cached community is stale (${problem}); generating it again`);
    community = largeCommunity(undefined, progress, true);
  }
}
const { counts } = community;
progress(
  `${community.fromCache ? 'cached' : `generated in ${(community.generatedMs / 1_000).toFixed(1)} s`}: ${counts.members} members, ${counts.notes} notes (B4 each), ` +
    `${counts.posts.toLocaleString('en-US')} posts in ${counts.threads} threads, ${counts.cards.toLocaleString('en-US')} cards on ${counts.boards} boards, ` +
    `${counts.resources.toLocaleString('en-US')} resources; state ${(community.state.byteLength / 1_048_576).toFixed(2)} MB (V2)`,
);
report(
  [
    {
      id: '–',
      measure: 'Large community: Y.encodeStateAsUpdateV2 size',
      hearth: community.state.byteLength,
      baseline: null,
      unit: 'B',
      ratio: null,
      pass: null,
    },
  ],
  [
    `Large community (generated from seed through the real commands${community.fromCache ? '; cached' : `; generated in ${(community.generatedMs / 1_000).toFixed(0)} s`}): ${counts.members} members, ${counts.notes} notes each holding the B4 trace with its history, ` +
      `${counts.posts.toLocaleString('en-US')} posts in ${counts.threads} threads, ${counts.cards.toLocaleString('en-US')} cards on ${counts.boards} boards, ${counts.resources.toLocaleString('en-US')} resources; ` +
      `state ${(community.state.byteLength / 1_048_576).toFixed(2)} MB (V2).`,
  ],
);
