// Puts the large community into a CommunityStore as a member's device holds it some time after the
// last compaction: the snapshot, and a few replies written since (log rows). No Node or DOM imports:
// the Node measures and the Chromium page both use it.
import { sha256Hex } from '../../../shared/crypto.js';
import * as Y from 'yjs';
import { persistDoc } from '../../../shared/store/persist-doc.js';
import type { CommunityStore } from '../../../shared/store/store.js';
import { reply } from '../../../shared/threads/commands.js';
import { listThreads } from '../../../shared/threads/queries.js';

export const LOG_ROWS_AFTER_SNAPSHOT = 20;

export interface SeedInput {
  readonly communityId: string;
  readonly name: string;
  readonly memberId: string;
  readonly state: Uint8Array;
}

/** Stores the community; resolves with the state of the whole (snapshot + log) as one V2 update. */
export async function seedStoredCommunity(store: CommunityStore, community: SeedInput, secret?: string): Promise<Uint8Array> {
  const now = Date.UTC(2026, 0, 5);
  await store.putCommunity({
    id: community.communityId,
    name: community.name,
    joinedAt: now,
    lastOpenedAt: now,
    signalingHints: [],
    ...(secret ? { secret } : {}),
  });
  // As the app's own compaction writes it: with the SHA-256 of the snapshot (shared/store/persist-doc.ts).
  await store.compact(community.communityId, community.state, 0, await sha256Hex(community.state));
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, community.state);
  const persisted = persistDoc(doc, community.communityId, store);
  await persisted.whenLoaded;
  const thread = listThreads(doc).threads[0]!;
  for (let i = 0; i < LOG_ROWS_AFTER_SNAPSHOT; i += 1) {
    const text = `Reply ${i}, written after the last compaction.`;
    reply(doc, thread.id, {
      by: community.memberId,
      body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
      now: now + i,
    });
    await persisted.flush();
  }
  await persisted.close();
  const stats = await store.stats(community.communityId);
  if (stats.logRows !== LOG_ROWS_AFTER_SNAPSHOT) throw new Error(`expected ${LOG_ROWS_AFTER_SNAPSHOT} log rows, found ${stats.logRows}`);
  const state = Y.encodeStateAsUpdateV2(doc);
  doc.destroy();
  return state;
}
