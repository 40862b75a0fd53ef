// Device-link codes (typos caught before any network, look-alike letters forgiven) and the exchange
// between two devices, with two Y.Docs standing in for the sealed sync room between them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acceptLink, linkRoom, newLinkCode, offerLink, parseLinkCode, type LinkStarter } from '../../shared/identity/device-link.js';
import { generateIdentity } from '../../shared/identity/identity.js';
import { generateAgreementKey } from '../../shared/sync/epochs.js';

describe('device-link codes', () => {
  it('round-trips, in any case and spacing, and forgives O/0 and I/L/1', async () => {
    const code = await newLinkCode();
    expect(code.text).toMatch(/^LINK-([0-9A-Z]{4}-){7}[0-9A-Z]$/);
    for (const typed of [
      code.text,
      code.text.toLowerCase(),
      code.text.replace(/-/g, ' '),
      code.text.slice(5),
      code.text.replace(/0/g, 'O').replace(/1/g, 'I'),
    ]) {
      const parsed = await parseLinkCode(typed);
      expect(parsed.ok && parsed.code.bytes).toEqual(code.bytes);
    }
    const reparsed = await parseLinkCode(code.text.toLowerCase());
    if (!reparsed.ok) throw new Error(reparsed.error);
    expect(await linkRoom(reparsed.code)).toEqual(await linkRoom(code));
  });

  it('says what is wrong with a mistyped code', async () => {
    const code = await newLinkCode();
    const body = code.text.slice(5).replace(/-/g, '');
    const swapped = body[0] === 'A' ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    const cases: [unknown, RegExp][] = [
      ['', /Type the code/],
      [42, /Type the code/],
      ['x'.repeat(101), /too long/],
      [`LINK-${body.slice(1)}`, /has 29 letters and digits.*28/],
      [`LINK-${body}U`, /only the letters/],
      [`LINK-${swapped}`, /typo/],
      // The last character carries one spare bit, which must be zero.
      [
        `LINK-${body.slice(0, -1)}${'0123456789abcdefghjkmnpqrstvwxyz'['0123456789abcdefghjkmnpqrstvwxyz'.indexOf(body.slice(-1).toLowerCase()) ^ 1]}`,
        /typo/,
      ],
    ];
    for (const [input, message] of cases) {
      const parsed = await parseLinkCode(input);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(message);
    }
  });
});

/** Two devices' throwaway docs, joined as a sync room would join them. */
function pairedRoom(): { start: LinkStarter } {
  const docs: Y.Doc[] = [];
  return {
    start: async (doc) => {
      for (const other of docs) {
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
        Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
      }
      const forward = (update: Uint8Array, origin: unknown) => {
        if (origin === 'room') return;
        for (const other of docs) if (other !== doc) Y.applyUpdate(other, update, 'room');
      };
      doc.on('update', forward);
      docs.push(doc);
      return { destroy: () => docs.splice(docs.indexOf(doc), 1) };
    },
  };
}

describe('linking a device', () => {
  it('the first device vouches for the new keys and hands over the member and communities', async () => {
    const code = await newLinkCode();
    const room = pairedRoom();
    const [laptop, agreement] = await Promise.all([generateIdentity(), generateAgreementKey()]);
    const authorized: string[] = [];
    const offering = offerLink({
      code,
      start: room.start,
      authorize: async (request) => {
        authorized.push(request.publicKey);
        return {
          memberId: 'member0000000001',
          profile: { displayName: 'Maya Okafor' },
          communities: [{ id: 'community0000001', name: 'Kiln Collective', secret: 'A'.repeat(43), epoch: 2, signalingHints: [] }],
        };
      },
    });
    const grant = await acceptLink({
      code,
      start: room.start,
      request: { publicKey: laptop.publicKey, agreementKey: agreement.publicKey, deviceName: 'Maya’s laptop' },
    });
    expect(await offering).toMatchObject({ publicKey: laptop.publicKey, deviceName: 'Maya’s laptop' });
    expect(authorized).toEqual([laptop.publicKey]);
    expect(grant).toMatchObject({
      memberId: 'member0000000001',
      forKey: laptop.publicKey,
      communities: [{ id: 'community0000001', epoch: 2 }],
    });
  });

  it('refuses a malformed grant or one made for another request, and times out with a clear message', async () => {
    const code = await newLinkCode();
    const room = pairedRoom();
    const [laptop, agreement] = await Promise.all([generateIdentity(), generateAgreementKey()]);
    const hostile = new Y.Doc();
    await room.start(hostile, await linkRoom(code));
    hostile.getMap('link').set('grant', { memberId: 'member0000000001', forKey: 'someone-else', profile: {}, communities: [], at: 1 });
    await expect(
      acceptLink({
        code,
        start: room.start,
        request: { publicKey: laptop.publicKey, agreementKey: agreement.publicKey, deviceName: 'Laptop' },
      }),
    ).rejects.toThrow(/different request/);
    hostile.getMap('link').set('grant', { memberId: 'x', communities: 'all' });
    await expect(
      acceptLink({
        code,
        start: room.start,
        request: { publicKey: laptop.publicKey, agreementKey: agreement.publicKey, deviceName: 'Laptop' },
      }),
    ).rejects.toThrow(/cannot read/);
    const lonely = pairedRoom();
    await expect(
      acceptLink({
        code,
        start: lonely.start,
        request: { publicKey: laptop.publicKey, agreementKey: agreement.publicKey, deviceName: 'Laptop' },
        timeoutMs: 50,
      }),
    ).rejects.toThrow(/No device answered/);
    await expect(
      offerLink({ code, start: lonely.start, authorize: () => Promise.reject(new Error('never')), timeoutMs: 50 }),
    ).rejects.toThrow(/No device used this code/);
  });
});
