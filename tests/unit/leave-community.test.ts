// Leaving a community on this device: the store forgets exactly that community, and the wait for the
// leave entry to reach the members online is bounded.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DexieStore } from '../../renderer/store/dexie-store.js';
import { waitForPush } from '../../renderer/communities/leave.js';
import type { SyncPhase, SyncStatus } from '../../shared/sync/community-sync.js';
import { emptyCounters } from '../../shared/sync/secure-channel.js';
import { changeStoreIn } from '../../shared/sync/change-log.js';

const LEAVING = 'aaaaaaaaaaaaaaaa';
const STAYING = 'bbbbbbbbbbbbbbbb';

describe('DexieStore.deleteCommunity', () => {
  it('removes one community’s directory row, log, signed changes, snapshot, damaged rows, read marks and settings, and nothing else', async () => {
    const store = new DexieStore({ name: 'hearth-leave-test', indexedDB: new IDBFactory(), IDBKeyRange });
    for (const id of [LEAVING, STAYING]) {
      await store.putCommunity({ id, name: id, joinedAt: 1, lastOpenedAt: 1, signalingHints: [] });
      const first = await store.append(id, new Uint8Array([1]));
      await store.compact(id, new Uint8Array([9]), first);
      await store.append(id, new Uint8Array([2]));
      await store.append(id, new Uint8Array([3]));
      await store.setAside(id, await store.append(id, new Uint8Array([4])), 'test');
      await store.db.readMarks.put({ communityId: id, itemId: 'thread0000000000', value: 1, at: 1 });
      await store.putSetting(`lastSeen:${id}`, { someone: 1 });
      await changeStoreIn(store, id).append(new Uint8Array([5]));
    }
    await store.putSetting('profile', { displayName: 'Maya' });
    await store.db.blobs.put({ hash: 'ab'.repeat(32), bytes: new Uint8Array([7]), type: 'text/plain', size: 1, storedAt: 1 });

    await store.deleteCommunity(LEAVING);

    expect((await store.listCommunities()).communities.map((entry) => entry.id)).toEqual([STAYING]);
    expect(await store.load(LEAVING)).toMatchObject({ snapshot: null, updates: [] });
    expect(await changeStoreIn(store, LEAVING).load()).toEqual([]);
    expect(await store.damagedCount(LEAVING)).toBe(0);
    expect(await store.db.readMarks.where('communityId').equals(LEAVING).count()).toBe(0);
    expect(await store.getSetting(`lastSeen:${LEAVING}`)).toBeUndefined();

    const staying = await store.load(STAYING);
    expect(staying.snapshot).toEqual(new Uint8Array([9]));
    expect(staying.updates.map((row) => [...row.update])).toEqual([[2], [3]]);
    expect((await changeStoreIn(store, STAYING).load()).map((change) => [...change])).toEqual([[5]]);
    expect(await store.damagedCount(STAYING)).toBe(1);
    expect(await store.db.readMarks.where('communityId').equals(STAYING).count()).toBe(1);
    expect(await store.getSetting(`lastSeen:${STAYING}`)).toEqual({ someone: 1 });
    expect(await store.getSetting('profile')).toEqual({ displayName: 'Maya' });
    // Files are kept by content hash and may belong to other communities too.
    expect(await store.db.blobs.count()).toBe(1);
    await store.close();
  });
});

/** A sync whose status the test sets, as the real one reports it. */
function fakeSync(phase: SyncPhase, peers = 0, syncedPeers = 0) {
  let status: SyncStatus = {
    phase,
    signalingConnected: phase === 'offline' ? 0 : 1,
    peers,
    syncedPeers,
    lastExchangeAt: null,
    counters: emptyCounters(),
    changes: null,
  };
  const listeners = new Set<(status: SyncStatus) => void>();
  return {
    status: () => status,
    onStatus(listener: (status: SyncStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: Partial<SyncStatus>) {
      status = { ...status, ...next };
      for (const listener of listeners) listener(status);
    },
    listeners,
  };
}

describe('waitForPush', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not wait when no signaling server is reachable: nobody can be told', async () => {
    const sync = fakeSync('offline');
    expect(await waitForPush(sync)).toEqual({ peers: 0 });
  });

  it('gives members already synced a short settle for the entry to leave the data channels', async () => {
    vi.useFakeTimers();
    const sync = fakeSync('synced', 2, 2);
    let outcome: unknown = null;
    void waitForPush(sync, { timeoutMs: 3_000, settleMs: 500 }).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(499);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ peers: 2 });
    expect(sync.listeners.size).toBe(0);
  });

  it('waits for a member who is still connecting, and gives up at the bound', async () => {
    vi.useFakeTimers();
    const connecting = fakeSync('connecting', 1, 0);
    let outcome: unknown = null;
    void waitForPush(connecting, { timeoutMs: 3_000, settleMs: 500 }).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(1_000);
    connecting.set({ phase: 'synced', syncedPeers: 1 });
    await vi.advanceTimersByTimeAsync(500);
    expect(outcome).toEqual({ peers: 1 });

    const alone = fakeSync('looking');
    outcome = null;
    void waitForPush(alone, { timeoutMs: 3_000, settleMs: 500 }).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ peers: 0 });
    expect(alone.listeners.size).toBe(0);
  });
});
