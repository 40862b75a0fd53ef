// The test vectors of shared/sync/README.md ("Signed changes", "Change exchange"): a client written
// from that page alone must produce these bytes. If this fails, the wire format changed: change the
// page and the vectors together, and think about every device already holding changes.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromHex, toBase64Url, toHex, concatBytes } from '../../shared/sync/bytes.js';
import { changeHash, checkChange, clientIdFor, communityTag, decodeChange, signChange } from '../../shared/sync/signed-change.js';
import { decodeChangeMessage, encodeChangeMessage } from '../../shared/sync/change-exchange.js';

const KEY = {
  d: 'FZmqufohYKnmPXJOqXU44E6EpmGG7CfCtHnhJy2QvhA',
  x: '0hhULl4lMXaELddCaJIyXWOB2MZ-YBPbpw-HNhMhb0w',
  y: 'PtKmFK2MLN7D634j5XNVKEwZReAdjhHLzzxAhEpwrl8',
};
const DEVICE = 'BNIYVC5eJTF2hC3XQmiSMl1jgdjGfmAT26cPhzYTIW9MPtKmFK2MLN7D634j5XNVKEwZReAdjhHLzzxAhEpwrl8';
const NONCE = new Uint8Array(16).map((_, index) => index);
const CLIENT = 1541489957;
const COMMUNITY_TAG = 'c68f6dbf7da92e5a73db85a911d77ca440fce3887a673c3b667f65d12ab61747';
const UPDATE = '0101a58a85df05000401077363726174636802686900';
const SIGNED =
  '4853433100000000025be1452500000000427a241c8ac0000004d218542e5e253176842dd7426892325d6381d8c67e6013dba70f873613216f4c3ed2a614ad8c2cdec3eb7e23e57355284c1945e01d8e11cbcf3c40844a70ae5f000102030405060708090a0b0c0d0e0f0000000000000000000000000000000000000000000000000000000000000000c68f6dbf7da92e5a73db85a911d77ca440fce3887a673c3b667f65d12ab61747000000160101a58a85df05000401077363726174636802686900';
const HASH = '677dd570bbecf28f10d1e5863551e06d19111206084b91022760d0c9ddd8e71d';
const SIGNATURE =
  '4e66cbd5479bc13f491d2fdada84ae65b493ee8846872e65b1a59f7f9f2129cb252d7d25f00ed46359d9e734e0807360bbd6e1b6ba3bb61f2ec93a59f72aead8';

async function vectorKey(): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', ...KEY }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

describe('signed change test vectors', () => {
  it('derives the client id from the device key and nonce, and the community tag from the id', async () => {
    const raw = new Uint8Array([4, ...Buffer.from(KEY.x, 'base64url'), ...Buffer.from(KEY.y, 'base64url')]);
    expect(toBase64Url(raw)).toBe(DEVICE);
    expect(await clientIdFor(raw, NONCE)).toBe(CLIENT);
    expect(toHex(await communityTag('q3k7m2x9c4v8b1n6'))).toBe(COMMUNITY_TAG);
    const doc = new Y.Doc();
    doc.clientID = CLIENT;
    doc.getText('scratch').insert(0, 'hi');
    expect(toHex(Y.encodeStateAsUpdate(doc))).toBe(UPDATE);
  });

  it('lays out the signed part byte for byte, hashes it, and accepts the published signature', async () => {
    const fields = {
      epoch: 2,
      client: CLIENT,
      seq: 0,
      at: 1796400000000,
      device: DEVICE,
      nonce: NONCE,
      prev: null,
      community: fromHex(COMMUNITY_TAG),
      update: fromHex(UPDATE),
    };
    const change = await signChange(fields, await vectorKey());
    expect(toHex(change.signed)).toBe(SIGNED);
    expect(toHex(await changeHash(change))).toBe(HASH);
    // ECDSA signatures are randomized: a fresh one differs, the published one must still verify.
    const published = decodeChange(concatBytes(fromHex(SIGNED), fromHex(SIGNATURE)))!;
    expect(published).toMatchObject({ epoch: 2, client: CLIENT, seq: 0, at: 1796400000000, device: DEVICE });
    expect(await checkChange(published, fromHex(COMMUNITY_TAG))).toEqual({ ok: true });
    const flipped = concatBytes(fromHex(SIGNED), fromHex(SIGNATURE));
    flipped[30]! ^= 1;
    expect(await checkChange(decodeChange(flipped)!, fromHex(COMMUNITY_TAG))).toEqual({ ok: false, reason: 'client' });
  });

  it('encodes the exchange messages as the page says', () => {
    expect(toHex(encodeChangeMessage({ type: 'heads', heads: new Map([[CLIENT, 0]]) }))).toBe('6e01a58a85df0500');
    const signedChange = concatBytes(fromHex(SIGNED), fromHex(SIGNATURE));
    const message = encodeChangeMessage({ type: 'changes', complete: true, changes: [signedChange] });
    expect(toHex(message.subarray(0, 5))).toBe('6f01018402');
    expect(decodeChangeMessage(message)).toEqual({ type: 'changes', complete: true, changes: [signedChange] });
    for (const junk of ['6e02a58a85df05', '6f0201', '6f0001ff', '70']) expect(decodeChangeMessage(fromHex(junk))).toBeNull();
  });
});
