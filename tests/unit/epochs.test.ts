// Key rotation: the next epoch's secret reaches exactly the devices it was wrapped for, chains back to
// the previous one, and a wrap cannot be opened by another device, for another epoch or community.
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../shared/identity/identity.js';
import {
  deviceIdOf,
  generateAgreementKey,
  makeRotation,
  previousSecret,
  recipientsOf,
  resolveEpoch,
  unwrapRotation,
  type AgreementKeyPair,
} from '../../shared/sync/epochs.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { type Rotation } from '../../shared/community/log/replay.js';

const COMMUNITY = 'c0mmunity0000001';

async function device(): Promise<{ id: string; signingKey: string; agreement: AgreementKeyPair }> {
  const [identity, agreement] = await Promise.all([generateIdentity(), generateAgreementKey()]);
  return { id: await deviceIdOf(identity.publicKey), signingKey: identity.publicKey, agreement };
}

const asRotation = (
  fields: { epoch: number; ephemeralKey: string; wraps: Readonly<Record<string, string>>; chain: string },
  at = 1,
): Rotation => ({ entryId: 'r'.repeat(16), by: 'o'.repeat(16), at, ...fields });

describe('epochs', () => {
  it('wraps the next secret for each remaining device, and the chain leads back to the old one', async () => {
    const [alice, bob, removed] = await Promise.all([device(), device(), device()]);
    const current = { epoch: 0, secret: newCommunitySecret() };
    const { next, fields, skipped } = await makeRotation(
      COMMUNITY,
      current,
      [alice, bob].map((d) => ({ deviceId: d.id, agreementKey: d.agreement.publicKey })),
    );
    expect(skipped).toEqual([]);
    expect(next.epoch).toBe(1);
    expect(Object.keys(fields.wraps).sort()).toEqual([alice.id, bob.id].sort());
    for (const d of [alice, bob]) expect(await unwrapRotation(COMMUNITY, fields, d.id, d.agreement.privateKey)).toEqual(next.secret);
    // The removed device has no wrap, and cannot open someone else's with its own key.
    expect(await unwrapRotation(COMMUNITY, fields, removed.id, removed.agreement.privateKey)).toBeNull();
    expect(
      await unwrapRotation(
        COMMUNITY,
        { ...fields, wraps: { [removed.id]: fields.wraps[alice.id]! } },
        removed.id,
        removed.agreement.privateKey,
      ),
    ).toBeNull();
    // A wrap is bound to its epoch and community.
    expect(await unwrapRotation(COMMUNITY, { ...fields, epoch: 2 }, alice.id, alice.agreement.privateKey)).toBeNull();
    expect(await unwrapRotation('another000000001', fields, alice.id, alice.agreement.privateKey)).toBeNull();
    // History: epoch 1's secret opens epoch 0's; the old secret does not open the chain.
    expect(await previousSecret(COMMUNITY, fields, next.secret)).toEqual(current.secret);
    expect(await previousSecret(COMMUNITY, fields, current.secret)).toBeNull();
  });

  it('chains over several rotations', async () => {
    const alice = await device();
    const recipients = [{ deviceId: alice.id, agreementKey: alice.agreement.publicKey }];
    const secrets = [{ epoch: 0, secret: newCommunitySecret() }];
    const rotations: Rotation[] = [];
    for (let index = 0; index < 3; index += 1) {
      const { next, fields } = await makeRotation(COMMUNITY, secrets.at(-1)!, recipients);
      secrets.push(next);
      rotations.push(asRotation(fields));
    }
    let secret = secrets.at(-1)!.secret;
    for (const rotation of [...rotations].reverse()) {
      secret = (await previousSecret(COMMUNITY, rotation, secret))!;
      expect(secret).toEqual(secrets[rotation.epoch - 1]!.secret);
    }
  });

  it('resolves where a device stands: current, advance, or excluded', async () => {
    const [alice, removed] = await Promise.all([device(), device()]);
    const current = { epoch: 0, secret: newCommunitySecret() };
    expect(await resolveEpoch(COMMUNITY, [], current, alice.id, alice.agreement.privateKey)).toEqual({ kind: 'current' });
    const { next, fields } = await makeRotation(COMMUNITY, current, [{ deviceId: alice.id, agreementKey: alice.agreement.publicKey }]);
    const rotations = [asRotation(fields, 42)];
    expect(await resolveEpoch(COMMUNITY, rotations, current, alice.id, alice.agreement.privateKey)).toEqual({ kind: 'advance', to: next });
    expect(await resolveEpoch(COMMUNITY, rotations, next, alice.id, alice.agreement.privateKey)).toEqual({ kind: 'current' });
    expect(await resolveEpoch(COMMUNITY, rotations, current, removed.id, removed.agreement.privateKey)).toMatchObject({
      kind: 'excluded',
      epoch: 1,
      at: 42,
    });
    expect(await resolveEpoch(COMMUNITY, rotations, current, alice.id, null)).toMatchObject({ kind: 'excluded' });
  });

  it('skips a recipient whose published key is not a P-256 point, and survives garbage wraps', async () => {
    const alice = await device();
    const { fields, skipped } = await makeRotation(COMMUNITY, { epoch: 0, secret: newCommunitySecret() }, [
      { deviceId: 'bad0000000000001', agreementKey: 'AAAA' },
      { deviceId: 'bad0000000000002', agreementKey: 'B'.repeat(87) },
      { deviceId: alice.id, agreementKey: alice.agreement.publicKey },
    ]);
    expect(skipped).toEqual(['bad0000000000001', 'bad0000000000002']);
    for (const garbage of ['', 'AAAA', 'x'.repeat(80), fields.chain]) {
      expect(
        await unwrapRotation(COMMUNITY, { ...fields, wraps: { [alice.id]: garbage } }, alice.id, alice.agreement.privateKey),
      ).toBeNull();
    }
    expect(await unwrapRotation(COMMUNITY, { ...fields, ephemeralKey: 'nope' }, alice.id, alice.agreement.privateKey)).toBeNull();
    expect(
      await unwrapRotation(
        COMMUNITY,
        { ...fields, wraps: JSON.parse('{"__proto__": "x"}') as Record<string, string> },
        '__proto__',
        alice.agreement.privateKey,
      ),
    ).toBeNull();
  });

  it('lists every device of current and waiting members, not the removed', async () => {
    const [a1, a2, waiting, gone] = await Promise.all([device(), device(), device(), device()]);
    const recipients = await recipientsOf(
      {
        roles: new Map([
          ['alice00000000000', 'member'],
          ['gone000000000000', 'member'],
        ]),
        waiting: new Map([['wait000000000000', 1]]),
        devices: new Map([
          [
            'alice00000000000',
            [
              { publicKey: a1.signingKey, agreementKey: a1.agreement.publicKey, name: null },
              { publicKey: a2.signingKey, agreementKey: null, name: 'Laptop' },
            ],
          ],
          ['wait000000000000', [{ publicKey: waiting.signingKey, agreementKey: waiting.agreement.publicKey, name: null }]],
          ['gone000000000000', [{ publicKey: gone.signingKey, agreementKey: gone.agreement.publicKey, name: null }]],
        ]),
      },
      new Set(['gone000000000000']),
    );
    expect(recipients.map((r) => r.deviceId).sort()).toEqual([a1.id, waiting.id].sort());
  });
});
