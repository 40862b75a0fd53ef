import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../shared/ids.js';
import {
  base32,
  canonicalEncode,
  communityIdFor,
  generateIdentity,
  isKeyOf,
  memberIdFromPublicKey,
  sign,
  verify,
} from '../../shared/identity/identity.js';
import { fromBase64Url, toBase64Url } from '../../shared/sync/bytes.js';

describe('identity', () => {
  it('derives a 16-character member id from the public key, matching ID_PATTERN', async () => {
    const identity = await generateIdentity();
    expect(identity.memberId).toMatch(ID_PATTERN);
    expect(identity.memberId).toHaveLength(16);
    expect(await memberIdFromPublicKey(identity.publicKey)).toBe(identity.memberId);
    expect(await isKeyOf(identity.memberId, identity.publicKey)).toBe(true);
    const other = await generateIdentity();
    expect(other.memberId).not.toBe(identity.memberId);
    expect(await isKeyOf(other.memberId, identity.publicKey)).toBe(false);
  });

  it('keeps the private key non-extractable', async () => {
    const identity = await generateIdentity();
    expect(identity.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', identity.privateKey)).rejects.toThrow();
  });

  it('encodes base32 bit by bit (known vectors)', () => {
    expect(base32(new Uint8Array([0, 0, 0, 0, 0]))).toBe('00000000');
    expect(base32(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('zzzzzzzz');
    // 0x08 = 00001 000 → "1" then "0..." padded
    expect(base32(new Uint8Array([0x08]))).toBe('10');
  });

  it('rejects keys that are not raw P-256 points', async () => {
    await expect(memberIdFromPublicKey('abc')).rejects.toThrow();
    await expect(memberIdFromPublicKey(new Uint8Array(64))).rejects.toThrow();
    expect(await isKeyOf('0123456789abcdef', 'not base64!')).toBe(false);
  });

  it('encodes canonically whatever the key order', () => {
    expect(canonicalEncode({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalEncode({ a: 1, b: 2 })).toBe(canonicalEncode({ b: 2, a: 1 }));
    expect(() => canonicalEncode({ a: Number.NaN })).toThrow();
  });

  it('signs and verifies; any change to payload, key or signature fails', async () => {
    const alice = await generateIdentity();
    const mallory = await generateIdentity();
    const payload = { kind: 'hide', subject: 'post0000post0000', at: 5 };
    const signature = await sign(alice.privateKey, payload);
    expect(await verify(alice.publicKey, payload, signature)).toBe(true);
    expect(await verify(alice.publicKey, { at: 5, subject: 'post0000post0000', kind: 'hide' }, signature)).toBe(true);
    expect(await verify(alice.publicKey, { ...payload, at: 6 }, signature)).toBe(false);
    expect(await verify(mallory.publicKey, payload, signature)).toBe(false);
    const flipped = fromBase64Url(signature)!;
    flipped[10] = flipped[10]! ^ 1;
    expect(await verify(alice.publicKey, payload, toBase64Url(flipped))).toBe(false);
    for (const garbage of ['', 'x', '!!!!', 'A'.repeat(86), toBase64Url(new Uint8Array(64))]) {
      expect(await verify(alice.publicKey, payload, garbage)).toBe(false);
      expect(await verify(garbage, payload, signature)).toBe(false);
    }
  });

  it('binds a community id to its founder key and nonce', async () => {
    const founder = await generateIdentity();
    const other = await generateIdentity();
    const id = await communityIdFor(founder.publicKey, 'nonce0000000000a');
    expect(id).toMatch(ID_PATTERN);
    expect(await communityIdFor(founder.publicKey, 'nonce0000000000a')).toBe(id);
    expect(await communityIdFor(founder.publicKey, 'nonce0000000000b')).not.toBe(id);
    expect(await communityIdFor(other.publicKey, 'nonce0000000000a')).not.toBe(id);
  });
});
