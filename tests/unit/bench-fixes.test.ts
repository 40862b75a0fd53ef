// What the benchmarks' fixes promise (issue 6): a secure channel merges the updates that queue behind
// the message being sent, DexieStore's compaction deletes only the community's own rows (by primary-key
// runs), and persistDoc loads a long log in one transaction without missing a change made meanwhile.
import { EventEmitter } from 'node:events';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DexieStore, consecutiveRuns } from '../../renderer/store/dexie-store.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import { persistDoc } from '../../shared/store/persist-doc.js';
import { deriveCommunityKeys, newCommunitySecret } from '../../shared/sync/keys.js';
import { MAX_MERGED_UPDATES, emptyCounters, inspectPeerMessage, secureChannel, type PeerLike } from '../../shared/sync/secure-channel.js';

const AD = new TextEncoder().encode('hearth-room');

class LoopbackPeer extends EventEmitter implements PeerLike {
  other!: LoopbackPeer;
  destroyed = false;
  readonly _channel = { bufferedAmount: 0 };
  send(data: Uint8Array): void {
    queueMicrotask(() => this.other.emit('data', data));
  }
  destroy(): void {
    this.destroyed = true;
  }
  override listeners(event: 'data') {
    return super.listeners(event) as ((data: Uint8Array) => void)[];
  }
}

async function channelPair() {
  const a = new LoopbackPeer();
  const b = new LoopbackPeer();
  a.other = b;
  b.other = a;
  const received: Uint8Array[] = [];
  b.on('data', (data: Uint8Array) => received.push(data));
  const messageKey = (await deriveCommunityKeys(newCommunitySecret(), 'community0000001')).messageKey;
  const countersA = emptyCounters();
  secureChannel(a, { key: messageKey, associatedData: AD, counters: countersA });
  secureChannel(b, { key: messageKey, associatedData: AD, counters: emptyCounters() });
  return { a, received, countersA };
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Applies what arrived the way y-webrtc would: every sync message's update into `doc`. */
function applyReceived(doc: Y.Doc, messages: readonly Uint8Array[]): void {
  for (const message of messages) {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder); // y-webrtc's message type (sync)
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, null);
  }
}

describe('the secure channel merges updates queued behind the message in flight', () => {
  it('sends a burst of 1,000 edits as a few messages, and the receiver ends with every edit', async () => {
    const { a, received, countersA } = await channelPair();
    const author = new Y.Doc();
    author.on('update', (update: Uint8Array) => a.send(updateMessage(update)));
    for (let i = 0; i < 1_000; i += 1) author.getMap('bench').set(`edit:${i}`, i);
    await expect.poll(() => countersA.sentMessages, { timeout: 5_000 }).toBe(Math.ceil(1_000 / MAX_MERGED_UPDATES));
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(countersA.sentMessages);
    expect(received.every((message) => inspectPeerMessage(message) === 'update')).toBe(true);
    const replica = new Y.Doc();
    applyReceived(replica, received);
    expect(replica.getMap('bench').size).toBe(1_000);
    expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(author));
  });

  it('never lets an update overtake another kind of message', async () => {
    const { a, received } = await channelPair();
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 4; i += 1) author.getText('t').insert(0, `${i}`);
    a.send(updateMessage(updates[0]!));
    a.send(updateMessage(updates[1]!));
    a.send(syncStep1Message(author));
    a.send(updateMessage(updates[2]!));
    a.send(updateMessage(updates[3]!));
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(3);
    expect(received.map((message) => inspectPeerMessage(message))).toEqual(['update', 'sync-step-1', 'update']);
    const replica = new Y.Doc();
    applyReceived(replica, [received[0]!]);
    expect(replica.getText('t').toString()).toBe('10');
  });
});

describe('DexieStore compaction', () => {
  it('cuts sorted seqs into runs of consecutive values', () => {
    expect(consecutiveRuns([])).toEqual([]);
    expect(consecutiveRuns([4])).toEqual([[4, 4]]);
    expect(consecutiveRuns([1, 2, 3, 7, 8, 10])).toEqual([
      [1, 3],
      [7, 8],
      [10, 10],
    ]);
  });

  it('deletes only its own community’s rows up to the seq it covers, with other communities’ rows between them', async () => {
    const store = new DexieStore({ name: 'hearth-compaction', indexedDB: new IDBFactory(), IDBKeyRange });
    const seqs: { community: string; seq: number }[] = [];
    for (let i = 0; i < 30; i += 1) {
      const community = i % 3 === 0 ? 'othercommunity01' : 'community0000001';
      seqs.push({ community, seq: await store.append(community, new Uint8Array([i + 1])) });
    }
    const own = seqs.filter((row) => row.community === 'community0000001').map((row) => row.seq);
    const upTo = own[12]!;
    await store.compact('community0000001', new Uint8Array([42]), upTo);
    const left = await store.load('community0000001');
    expect(left.snapshot).toEqual(new Uint8Array([42]));
    expect(left.updates.map((row) => row.seq)).toEqual(own.filter((seq) => seq > upTo));
    expect((await store.load('othercommunity01')).updates).toHaveLength(10);
    await store.close();
  });
});

describe('persistDoc loads a long log in one transaction', () => {
  it('emits one update for the whole load, loads every row, and still records a change made while the store was read', async () => {
    const store = new MemoryStore();
    const source = new Y.Doc();
    source.on('updateV2', (update: Uint8Array) => void store.append('community0000001', update));
    for (let i = 0; i < 500; i += 1) source.getText('t').insert(i, 'x');
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    const persisted = persistDoc(doc, 'community0000001', store, { compactAfterRows: 10_000 });
    doc.getText('local').insert(0, 'typed while loading');
    const report = await persisted.whenLoaded;
    expect(report.rowsRead).toBe(500);
    expect(updates).toBe(2); // the change typed meanwhile, and the whole load
    expect(doc.getText('t').toString()).toBe('x'.repeat(500));
    doc.getText('local').insert(0, '+');
    await persisted.close();
    const reopened = new Y.Doc();
    await persistDoc(reopened, 'community0000001', store).whenLoaded;
    expect(reopened.getText('local').toString()).toBe('+typed while loading');
  });
});
