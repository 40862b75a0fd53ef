// Library files travel between members on request, over the same sealed connections as the document
// (never inside the Y.Doc): "who has the blob with this SHA-256?" → the bytes, checked against the
// hash before anyone keeps them. Message types 100+ are Hearth's own; y-webrtc never sees them.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { sha256Hex } from '../crypto.js';
import { createFaultCounter, type FaultCounter } from '../guarded-handler.js';

export const HEARTH_MESSAGE_BASE = 100;
const BLOB_REQUEST = 100;
const BLOB_RESPONSE = 101;
/** The library's own limit is 25 MB; a little headroom, and nothing bigger is sent or accepted. */
export const MAX_BLOB_BYTES = 26 * 1024 * 1024;
/** How long a request waits for any member to answer; 25 MB over a slow link takes a while. */
export const BLOB_REQUEST_TIMEOUT_MS = 120_000;
/** Requests this device answers at once, across all peers; more wait their turn. */
const MAX_CONCURRENT_SERVES = 4;
/**
 * Requests that may wait for a turn; past this a request is answered "not here" at once. A member whose
 * library has just synced asks for each missing file once, a few dozen at most; a peer that sends a
 * million requests must not make us hold a million waiting closures.
 */
export const MAX_WAITING_SERVES = 256;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export type HearthMessage =
  | { readonly type: 'blob-request'; readonly requestId: number; readonly hash: string }
  | { readonly type: 'blob-response'; readonly requestId: number; readonly hash: string; readonly bytes: Uint8Array | null };

export function encodeHearthMessage(message: HearthMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  if (message.type === 'blob-request') {
    encoding.writeVarUint(encoder, BLOB_REQUEST);
    encoding.writeVarUint(encoder, message.requestId);
    encoding.writeVarString(encoder, message.hash);
  } else {
    encoding.writeVarUint(encoder, BLOB_RESPONSE);
    encoding.writeVarUint(encoder, message.requestId);
    encoding.writeVarString(encoder, message.hash);
    encoding.writeVarUint(encoder, message.bytes ? 1 : 0);
    if (message.bytes) encoding.writeVarUint8Array(encoder, message.bytes);
  }
  return encoding.toUint8Array(encoder);
}

/** Null for anything that is not a well-formed Hearth message. */
export function decodeHearthMessage(bytes: Uint8Array): HearthMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    const requestId = decoding.readVarUint(decoder);
    const hash = decoding.readVarString(decoder);
    if (!HASH_PATTERN.test(hash)) return null;
    if (type === BLOB_REQUEST) return decoding.hasContent(decoder) ? null : { type: 'blob-request', requestId, hash };
    if (type !== BLOB_RESPONSE) return null;
    const found = decoding.readVarUint(decoder);
    const payload = found === 1 ? decoding.readVarUint8Array(decoder) : null;
    if (decoding.hasContent(decoder) || (found !== 0 && found !== 1) || (payload && payload.byteLength > MAX_BLOB_BYTES)) return null;
    return { type: 'blob-response', requestId, hash, bytes: payload };
  } catch {
    return null;
  }
}

/** Sends a message to one connected member. */
export type SendToPeer = (message: Uint8Array) => void;
export type BlobProvider = (hash: string) => Promise<Uint8Array | null>;

/**
 * One community's side of the exchange: answers members' requests from `provider`, and asks the
 * members connected now for blobs this device lacks.
 */
export class BlobExchange {
  private provider: BlobProvider | null = null;
  private nextRequestId = 1;
  private serving = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { hash: string; outstanding: number; resolve: (bytes: Uint8Array | null) => void }>();
  private readonly inFlight = new Map<string, Promise<Uint8Array | null>>();
  private readonly faults: FaultCounter;

  constructor(
    private readonly peers: () => readonly SendToPeer[],
    log: (line: string) => void = () => {},
  ) {
    this.faults = createFaultCounter('Blob exchange', log);
  }

  /** Unexpected throws caught while handling members' messages (a send on a closed channel, a bug). */
  handlerFaults(): number {
    return this.faults.count();
  }

  serve(provider: BlobProvider | null): void {
    this.provider = provider;
  }

  /** The blob's bytes from whichever member answers first with bytes that match the hash, or null. */
  request(hash: string, timeoutMs = BLOB_REQUEST_TIMEOUT_MS): Promise<Uint8Array | null> {
    if (!HASH_PATTERN.test(hash)) return Promise.resolve(null);
    const already = this.inFlight.get(hash);
    if (already) return already;
    const peers = this.peers();
    if (peers.length === 0) return Promise.resolve(null);
    const requestId = this.nextRequestId++;
    const result = new Promise<Uint8Array | null>((resolve) => {
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (bytes: Uint8Array | null) => {
        clearTimeout(timer);
        this.pending.delete(requestId);
        this.inFlight.delete(hash);
        resolve(bytes);
      };
      this.pending.set(requestId, { hash, outstanding: peers.length, resolve: finish });
    });
    this.inFlight.set(hash, result);
    const message = encodeHearthMessage({ type: 'blob-request', requestId, hash });
    // A member whose channel closed under us counts as one that said no; the others are still asked.
    const noAnswer = () => this.settleWithout(requestId);
    for (const send of peers) this.faults.guard('a request', send, noAnswer)(message);
    return result;
  }

  /**
   * Handles a Hearth message from a member; `reply` sends back to that member. Never rejects: callers
   * fire and forget it, and in Node an unhandled rejection would end the process.
   */
  receive(message: HearthMessage, reply: SendToPeer): Promise<void> {
    return new Promise<void>((done) => this.faults.guard('a message', () => this.handle(message, reply).finally(done), done)());
  }

  private settleWithout(requestId: number): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    pending.outstanding -= 1;
    if (pending.outstanding <= 0) pending.resolve(null);
  }

  private async handle(message: HearthMessage, reply: SendToPeer): Promise<void> {
    if (message.type === 'blob-request') return this.answer(message, reply);
    const pending = this.pending.get(message.requestId);
    if (!pending || pending.hash !== message.hash) return;
    if (message.bytes && (await sha256Hex(message.bytes)) === message.hash) return pending.resolve(message.bytes);
    // "Not here", or bytes that do not match: wait for the other members; give up when all said no.
    this.settleWithout(message.requestId);
  }

  private async answer(message: Extract<HearthMessage, { type: 'blob-request' }>, reply: SendToPeer): Promise<void> {
    if (this.serving >= MAX_CONCURRENT_SERVES) {
      if (this.waiting.length >= MAX_WAITING_SERVES)
        return reply(encodeHearthMessage({ type: 'blob-response', requestId: message.requestId, hash: message.hash, bytes: null }));
      await new Promise<void>((resume) => this.waiting.push(resume));
    }
    this.serving += 1;
    try {
      const bytes = this.provider ? await this.provider(message.hash).catch(() => null) : null;
      const fits = bytes !== null && bytes.byteLength <= MAX_BLOB_BYTES;
      reply(encodeHearthMessage({ type: 'blob-response', requestId: message.requestId, hash: message.hash, bytes: fits ? bytes : null }));
    } finally {
      this.serving -= 1;
      this.waiting.shift()?.();
    }
  }
}
