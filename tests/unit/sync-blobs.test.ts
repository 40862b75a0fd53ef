import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { BlobExchange, decodeHearthMessage, encodeHearthMessage, type SendToPeer } from '../../shared/sync/blob-exchange.js';
import { sha256Hex } from '../../shared/crypto.js';
import { inspectPeerMessage } from '../../shared/sync/secure-channel.js';

const bytes = new TextEncoder().encode('the group’s shared spreadsheet');

/** Wires exchanges to each other in memory, as the sealed channel would between members. */
function members(count: number, tamper?: (message: Uint8Array) => Uint8Array) {
  const exchanges: BlobExchange[] = [];
  const linkTo = (from: number, to: number): SendToPeer => (message) => {
    const decoded = decodeHearthMessage(tamper ? tamper(message) : message);
    if (decoded) queueMicrotask(() => void exchanges[to]!.receive(decoded, linkTo(to, from)));
  };
  for (let index = 0; index < count; index += 1) {
    exchanges.push(new BlobExchange(() => exchanges.map((_, other) => other).filter((other) => other !== index).map((other) => linkTo(index, other))));
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
    ['unknown type', encodeWith((encoder) => [102, 1, 'a'.repeat(64)].forEach((value) => (typeof value === 'number' ? encoding.writeVarUint(encoder, value) : encoding.writeVarString(encoder, value))))],
    ['bad hash', encodeWith((encoder) => [100, 1, '../../etc/passwd'].forEach((value) => (typeof value === 'number' ? encoding.writeVarUint(encoder, value) : encoding.writeVarString(encoder, value))))],
    ['trailing bytes', new Uint8Array([...encodeHearthMessage({ type: 'blob-request', requestId: 1, hash: 'a'.repeat(64) }), 7])],
    ['truncated response', encodeHearthMessage({ type: 'blob-response', requestId: 1, hash: 'a'.repeat(64), bytes }).slice(0, -4)],
  ])('refuses a malformed message: %s', (_label, message) => {
    expect(decodeHearthMessage(message)).toBeNull();
    if (message.byteLength > 0 && message[0]! >= 100) expect(inspectPeerMessage(message)).toBeNull();
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
