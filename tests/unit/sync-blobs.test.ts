import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import {
  BlobExchange,
  decodeHearthMessage,
  encodeHearthMessage,
  MAX_WAITING_SERVES,
  type SendToPeer,
} from '../../shared/sync/blob-exchange.js';
import { sha256Hex } from '../../shared/crypto.js';
import { inspectPeerMessage } from '../../shared/sync/secure-channel.js';

const bytes = new TextEncoder().encode('the group’s shared spreadsheet');

/** Wires exchanges to each other in memory, as the sealed channel would between members. */
function members(count: number, tamper?: (message: Uint8Array) => Uint8Array) {
  const exchanges: BlobExchange[] = [];
  const linkTo =
    (from: number, to: number): SendToPeer =>
    (message) => {
      const decoded = decodeHearthMessage(tamper ? tamper(message) : message);
      if (decoded) queueMicrotask(() => void exchanges[to]!.receive(decoded, linkTo(to, from)));
    };
  for (let index = 0; index < count; index += 1) {
    exchanges.push(
      new BlobExchange(() =>
        exchanges
          .map((_, other) => other)
          .filter((other) => other !== index)
          .map((other) => linkTo(index, other)),
      ),
    );
  }
  return exchanges;
}

describe('library files between members', () => {
  it('fetches a file from whichever member has it, verified by hash', async () => {
    const hash = await sha256Hex(bytes);
    const [ann, bob, cid] = members(3);
    cid!.serve(async (asked) => (asked === hash ? bytes : null));
    bob!.serve(async () => null);
    const received = await ann!.request(hash);
    expect(received && new TextDecoder().decode(received)).toBe('the group’s shared spreadsheet');
  });

  it('reports a file nobody has as missing once every member said no, and never waits without peers', async () => {
    const [ann, bob] = members(2);
    bob!.serve(async () => null);
    expect(await ann!.request('a'.repeat(64))).toBeNull();
    expect(await new BlobExchange(() => []).request('a'.repeat(64))).toBeNull();
    expect(await ann!.request('not-a-hash')).toBeNull();
  });

  it('throws away bytes that do not match the hash asked for', async () => {
    const hash = await sha256Hex(bytes);
    const [ann, mallory] = members(2);
    mallory!.serve(async () => new TextEncoder().encode('something else entirely'));
    expect(await ann!.request(hash, 2_000)).toBeNull();
  });

  it.each([
    ['empty', new Uint8Array([])],
    [
      'unknown type',
      encodeWith((encoder) =>
        [102, 1, 'a'.repeat(64)].forEach((value) =>
          typeof value === 'number' ? encoding.writeVarUint(encoder, value) : encoding.writeVarString(encoder, value),
        ),
      ),
    ],
    [
      'bad hash',
      encodeWith((encoder) =>
        [100, 1, '../../etc/passwd'].forEach((value) =>
          typeof value === 'number' ? encoding.writeVarUint(encoder, value) : encoding.writeVarString(encoder, value),
        ),
      ),
    ],
    ['trailing bytes', new Uint8Array([...encodeHearthMessage({ type: 'blob-request', requestId: 1, hash: 'a'.repeat(64) }), 7])],
    ['truncated response', encodeHearthMessage({ type: 'blob-response', requestId: 1, hash: 'a'.repeat(64), bytes }).slice(0, -4)],
    [
      'a response claiming 4 GB of bytes',
      encodeWith((encoder) => {
        [101, 1].forEach((value) => encoding.writeVarUint(encoder, value));
        encoding.writeVarString(encoder, 'a'.repeat(64));
        [1, 2 ** 32].forEach((value) => encoding.writeVarUint(encoder, value));
      }),
    ],
    [
      'a request id past 2^53',
      encodeWith((encoder) => {
        encoding.writeVarUint(encoder, 100);
        encoding.writeUint8Array(encoder, new Uint8Array([...Array<number>(10).fill(0xff), 0x01]));
        encoding.writeVarString(encoder, 'a'.repeat(64));
      }),
    ],
    ['a hash whose length says 1 GB', encodeWith((encoder) => [100, 1, 2 ** 30].forEach((value) => encoding.writeVarUint(encoder, value)))],
  ])('refuses a malformed message: %s', (_label, message) => {
    expect(decodeHearthMessage(message)).toBeNull();
    if (message.byteLength > 0 && message[0]! >= 100) expect(inspectPeerMessage(message)).toBeNull();
  });

  it('never rejects: a reply on a channel that closed meanwhile is caught and counted', async () => {
    const lines: string[] = [];
    const bob = new BlobExchange(
      () => [],
      (line) => lines.push(line),
    );
    bob.serve(async () => bytes);
    const closed: SendToPeer = () => {
      throw new Error('cannot send after peer is destroyed');
    };
    await expect(bob.receive({ type: 'blob-request', requestId: 1, hash: 'a'.repeat(64) }, closed)).resolves.toBeUndefined();
    await expect(bob.receive({ type: 'blob-request', requestId: 2, hash: 'b'.repeat(64) }, closed)).resolves.toBeUndefined();
    expect(bob.handlerFaults()).toBe(2);
    expect(lines).toHaveLength(1);
    // The serving slots were given back: a request from a live member is still answered.
    const answers: Uint8Array[] = [];
    await bob.receive({ type: 'blob-request', requestId: 3, hash: 'c'.repeat(64) }, (message) => answers.push(message));
    expect(answers.map((answer) => decodeHearthMessage(answer)?.type)).toEqual(['blob-response']);
  });

  it('asks the other members when sending to one of them throws', async () => {
    const hash = await sha256Hex(bytes);
    const cid = new BlobExchange(() => []);
    cid.serve(async () => bytes);
    const gone: SendToPeer = () => {
      throw new Error('channel closed');
    };
    const toCid: SendToPeer = (message) =>
      void cid.receive(decodeHearthMessage(message)!, (reply) => void ann.receive(decodeHearthMessage(reply)!, () => {}));
    const ann = new BlobExchange(() => [gone, toCid]);
    expect(await ann.request(hash, 2_000)).toEqual(bytes);
    expect(ann.handlerFaults()).toBe(1);
    // Only members that all fail: "missing" at once, not after the timeout.
    const started = performance.now();
    expect(await new BlobExchange(() => [gone, gone]).request(hash, 10_000)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('holds a bounded queue of requests: past it a flood is answered "not here" at once', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const bob = new BlobExchange(() => []);
    bob.serve(async () => {
      await slow;
      return bytes;
    });
    const answers: (Uint8Array | null)[] = [];
    const flood = 10_000;
    const handled = Array.from({ length: flood }, (_, index) =>
      bob.receive({ type: 'blob-request', requestId: index + 1, hash: 'a'.repeat(64) }, (message) => {
        const decoded = decodeHearthMessage(message);
        answers.push(decoded?.type === 'blob-response' ? decoded.bytes : null);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Four being served, MAX_WAITING_SERVES waiting, the rest refused without waiting.
    expect(answers).toHaveLength(flood - 4 - MAX_WAITING_SERVES);
    expect(answers.every((answer) => answer === null)).toBe(true);
    release();
    await Promise.all(handled);
    expect(answers.filter((answer) => answer !== null)).toHaveLength(4 + MAX_WAITING_SERVES);
    expect(bob.handlerFaults()).toBe(0);
  });

  it('lets well-formed Hearth messages through inspection, for the exchange and not for y-webrtc', () => {
    const request = encodeHearthMessage({ type: 'blob-request', requestId: 3, hash: 'b'.repeat(64) });
    expect(inspectPeerMessage(request)).toBe('hearth');
    expect(decodeHearthMessage(request)).toEqual({ type: 'blob-request', requestId: 3, hash: 'b'.repeat(64) });
  });
});

function encodeWith(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}
