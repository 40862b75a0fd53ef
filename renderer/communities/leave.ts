// Leaving a community: the signed `leave` entry must reach the members online now before this device
// forgets the community, because once its data is deleted nothing here can send the entry any more.
import type { CommunitySync, SyncStatus } from '../../shared/sync/community-sync.js';

/** The longest "Leave community" waits for connected members to receive the leave entry. */
export const LEAVE_PUSH_TIMEOUT_MS = 3_000;
/**
 * y-webrtc sends a change to every connected member the moment it is made; this is the time given for
 * it to leave the data channels' buffers once every connected member has synced.
 */
export const LEAVE_PUSH_SETTLE_MS = 500;

export interface PushOutcome {
  /** Members' devices that were connected and synced when the wait ended. */
  readonly peers: number;
}

/**
 * Resolves once every connected member's device has synced (then after a short settle), or once the
 * time is up, or at once when this device reaches no signaling server (nobody can be told).
 */
export function waitForPush(
  sync: Pick<CommunitySync, 'status' | 'onStatus'>,
  { timeoutMs = LEAVE_PUSH_TIMEOUT_MS, settleMs = LEAVE_PUSH_SETTLE_MS }: { timeoutMs?: number; settleMs?: number } = {},
): Promise<PushOutcome> {
  const pushed = (status: SyncStatus) => status.phase === 'synced' && status.peers > 0;
  if (sync.status().phase === 'offline') return Promise.resolve({ peers: 0 });
  return new Promise((resolve) => {
    let settling: ReturnType<typeof setTimeout> | null = null;
    const finish = () => {
      clearTimeout(deadline);
      if (settling) clearTimeout(settling);
      unsubscribe();
      resolve({ peers: sync.status().syncedPeers });
    };
    const check = (status: SyncStatus) => {
      if (settling || !pushed(status)) return;
      settling = setTimeout(finish, Math.min(settleMs, Math.max(0, timeoutMs)));
    };
    const deadline = setTimeout(finish, timeoutMs);
    const unsubscribe = sync.onStatus(check);
    check(sync.status());
  });
}
