import { describe, expect, it } from 'vitest';
import { deriveCommunityKeys, deriveMessageKeyBytesForTest, newCommunitySecret } from '../../shared/sync/keys.js';
import { encodeInvite, inviteLink, parseInvite, type Invite } from '../../shared/sync/invite.js';
import { exactBytes, fromBase64Url, fromHex, toBase64Url } from '../../shared/sync/bytes.js';

const SECRET = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const ID = 'community0000001';
const VECTOR_CODE =
  'HEARTH1-ARBjb21tdW5pdHkwMDAwMDAxAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8OVHVlc2RheSBDaXJjbGUBAB13czovLzE5Mi4xNjguMS4yMDo1MzE3L3NpZ25hbNlFaLQ';

describe('key derivation (README test vectors)', () => {
  it('derives the documented room name, signaling password and message key', async () => {
    const keys = await deriveCommunityKeys(SECRET, ID);
    expect(keys.roomName).toBe('hearth-9fffafd19cdd40d188fb81fe5b3046c5');
    expect(keys.signalingPassword).toBe('Y0DGgRdWRjIHeP59XuS8jydGHXDqpTB7CWoZrZdjKM4');
    expect(await deriveMessageKeyBytesForTest(SECRET, ID)).toBe('7bdaf4ebf7c4f3f380b050428da8062e655eb38faba007528c2745a756116b39');
    expect(keys.messageKey.extractable).toBe(false);
    expect((await deriveCommunityKeys(SECRET, ID, 1)).roomName).toBe('hearth-e94d9afc6e6569d79cce9c579f654b17');
  });

  it('gives a different room to a different secret or community, and refuses a short secret', async () => {
    const other = await deriveCommunityKeys(newCommunitySecret(), ID);
    expect(other.roomName).not.toBe('hearth-9fffafd19cdd40d188fb81fe5b3046c5');
    expect((await deriveCommunityKeys(SECRET, 'community0000002')).roomName).not.toBe('hearth-9fffafd19cdd40d188fb81fe5b3046c5');
    await expect(deriveCommunityKeys(new Uint8Array(16), ID)).rejects.toThrow(/32 bytes/);
  });
});

describe('invite codes', () => {
  const invite: Invite = {
    communityId: ID,
    secret: SECRET,
    communityName: 'Tuesday Circle',
    signalingHints: ['ws://192.168.1.20:5317/signal'],
  };

  it('encodes the documented vector and round-trips it, as a code and as a link', async () => {
    expect(await encodeInvite(invite)).toBe(VECTOR_CODE);
    for (const text of [VECTOR_CODE, inviteLink(VECTOR_CODE), `  ${VECTOR_CODE.slice(0, 40)}\n  ${VECTOR_CODE.slice(40)}\n`]) {
      const parsed = await parseInvite(text);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.invite).toEqual(invite);
    }
  });

  it('keeps names with emoji and accents, and drops hints that are not signaling URLs', async () => {
    const code = await encodeInvite({
      ...invite,
      communityName: 'Café ☕ Circle',
      signalingHints: ['https://not-ws.example', 'ws://10.0.0.2:5317/signal', 'javascript:alert(1)'],
    });
    const parsed = await parseInvite(code);
    expect(parsed.ok && parsed.invite.communityName).toBe('Café ☕ Circle');
    expect(parsed.ok && parsed.invite.signalingHints).toEqual(['ws://10.0.0.2:5317/signal']);
  });

  const flipped = (position: number) => {
    const chars = [...VECTOR_CODE];
    chars[position] = chars[position] === 'A' ? 'B' : 'A';
    return chars.join('');
  };

  it.each([
    ['nothing', '', /Paste an invite/],
    ['not a string', 42, /Paste an invite/],
    ['garbage', 'hello there', /not a Hearth invite/],
    ['another app’s link', 'https://discord.gg/abc', /not a Hearth invite/],
    ['truncated', VECTOR_CODE.slice(0, 60), /damaged or incomplete/],
    ['one character changed (tampered)', flipped(40), /damaged or incomplete/],
    ['a changed secret byte', flipped(30), /damaged or incomplete/],
    ['bad base64', 'HEARTH1-@@@@', /damaged or incomplete/],
    ['prefix only', 'HEARTH1-', /damaged or incomplete/],
    ['huge paste', `HEARTH1-${'A'.repeat(20_000)}`, /far too long/],
  ])('refuses %s with a clear message', async (_label, input, message) => {
    const parsed = await parseInvite(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('writes a rotated community’s epoch as version 2 (documented vector) and reads it back', async () => {
    const rotated = { ...invite, epoch: 3 };
    const code = await encodeInvite(rotated);
    expect(code).toBe(
      'HEARTH1-AhBjb21tdW5pdHkwMDAwMDAxAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8AAAADDlR1ZXNkYXkgQ2lyY2xlAQAdd3M6Ly8xOTIuMTY4LjEuMjA6NTMxNy9zaWduYWxVsLq4',
    );
    expect(await parseInvite(code)).toEqual({ ok: true, invite: rotated });
    expect(await encodeInvite({ ...invite, epoch: 0 })).toBe(VECTOR_CODE);
    await expect(encodeInvite({ ...invite, epoch: -1 })).rejects.toThrow(/epoch/);
  });

  it('refuses a well-checksummed code with a newer version or trailing bytes', async () => {
    const body = (bytes: number[]) => new Uint8Array(bytes);
    const withChecksum = async (payload: Uint8Array) => {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', exactBytes(payload))).subarray(0, 4);
      return `HEARTH1-${toBase64Url(new Uint8Array([...payload, ...digest]))}`;
    };
    const newer = await parseInvite(await withChecksum(body([3, 0])));
    expect(!newer.ok && newer.error).toMatch(/newer version/);
    const good = (await parseInvite(VECTOR_CODE)) as { ok: true };
    expect(good.ok).toBe(true);
    const raw = fromBase64Url(VECTOR_CODE.slice('HEARTH1-'.length))!;
    const trailing = await parseInvite(await withChecksum(new Uint8Array([...raw.subarray(0, raw.length - 4), 0])));
    expect(!trailing.ok && trailing.error).toMatch(/not valid/);
  });

  // Well-checksummed payloads as a foreign or hostile encoder would write them.
  const encoder = new TextEncoder();
  const payload = (name: Uint8Array, epoch?: number) => {
    const id = encoder.encode(ID);
    const epochBytes = epoch === undefined ? [] : [(epoch >>> 24) & 0xff, (epoch >>> 16) & 0xff, (epoch >>> 8) & 0xff, epoch & 0xff];
    return new Uint8Array([epoch === undefined ? 1 : 2, id.byteLength, ...id, ...SECRET, ...epochBytes, name.byteLength, ...name, 0]);
  };
  const signed = async (body: Uint8Array) => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', exactBytes(body))).subarray(0, 4);
    return `HEARTH1-${toBase64Url(new Uint8Array([...body, ...digest]))}`;
  };

  it.each([
    ['a newline', 'Tuesday\nCircle'],
    ['an escape sequence', 'Tuesday \u001b[31mCircle'],
    ['a NUL', 'Tuesday\u0000'],
    ['a C1 control', 'Tuesday\u0085Circle'],
    ['a right-to-left override', 'Circle\u202Egnp.exe'],
    ['a bidi isolate', '\u2067Circle'],
  ])('refuses a community name with %s', async (_label, name) => {
    const parsed = await parseInvite(await signed(payload(encoder.encode(name))));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/control characters/);
  });

  it('writes a name with control characters (a peer wrote it into the community) without them, so its own invite parses', async () => {
    const code = await encodeInvite({ ...invite, communityName: 'Tuesday\n\u202ECircle\u0007' });
    const parsed = await parseInvite(code);
    expect(parsed.ok && parsed.invite.communityName).toBe('TuesdayCircle');
  });

  it.each([
    ['epoch 0 written as version 2', 0],
    ['an epoch past what a log holds', 1_000_001],
    ['the largest u32', 0xffffffff],
  ])('refuses %s', async (_label, epoch) => {
    const parsed = await parseInvite(await signed(payload(encoder.encode('Circle'), epoch)));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/key epoch/);
  });

  it('accepts the largest epoch a log holds, and refuses to write one past it', async () => {
    const parsed = await parseInvite(await signed(payload(encoder.encode('Circle'), 1_000_000)));
    expect(parsed.ok && parsed.invite.epoch).toBe(1_000_000);
    await expect(encodeInvite({ ...invite, epoch: 1_000_001 })).rejects.toThrow(/epoch/);
  });
});
