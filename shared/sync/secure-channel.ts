// The one place where Hearth changes how y-webrtc talks on a data channel. y-webrtc 10.3 sends every
// message in clear (its password covers signaling only) and as one piece, and a message over ~256 KiB
// never arrives (y-webrtc #20). This layer seals each message with AES-GCM under the community's
// message key, cuts it into frames of at most FRAME_PAYLOAD_BYTES, paces them by the channel's
// buffered amount, and on the other side reassembles, authenticates and checks the message *before*
// y-webrtc (and so Y.applyUpdate) sees it. See README.md for the frame format.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { open, seal } from '../crypto.js';
import { concatBytes } from './bytes.js';
import { HEARTH_MESSAGE_BASE, decodeHearthMessage } from './blob-exchange.js';
import { decodeChangeMessage } from './change-exchange.js';

export const FRAME_HEADER_BYTES = 16;
/** Payload per data-channel frame; 16 KiB is what every WebRTC stack delivers without fragmentation trouble. */
export const FRAME_PAYLOAD_BYTES = 16 * 1024;
/** Largest sealed message accepted from a peer (a whole community's state on first sync). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Sending pauses while the channel holds more than this, so big syncs do not overflow its buffer. */
export const HIGH_WATER_BYTES = 1024 * 1024;
const DRAIN_POLL_MS = 5;
/** A channel that does not drain for this long is treated as dead rather than waited on forever. */
const DRAIN_TIMEOUT_MS = 60_000;
/**
 * Document updates that queue behind the message being sealed or sent go out merged into one message,
 * up to this many: every message costs a seal, a send and an open, and y-webrtc re-broadcasts each
 * update a member receives, so a burst of edits otherwise costs members × members messages per edit.
 * Bounded because Y.mergeUpdates grows faster than linearly (64 small updates merge in about 1 ms).
 */
export const MAX_MERGED_UPDATES = 64;
const FRAME_MAGIC = 0x48; // 'H'
const FRAME_VERSION = 1;

// y-webrtc's message types (src/y-webrtc.js) and y-protocols' sync steps.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export type PeerMessageKind = 'sync-step-1' | 'sync-step-2' | 'update' | 'awareness' | 'query-awareness' | 'hearth';

export interface ChannelCounters {
  /** Frames or messages that failed authentication (wrong key, tampered, or not Hearth at all). */
  rejected: number;
  /** Authenticated messages whose content y-webrtc or Yjs would choke on. */
  malformed: number;
  /** Messages refused for size, or frames out of order. */
  oversize: number;
  sentMessages: number;
  receivedMessages: number;
  sentFrames: number;
  receivedFrames: number;
}

export function emptyCounters(): ChannelCounters {
  return { rejected: 0, malformed: 0, oversize: 0, sentMessages: 0, receivedMessages: 0, sentFrames: 0, receivedFrames: 0 };
}

/** Frame: magic u8 | version u8 | reserved u16 | message id u32 | index u32 | count u32 | payload. */
export function toFrames(messageId: number, sealed: Uint8Array, payloadBytes = FRAME_PAYLOAD_BYTES): Uint8Array[] {
  const count = Math.max(1, Math.ceil(sealed.byteLength / payloadBytes));
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index += 1) {
    const payload = sealed.subarray(index * payloadBytes, (index + 1) * payloadBytes);
    const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.byteLength);
    const view = new DataView(frame.buffer);
    view.setUint8(0, FRAME_MAGIC);
    view.setUint8(1, FRAME_VERSION);
    view.setUint32(4, messageId >>> 0);
    view.setUint32(8, index);
    view.setUint32(12, count);
    frame.set(payload, FRAME_HEADER_BYTES);
    frames.push(frame);
  }
  return frames;
}

export type ReassemblyResult =
  | { readonly kind: 'complete'; readonly sealed: Uint8Array }
  | { readonly kind: 'partial' }
  | { readonly kind: 'error'; readonly reason: 'not-a-frame' | 'out-of-order' | 'too-big' };

/**
 * Rebuilds sealed messages from frames. A data channel is ordered and reliable, so frames of one
 * message arrive in sequence; anything else is a broken or hostile peer and resets the reassembly.
 */
export class Reassembler {
  private messageId = -1;
  private expected = 0;
  private count = 0;
  private parts: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  push(frame: Uint8Array): ReassemblyResult {
    if (frame.byteLength < FRAME_HEADER_BYTES || frame[0] !== FRAME_MAGIC || frame[1] !== FRAME_VERSION) {
      this.reset();
      return { kind: 'error', reason: 'not-a-frame' };
    }
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const messageId = view.getUint32(4);
    const index = view.getUint32(8);
    const count = view.getUint32(12);
    const payload = frame.subarray(FRAME_HEADER_BYTES);
    if (index === 0) {
      this.reset();
      if (count === 0 || count * FRAME_PAYLOAD_BYTES > this.maxMessageBytes + FRAME_PAYLOAD_BYTES)
        return { kind: 'error', reason: 'too-big' };
      this.messageId = messageId;
      this.count = count;
    } else if (messageId !== this.messageId || index !== this.expected || count !== this.count) {
      this.reset();
      return { kind: 'error', reason: 'out-of-order' };
    }
    this.bytes += payload.byteLength;
    if (this.bytes > this.maxMessageBytes) {
      this.reset();
      return { kind: 'error', reason: 'too-big' };
    }
    this.parts.push(payload.slice());
    this.expected = index + 1;
    if (this.expected < this.count) return { kind: 'partial' };
    const sealed = this.parts.length === 1 ? this.parts[0]! : concatBytes(...this.parts);
    this.reset();
    return { kind: 'complete', sealed };
  }

  private reset(): void {
    this.messageId = -1;
    this.expected = 0;
    this.count = 0;
    this.parts = [];
    this.bytes = 0;
  }
}

/**
 * Checks a decrypted y-webrtc message the way y-webrtc and Yjs will read it, without applying
 * anything; returns its kind, or null when it is malformed (Yjs would throw, or worse, half-apply).
 */
export function inspectPeerMessage(message: Uint8Array): PeerMessageKind | null {
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (decoding.hasContent(decoder)) return null;
      if (step === SYNC_STEP_1) {
        Y.decodeStateVector(payload);
        return 'sync-step-1';
      }
      if (step === SYNC_STEP_2 || step === SYNC_UPDATE) {
        Y.decodeUpdate(payload);
        return step === SYNC_STEP_2 ? 'sync-step-2' : 'update';
      }
      return null;
    }
    if (type === MESSAGE_AWARENESS) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const entries = decoding.readVarUint(update);
      if (entries > 10_000) return null;
      for (let entry = 0; entry < entries; entry += 1) {
        decoding.readVarUint(update);
        decoding.readVarUint(update);
        JSON.parse(decoding.readVarString(update));
      }
      return 'awareness';
    }
    if (type === MESSAGE_QUERY_AWARENESS) return 'query-awareness';
    // Hearth's own messages (blob-exchange.ts) are checked by their own decoder.
    if (type >= HEARTH_MESSAGE_BASE) return decodeHearthMessage(message) || decodeChangeMessage(message) ? 'hearth' : null;
    return null;
  } catch {
    return null;
  }
}

/** What the secure layer needs to know of a simple-peer instance (the parts y-webrtc uses). */
export interface PeerLike {
  send(data: Uint8Array): void;
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeAllListeners(event: 'data'): unknown;
  destroy(error?: Error): void;
  readonly destroyed?: boolean;
  readonly _channel?: { readonly bufferedAmount: number } | null;
}

export interface SecureChannelOptions {
  readonly key: CryptoKey;
  /** Binds every message to one community and key epoch (the y-webrtc room name). */
  readonly associatedData: Uint8Array;
  readonly counters: ChannelCounters;
  /** Called for every authenticated, well-formed message after y-webrtc has read it. */
  readonly onMessage?: (kind: PeerMessageKind, message: Uint8Array) => void;
  /** Receives Hearth's own messages (type 100+), which y-webrtc never sees. */
  readonly onHearthMessage?: (message: Uint8Array) => void;
  readonly onProblem?: (problem: 'rejected' | 'malformed' | 'oversize') => void;
  /**
   * Signed mode (change-exchange.ts carries the document): y-webrtc's own document sync is cut out.
   * Its sync step 1 still goes out (it carries the stand-in's empty state vector, so a plain peer such
   * as an epoch beacon answers with everything it has), and what a plain peer sends is handed here, to
   * be taken only as far as it is self-signed log entries (change-log.ts acceptPlainLog), never to y-webrtc.
   */
  readonly plainUpdate?: (update: Uint8Array) => void;
}

/**
 * Wraps one simple-peer connection as y-webrtc created it: replaces `send` with seal + frame + pace,
 * and moves y-webrtc's 'data' listeners behind reassemble + open + inspect. Order is kept on both sides
 * by one promise chain per direction.
 */
export function secureChannel(peer: PeerLike, options: SecureChannelOptions): void {
  const rawSend = peer.send.bind(peer);
  const downstream = peer.listeners('data');
  peer.removeAllListeners('data');
  const reassembler = new Reassembler();
  let nextMessageId = 1;
  let sending: Promise<void> = Promise.resolve();
  let receiving: Promise<void> = Promise.resolve();
  const { counters } = options;

  const problem = (kind: 'rejected' | 'malformed' | 'oversize') => {
    counters[kind] += 1;
    options.onProblem?.(kind);
  };

  // What the channel buffers at most: its last reading plus what was sent since. It is read again only
  // when this passes the high-water mark, since a reading is a synchronous call into the WebRTC stack
  // (in Node's wrtc, a blocking hop to its signaling thread) and the buffer grows only by what we send.
  let bufferedAtMost = Number.POSITIVE_INFINITY;
  const enqueue = (message: () => Uint8Array) => {
    const messageId = nextMessageId++;
    sending = sending
      .then(async () => {
        if (peer.destroyed) return;
        const sealed = await seal(options.key, message(), options.associatedData);
        if (sealed.byteLength > MAX_MESSAGE_BYTES) return problem('oversize');
        counters.sentMessages += 1;
        for (const frame of toFrames(messageId, sealed)) {
          if (bufferedAtMost > HIGH_WATER_BYTES) {
            const buffered = await drained(peer);
            if (buffered === null) return;
            bufferedAtMost = buffered;
          }
          if (peer.destroyed) return;
          rawSend(frame);
          bufferedAtMost += frame.byteLength;
          counters.sentFrames += 1;
        }
      })
      .catch(() => undefined); // a send on a closing channel throws; y-webrtc ignores those too
  };
  // The updates of the update message that is queued and not yet sealed; more updates join it.
  let openBatch: Uint8Array[] | null = null;

  const signedMode = options.plainUpdate !== undefined;
  peer.send = (data: Uint8Array) => {
    if (signedMode) {
      const step = syncStepOf(data);
      if (step === SYNC_STEP_2 || step === SYNC_UPDATE) return;
    }
    const update = syncUpdatePayload(data);
    if (update === null) {
      // Anything else closes the batch: a later update must not overtake this message.
      openBatch = null;
      const message = data.slice();
      enqueue(() => message);
      return;
    }
    if (openBatch && openBatch.length < MAX_MERGED_UPDATES) {
      openBatch.push(update);
      return;
    }
    const batch = [update];
    openBatch = batch;
    enqueue(() => {
      if (openBatch === batch) openBatch = null;
      return syncUpdateMessage(batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch));
    });
  };

  peer.on('data', (data: Uint8Array) => {
    counters.receivedFrames += 1;
    const frame = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
    const result = reassembler.push(frame);
    if (result.kind === 'partial') return;
    if (result.kind === 'error') return problem(result.reason === 'not-a-frame' ? 'rejected' : 'oversize');
    receiving = receiving
      .then(async () => {
        const message = await open(options.key, result.sealed, options.associatedData);
        if (!message) return problem('rejected');
        const kind = inspectPeerMessage(message);
        if (!kind) return problem('malformed');
        counters.receivedMessages += 1;
        if (kind === 'hearth') {
          options.onHearthMessage?.(message);
          return options.onMessage?.(kind, message);
        }
        if (signedMode && (kind === 'sync-step-1' || kind === 'sync-step-2' || kind === 'update')) {
          if (kind !== 'sync-step-1') options.plainUpdate!(syncPayloadOf(message));
          return options.onMessage?.(kind, message);
        }
        try {
          for (const listener of downstream) listener(message);
        } catch {
          // y-webrtc or Yjs refused what the inspection let through; the local copy keeps what it had.
          return problem('malformed');
        }
        options.onMessage?.(kind, message);
      })
      .catch(() => {
        // A listener that threw (the blob exchange, the status tracker) costs this message, counted, and
        // never the channel: without this the chain stays rejected and every later message is dropped.
        problem('malformed');
      });
  });
}

/** y-webrtc's document update message (sync, step "update"): its Yjs update (V1), or null for any other message. */
function syncUpdatePayload(message: Uint8Array): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== SYNC_UPDATE) return null;
    const update = decoding.readVarUint8Array(decoder).slice();
    return decoding.hasContent(decoder) ? null : update;
  } catch {
    return null;
  }
}

/** The sync step of a y-webrtc sync message, or null for any other message. */
function syncStepOf(message: Uint8Array): number | null {
  try {
    const decoder = decoding.createDecoder(message);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC ? decoding.readVarUint(decoder) : null;
  } catch {
    return null;
  }
}

/** The payload of an (already inspected) sync step 2 or update message. */
function syncPayloadOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Waits until the channel buffers no more than HIGH_WATER_BYTES; resolves with the amount, or null if the peer is gone. */
async function drained(peer: PeerLike): Promise<number | null> {
  const started = Date.now();
  for (;;) {
    if (peer.destroyed) return null;
    const buffered = peer._channel?.bufferedAmount ?? 0;
    if (buffered <= HIGH_WATER_BYTES) return buffered;
    if (Date.now() - started > DRAIN_TIMEOUT_MS) {
      peer.destroy(new Error('The data channel stopped draining.'));
      return null;
    }
    await new Promise<void>((resolve) => setTimeout(() => resolve(), DRAIN_POLL_MS));
  }
}

/** The awareness client ids an (already inspected) awareness message speaks for. */
export function awarenessClientIds(message: Uint8Array): number[] {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return [];
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const ids: number[] = [];
    const entries = decoding.readVarUint(update);
    for (let entry = 0; entry < entries; entry += 1) {
      ids.push(decoding.readVarUint(update));
      decoding.readVarUint(update);
      decoding.readVarString(update);
    }
    return ids;
  } catch {
    return [];
  }
}
