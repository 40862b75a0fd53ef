// shared/crypto.ts against the test vectors of shared/sync/README.md (computed independently with
// Python's hmac/hashlib and the `cryptography` package's AESGCM), and the properties seal/open promise.
import { describe, expect, it } from 'vitest';
import {
  agree,
  generateAgreementKeyPair,
  hkdf,
  importAgreementPublicKey,
  isAgreementKey,
  label,
  open,
  seal,
  sha256Hex,
  sha256Text,
} from '../../shared/crypto.js';
import { fromHex, toBase64Url, toHex } from '../../shared/sync/bytes.js';

const SECRET = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const COMMUNITY = 'community0000001';
const ROOM = 'hearth-9fffafd19cdd40d188fb81fe5b3046c5';
const encoder = new TextEncoder();

/** The same raw bytes as an AES-GCM key, to check that aesKey(info) is bits(info, 32). */
function rawAesKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new Uint8Array(bytes), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

describe('HKDF with labels (README vectors)', () => {
  it('derives the community vectors', async () => {
    const keys = await hkdf(SECRET, 'hearth community v1');
    expect(label('room', COMMUNITY, 0)).toBe('hearth/v1/room/community0000001/0');
    expect(toHex(await keys.bits(label('room', COMMUNITY, 0), 16))).toBe('9fffafd19cdd40d188fb81fe5b3046c5');
    expect(toBase64Url(await keys.bits(label('signaling', COMMUNITY, 0), 32))).toBe('Y0DGgRdWRjIHeP59XuS8jydGHXDqpTB7CWoZrZdjKM4');
    expect(toHex(await keys.bits(label('messages', COMMUNITY, 0), 32))).toBe(
      '7bdaf4ebf7c4f3f380b050428da8062e655eb38faba007528c2745a756116b39',
    );
    expect(toHex(await keys.bits(label('room', COMMUNITY, 1), 16))).toBe('e94d9afc6e6569d79cce9c579f654b17');
  });

  it('derives the epoch chain and device-link vectors', async () => {
    const chain = await (await hkdf(SECRET, 'hearth epochs v1')).bits(label('chain', COMMUNITY, 1), 32);
    expect(toHex(chain)).toBe('d522cb1918b3b8fd2aa07f59ec57dd817136027e5146117ca915f28936b476cf');
    expect(toHex(await (await hkdf(SECRET, 'hearth device link v1')).bits('room', 10))).toBe('1ea7c1c370675e1b04c3');
  });

  it('gives an AES key equal to the 32 bits of the same label, and never an extractable one', async () => {
    const keys = await hkdf(SECRET, 'hearth community v1');
    const info = label('messages', COMMUNITY, 0);
    const key = await keys.aesKey(info);
    expect(key.extractable).toBe(false);
    const sealed = await seal(key, encoder.encode('hello'));
    expect(await open(await rawAesKey(await keys.bits(info, 32)), sealed)).toEqual(encoder.encode('hello'));
  });
});

describe('seal and open', () => {
  it('opens the README vector: nonce 00…0b, message key of epoch 0, room name as associated data', async () => {
    const key = await rawAesKey(fromHex('7bdaf4ebf7c4f3f380b050428da8062e655eb38faba007528c2745a756116b39'));
    const sealed = fromHex('000102030405060708090a0bb714fc07c4860783d658065a35e054569f7b086212');
    expect(new TextDecoder().decode((await open(key, sealed, encoder.encode(ROOM)))!)).toBe('hello');
    expect(await open(key, sealed)).toBeNull();
  });

  it('refuses every altered byte, another key, other associated data, and short input', async () => {
    const key = await (await hkdf(SECRET, 'test')).aesKey('a');
    const other = await (await hkdf(SECRET, 'test')).aesKey('b');
    const ad = encoder.encode(ROOM);
    const sealed = await seal(key, encoder.encode('the plan for Tuesday'), ad);
    expect(sealed.byteLength).toBe(12 + 20 + 16);
    for (let index = 0; index < sealed.byteLength; index += 1) {
      const altered = sealed.slice();
      altered[index]! ^= 0x01;
      expect(await open(key, altered, ad)).toBeNull();
    }
    expect(await open(other, sealed, ad)).toBeNull();
    expect(await open(key, sealed, encoder.encode('hearth-another'))).toBeNull();
    expect(await open(key, sealed.subarray(0, 27), ad)).toBeNull();
    expect(await open(key, new Uint8Array(0), ad)).toBeNull();
    // A fresh nonce each time: the same plaintext never seals the same way twice.
    expect(toHex(await seal(key, encoder.encode('x')))).not.toBe(toHex(await seal(key, encoder.encode('x'))));
  });
});

describe('hashing', () => {
  it('matches SHA-256 of "abc" (FIPS 180-2) as hex and over text', async () => {
    expect(await sha256Hex(encoder.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(await sha256Text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('ECDH agreement', () => {
  it('gives both sides the same secret, and refuses bytes that are not a P-256 point', async () => {
    const alice = await generateAgreementKeyPair();
    const bob = await generateAgreementKeyPair();
    const fromAlice = await agree(alice.privateKey, (await importAgreementPublicKey(bob.publicKey))!);
    const fromBob = await agree(bob.privateKey, (await importAgreementPublicKey(alice.publicKey))!);
    expect(toHex(new Uint8Array(fromAlice))).toBe(toHex(new Uint8Array(fromBob)));
    expect(await isAgreementKey(toBase64Url(alice.publicKey))).toBe(true);
    const offCurve = alice.publicKey.slice();
    offCurve[64]! ^= 0x01;
    for (const junk of [new Uint8Array(65), offCurve, alice.publicKey.subarray(0, 33), new Uint8Array(0)]) {
      expect(await importAgreementPublicKey(junk)).toBeNull();
    }
    for (const junk of ['', 'AAAA', 'not base64!', toBase64Url(offCurve)]) expect(await isAgreementKey(junk)).toBe(false);
  });
});
