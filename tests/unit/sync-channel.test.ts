import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebrtcProvider } from 'y-webrtc';
import { deriveCommunityKeys, newCommunitySecret } from '../../shared/sync/keys.js';
import { open, seal } from '../../shared/crypto.js';
import { startCommunitySync } from '../../shared/sync/community-sync.js';
import {
  FRAME_PAYLOAD_BYTES,
  Reassembler,
  emptyCounters,
  inspectPeerMessage,
  secureChannel,
  toFrames,
  type PeerLike,
} from '../../shared/sync/secure-channel.js';

const AD = new TextEncoder().encode('hearth-room');

async function key() {
  return (await deriveCommunityKeys(newCommunitySecret(), 'community0000001')).messageKey;
}

function syncUpdateMessage(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

/** Two simple-peer look-alikes joined back to back in memory: what one sends, the other emits. */
class LoopbackPeer extends EventEmitter implements PeerLike {
  other!: LoopbackPeer;
  destroyed = false;
  readonly _channel = { bufferedAmount: 0 };
  readonly wire: Uint8Array[] = [];
  tamper: ((frame: Uint8Array) => Uint8Array) | null = null;
  send(data: Uint8Array): void {
    const frame = this.tamper ? this.tamper(data) : data;
    this.wire.push(frame);
    queueMicrotask(() => this.other.emit('data', frame));
  }
  destroy(): void {
    this.destroyed = true;
  }
  override listeners(event: 'data') {
    return super.listeners(event) as ((data: Uint8Array) => void)[];
  }
}

function pair() {
  const a = new LoopbackPeer();
  const b = new LoopbackPeer();
  a.other = b;
  b.other = a;
  return { a, b };
}

describe('sealing', () => {
  it('opens what it sealed, and nothing that was altered, re-addressed or sealed with another key', async () => {
    const messageKey = await key();
    const sealed = await seal(messageKey, new TextEncoder().encode('hello'), AD);
    expect(new TextDecoder().decode((await open(messageKey, sealed, AD))!)).toBe('hello');
    for (let position = 0; position < sealed.length; position += 7) {
      const flipped = sealed.slice();
      flipped[position]! ^= 1;
      expect(await open(messageKey, flipped, AD)).toBeNull();
    }
    expect(await open(messageKey, sealed, new TextEncoder().encode('another-room'))).toBeNull();
    expect(await open(await key(), sealed, AD)).toBeNull();
    expect(await open(messageKey, sealed.subarray(0, 10), AD)).toBeNull();
  });
});

describe('framing', () => {
  it('cuts a 10 MB message into frames of at most 16 KiB and rebuilds it exactly', () => {
    const big = new Uint8Array(10 * 1024 * 1024).map((_, index) => index * 31);
    const frames = toFrames(7, big);
    expect(frames.length).toBe(Math.ceil(big.length / FRAME_PAYLOAD_BYTES));
    expect(Math.max(...frames.map((frame) => frame.byteLength))).toBeLessThanOrEqual(FRAME_PAYLOAD_BYTES + 16);
    const reassembler = new Reassembler();
    const results = frames.map((frame) => reassembler.push(frame));
    const last = results.at(-1)!;
    expect(results.slice(0, -1).every((result) => result.kind === 'partial')).toBe(true);
    expect(last.kind === 'complete' && Buffer.from(last.sealed).equals(Buffer.from(big))).toBe(true);
  });

  it('refuses frames out of order, foreign bytes and messages over the size limit, then recovers', () => {
    const reassembler = new Reassembler(64 * 1024);
    const frames = toFrames(1, new Uint8Array(40_000));
    expect(reassembler.push(frames[0]!).kind).toBe('partial');
    expect(reassembler.push(frames[2]!)).toEqual({ kind: 'error', reason: 'out-of-order' });
    expect(reassembler.push(new Uint8Array([1, 2, 3]))).toEqual({ kind: 'error', reason: 'not-a-frame' });
    expect(reassembler.push(toFrames(2, new Uint8Array(100 * 1024))[0]!)).toEqual({ kind: 'error', reason: 'too-big' });
    const again = toFrames(3, new Uint8Array([9, 9, 9]));
    expect(reassembler.push(again[0]!).kind).toBe('complete');
  });
});

describe('inspection before Yjs sees anything', () => {
  it('accepts real y-webrtc messages and refuses malformed ones', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hi');
    expect(inspectPeerMessage(syncUpdateMessage(doc))).toBe('update');
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, doc);
    expect(inspectPeerMessage(encoding.toUint8Array(step1))).toBe('sync-step-1');
    const broken = syncUpdateMessage(doc).slice(0, -3);
    expect(inspectPeerMessage(broken)).toBeNull();
    expect(inspectPeerMessage(new Uint8Array([0, 2, 5, 255, 255, 255, 255, 255]))).toBeNull();
    expect(inspectPeerMessage(new Uint8Array([9]))).toBeNull();
    expect(inspectPeerMessage(new Uint8Array([]))).toBeNull();
    const awareness = encoding.createEncoder();
    encoding.writeVarUint(awareness, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, 5);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, '{not json');
    encoding.writeVarUint8Array(awareness, encoding.toUint8Array(inner));
    expect(inspectPeerMessage(encoding.toUint8Array(awareness))).toBeNull();
  });
});

describe('the secure channel between two connections', () => {
  async function connected(tamper: ((frame: Uint8Array) => Uint8Array) | null = null, otherKey = false) {
    const { a, b } = pair();
    const received: Uint8Array[] = [];
    b.on('data', (data: Uint8Array) => received.push(data));
    const countersA = emptyCounters();
    const countersB = emptyCounters();
    const messageKey = await key();
    secureChannel(a, { key: messageKey, associatedData: AD, counters: countersA });
    secureChannel(b, { key: otherKey ? await key() : messageKey, associatedData: AD, counters: countersB });
    a.tamper = tamper;
    return { a, b, received, countersB };
  }

  it('keeps delivering after a listener throws: that message is counted as malformed, the next one arrives', async () => {
    const { a, b } = pair();
    const received: string[] = [];
    const counters = emptyCounters();
    const messageKey = await key();
    secureChannel(a, { key: messageKey, associatedData: AD, counters: emptyCounters() });
    let throws = true;
    secureChannel(b, {
      key: messageKey,
      associatedData: AD,
      counters,
      onMessage: (_kind, message) => {
        if (throws) {
          throws = false;
          throw new Error('a listener that fails once');
        }
        received.push(Buffer.from(message).toString('hex'));
      },
    });
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'first');
    a.send(syncUpdateMessage(doc));
    await expect.poll(() => counters.malformed, { timeout: 5_000 }).toBe(1);
    const second = new Y.Doc();
    second.getText('t').insert(0, 'second');
    a.send(syncUpdateMessage(second));
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(1);
    expect(received[0]).toBe(Buffer.from(syncUpdateMessage(second)).toString('hex'));
  });

  it('delivers y-webrtc’s messages in order, and only sealed bytes cross the wire', async () => {
    const { a, received } = await connected();
    const doc = new Y.Doc();
    const messages: Uint8Array[] = [];
    for (let index = 0; index < 5; index += 1) {
      doc.getText('t').insert(0, `secret words ${index} `.repeat(index * 5000 + 1));
      // Sync step 2 (a whole state, as sent on connecting): update messages would go out merged.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep2(encoder, doc);
      messages.push(encoding.toUint8Array(encoder));
    }
    for (const message of messages) a.send(message);
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(5);
    received.forEach((message, index) => expect(Buffer.from(message).equals(Buffer.from(messages[index]!))).toBe(true));
    const wire = Buffer.concat(a.wire);
    expect(wire.includes(Buffer.from('secret words'))).toBe(false);
  });

  it('drops tampered messages and messages under another key before y-webrtc sees them, and counts them', async () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello');
    const tampered = await connected((frame) => {
      const copy = frame.slice();
      copy[copy.length - 1]! ^= 0xff;
      return copy;
    });
    tampered.a.send(syncUpdateMessage(doc));
    await expect.poll(() => tampered.countersB.rejected, { timeout: 2_000 }).toBe(1);
    expect(tampered.received).toEqual([]);

    const wrongKey = await connected(null, true);
    wrongKey.a.send(syncUpdateMessage(doc));
    await expect.poll(() => wrongKey.countersB.rejected, { timeout: 2_000 }).toBe(1);
    expect(wrongKey.received).toEqual([]);

    const plain = await connected();
    plain.b.emit('data', syncUpdateMessage(doc)); // an unsealed y-webrtc message, as a stock client sends
    await expect.poll(() => plain.countersB.rejected, { timeout: 2_000 }).toBe(1);
    expect(plain.received).toEqual([]);
  });
});

describe('the seam in y-webrtc 10.3.0', () => {
  it('opens its room once the key is derived, with connections kept in a Map (secure-channel hooks its set)', async () => {
    const provider = new WebrtcProvider(`hearth-seam-test-${Date.now()}`, new Y.Doc(), { signaling: [], password: 'p' });
    await provider.key;
    const room = (provider as unknown as { room: { webrtcConns: unknown } | null }).room;
    expect(room?.webrtcConns).toBeInstanceOf(Map);
    provider.destroy();
  });
});

describe('starting sync', () => {
  it('does not push the whole document over BroadcastChannel, and edits after the start still go out', async () => {
    const doc = new Y.Doc();
    doc.getText('scratch').insert(0, 'x'.repeat(200_000));
    const communityId = `bcpushtest${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const secret = newCommunitySecret();
    const keys = await deriveCommunityKeys(secret, communityId);
    const sizes: number[] = [];
    // Another tab of the same profile would listen here (lib0 rides on the platform's BroadcastChannel).
    const channel = new BroadcastChannel(keys.roomName);
    channel.onmessage = (event: MessageEvent) => sizes.push(JSON.stringify(event.data).length);
    const sync = await startCommunitySync({ doc, communityId, secret, signalingUrls: [] });
    await sync.ready;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(5_000);
    // The document's own edits are still broadcast (the room follows the real document).
    sizes.length = 0;
    doc.getText('scratch').insert(0, 'y'.repeat(20_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Math.max(0, ...sizes)).toBeGreaterThan(20_000);
    // And so after a pause and resume.
    sync.pause();
    sync.resume();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sizes.length = 0;
    doc.getText('scratch').insert(0, 'z'.repeat(20_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Math.max(0, ...sizes)).toBeGreaterThan(20_000);
    sync.destroy();
    channel.close();
  });
});
