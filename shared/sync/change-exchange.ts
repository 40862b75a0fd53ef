// How two members' devices bring each other's change logs up to date over one sealed connection:
// each sends its heads (every chain's newest sequence number) when the connection opens and again
// whenever it has more; the other answers with the changes the heads lack, the last message of the
// answer marked complete. A change this device signs goes to every open connection at once. Message
// types 110 and 111 (Hearth's own range, README.md "Change exchange"); y-webrtc never sees them.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ChangeLog } from './change-log.js';
import { MAX_CHANGE_UPDATE_BYTES, SIGNATURE_BYTES, CHANGE_HEADER_BYTES } from './signed-change.js';

const HEADS = 110;
const CHANGES = 111;
/** Chains one heads message may name (a community of 30 members opened a few thousand times). */
export const MAX_HEADS = 1_000_000;
export const MAX_CHANGES_PER_MESSAGE = 100_000;
/**
 * How often a device tells its peers its heads again. A change goes to every open connection as it is
 * signed, so in a full mesh heads find nothing; they are for members not connected to an author, and
 * a tick's heads cost members × members messages (at 30 members, most of the traffic).
 */
export const HEADS_INTERVAL_MS = 3_000;
/** An answer is cut into messages of about this much. */
export const ANSWER_MESSAGE_BYTES = 4 * 1024 * 1024;

export type ChangeMessage =
  | { readonly type: 'heads'; readonly heads: ReadonlyMap<number, number> }
  | { readonly type: 'changes'; readonly complete: boolean; readonly changes: readonly Uint8Array[] };

export function encodeChangeMessage(message: ChangeMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  if (message.type === 'heads') {
    encoding.writeVarUint(encoder, HEADS);
    encoding.writeVarUint(encoder, message.heads.size);
    for (const [client, seq] of message.heads) {
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, seq);
    }
  } else {
    encoding.writeVarUint(encoder, CHANGES);
    encoding.writeVarUint(encoder, message.complete ? 1 : 0);
    encoding.writeVarUint(encoder, message.changes.length);
    for (const change of message.changes) encoding.writeVarUint8Array(encoder, change);
  }
  return encoding.toUint8Array(encoder);
}

/** Null for anything that is not a well-formed change message. */
export function decodeChangeMessage(bytes: Uint8Array): ChangeMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === HEADS) {
      const count = decoding.readVarUint(decoder);
      if (count > MAX_HEADS) return null;
      const heads = new Map<number, number>();
      for (let index = 0; index < count; index += 1) {
        const client = decoding.readVarUint(decoder);
        const seq = decoding.readVarUint(decoder);
        if (client > 0xffffffff || seq > 0xffffffff) return null;
        heads.set(client, seq);
      }
      return decoding.hasContent(decoder) ? null : { type: 'heads', heads };
    }
    if (type !== CHANGES) return null;
    const complete = decoding.readVarUint(decoder);
    const count = decoding.readVarUint(decoder);
    if ((complete !== 0 && complete !== 1) || count > MAX_CHANGES_PER_MESSAGE) return null;
    const changes: Uint8Array[] = [];
    for (let index = 0; index < count; index += 1) {
      const change = decoding.readVarUint8Array(decoder);
      if (
        change.byteLength < CHANGE_HEADER_BYTES + SIGNATURE_BYTES ||
        change.byteLength > CHANGE_HEADER_BYTES + MAX_CHANGE_UPDATE_BYTES + SIGNATURE_BYTES
      )
        return null;
      changes.push(change.slice());
    }
    return decoding.hasContent(decoder) ? null : { type: 'changes', complete: complete === 1, changes };
  } catch {
    return null;
  }
}

/** One open connection as the exchange sees it. */
export interface ChangePeer {
  readonly id: string;
  send(message: Uint8Array): void;
}

/**
 * The exchange over every open connection of one room. `opened` on a new connection, `received` for
 * each change message from it, `tick` now and then (sends heads to whoever has not seen the newest),
 * `closed` when it goes.
 */
export class ChangeExchange {
  /** How many changes (from other devices) this device held when it last sent its heads to each peer. */
  private readonly told = new Map<string, number>();
  /** Peers that have had a complete answer from this device since they connected. */
  private readonly answered = new Set<string>();
  private lastTick = 0;
  private readonly peers = new Map<string, ChangePeer>();
  private readonly stopSigned: () => void;

  constructor(
    private readonly log: ChangeLog,
    /** Called when a peer's answer to our heads is complete (it has sent everything we lacked). */
    private readonly onCaughtUp: (peerId: string) => void,
  ) {
    this.stopSigned = log.onSigned((change) => {
      const message = encodeChangeMessage({ type: 'changes', complete: false, changes: [change] });
      for (const peer of this.peers.values()) peer.send(message);
    });
  }

  opened(peer: ChangePeer): void {
    this.peers.set(peer.id, peer);
    this.sendHeads(peer);
  }

  closed(peerId: string): void {
    this.peers.delete(peerId);
    this.told.delete(peerId);
    this.answered.delete(peerId);
  }

  received(peerId: string, message: ChangeMessage): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    if (message.type === 'heads') {
      this.answer(peer, message.heads);
      // They hold changes this device lacks: tell them what it has, and they answer in turn.
      if (this.log.behind(message.heads)) this.sendHeads(peer);
      return;
    }
    void this.log.receive(message.changes).then(() => {
      if (message.complete) this.onCaughtUp(peerId);
    });
  }

  /**
   * Sends heads to every peer not told since this device last took in another device's change. Its
   * own changes went to every open connection as it signed them, so they need no announcement.
   */
  tick(now = Date.now()): void {
    if (now - this.lastTick < HEADS_INTERVAL_MS) return;
    this.lastTick = now;
    const total = this.total();
    for (const peer of this.peers.values()) if (this.told.get(peer.id) !== total) this.sendHeads(peer);
  }

  /** Asks one peer again (a stalled first exchange). */
  ask(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (peer) this.sendHeads(peer);
  }

  destroy(): void {
    this.stopSigned();
    this.peers.clear();
  }

  private sendHeads(peer: ChangePeer): void {
    this.told.set(peer.id, this.total());
    peer.send(encodeChangeMessage({ type: 'heads', heads: this.log.heads() }));
  }

  private answer(peer: ChangePeer, theirs: ReadonlyMap<number, number>): void {
    const known = new Map(theirs);
    // Once a peer has had its first complete answer, "nothing missing" goes unsaid.
    if (this.answered.has(peer.id) && this.log.missing(known, 1).length === 0) return;
    this.answered.add(peer.id);
    for (;;) {
      const changes = this.log.missing(known, ANSWER_MESSAGE_BYTES);
      const complete = changes.length === 0 || this.log.missing(advanced(known, changes), 1).length === 0;
      peer.send(encodeChangeMessage({ type: 'changes', complete, changes }));
      if (complete) return;
    }
  }

  private total(): number {
    let total = 0;
    for (const [client, seq] of this.log.heads()) if (client !== this.log.client) total += seq + 1;
    return total;
  }
}

/** `known` moved past the changes just sent (each names its client and seq in its header). */
function advanced(known: Map<number, number>, sent: readonly Uint8Array[]): Map<number, number> {
  for (const change of sent) {
    const view = new DataView(change.buffer, change.byteOffset, change.byteLength);
    const client = view.getUint32(9);
    const seq = view.getUint32(13);
    if (seq > (known.get(client) ?? -1)) known.set(client, seq);
  }
  return known;
}
