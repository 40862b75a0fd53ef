// Issue 14's attacks by a member who holds the secret and a valid key, each reproduced against the
// real log, replay and key rotation: rotations nobody can hijack (commitment, predecessor, complete
// wraps, flagging), and no backdating around a knock policy or a removal.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCommunity } from '../../shared/community/commands.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeFounding, writeJoin, writeMembershipChange } from '../../shared/community/log/write.js';
import { removeMember } from '../../shared/community/removal.js';
import { makeRotation, recipientsOf, resolveEpoch, rotationCommitment, type EpochSecret } from '../../shared/sync/epochs.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { member, type Device } from './member-device.js';

/** Olive (owner), Fran (facilitator), Alice and Mallory (members), every device with a published key. */
async function circle() {
  const [owner, fran, alice, mallory] = await Promise.all([member(), member(), member(), member()]);
  const doc = new Y.Doc();
  const { communityId, nonce } = await foundingId(owner.identity);
  createCommunity(doc, {
    id: communityId,
    name: 'Circle',
    purpose: '',
    kind: 'hobby',
    founder: { id: owner.identity.memberId, displayName: 'Olive' },
    now: 100,
  });
  await writeFounding(doc, owner.identity, communityId, nonce, 100, owner.agreement.publicKey);
  for (const [index, device] of [fran, alice, mallory].entries())
    await writeJoin(doc, device.identity, communityId, 200 + index * 10, device.agreement.publicKey);
  await writeMembershipChange(
    doc,
    owner.identity,
    communityId,
    { kind: 'role', subject: fran.identity.memberId, role: 'facilitator' },
    300,
  );
  const held: EpochSecret = { epoch: 0, secret: newCommunitySecret() };
  return { doc, communityId, owner, fran, alice, mallory, held, everyone: [owner, fran, alice, mallory] };
}

type Circle = Awaited<ReturnType<typeof circle>>;

/** A rotation as a hostile signer writes it: real wraps for `recipients`, then `tamper` with the fields. */
async function hostileRotation(
  c: Circle,
  signer: Device,
  recipients: readonly Device[],
  at: number,
  tamper: (fields: Record<string, unknown>) => Record<string, unknown> = (fields) => fields,
) {
  const { next, fields } = await makeRotation(
    c.communityId,
    c.held,
    recipients.map((device) => ({ deviceId: device.deviceId, agreementKey: device.agreement.publicKey })),
  );
  const entry = await writeMembershipChange(
    c.doc,
    signer.identity,
    c.communityId,
    { kind: 'rotate', subject: c.communityId, ...(tamper({ ...fields }) as unknown as typeof fields) },
    at,
  );
  return { next, entry };
}

const reasons = async (c: Circle) => (await readMembership(c.doc, c.communityId)).rejected.map((entry) => entry.reason);

describe('rotation commitment', () => {
  it('matches the vector in shared/sync/README.md (computed with Python’s hmac)', async () => {
    const secret = Uint8Array.from({ length: 32 }, (_, index) => index);
    expect(await rotationCommitment('community0000001', 1, secret)).toBe('FpdPvuLFBXNiEBCPjsesWMRa0vevkNEtluPeSj1sG0Q');
    expect(await rotationCommitment('community0000001', 2, secret)).not.toBe('FpdPvuLFBXNiEBCPjsesWMRa0vevkNEtluPeSj1sG0Q');
  });
});

describe('a rotation nobody can hijack', () => {
  it('a plain member’s rotation wrapped for themselves alone does not count', async () => {
    const c = await circle();
    await hostileRotation(c, c.mallory, [c.mallory], 400);
    const membership = await readMembership(c.doc, c.communityId);
    expect(membership.rotations).toEqual([]);
    expect(await reasons(c)).toEqual(['a member’s rotation must give the new key to every device that keeps access']);
  });

  it('a plain member’s rotation with junk wraps is flagged by every device, and the owner can still remove them', async () => {
    const c = await circle();
    // Complete on paper (a wrap for every device), but only Mallory's opens to the committed secret.
    const { next } = await hostileRotation(c, c.mallory, c.everyone, 400, (fields) => {
      const wraps = fields.wraps as Record<string, string>;
      const mine = wraps[c.mallory.deviceId]!;
      return {
        ...fields,
        wraps: Object.fromEntries(Object.keys(wraps).map((id) => [id, id === c.mallory.deviceId ? mine : `${mine.slice(0, -4)}AAAA`])),
      };
    });
    let membership = await readMembership(c.doc, c.communityId);
    expect(membership.rotations).toHaveLength(1);
    expect(await resolveEpoch(c.communityId, membership.rotations, c.held, c.mallory.deviceId, c.mallory.agreement.privateKey)).toEqual({
      kind: 'advance',
      to: next,
    });
    for (const device of [c.owner, c.fran, c.alice]) {
      expect(await resolveEpoch(c.communityId, membership.rotations, c.held, device.deviceId, device.agreement.privateKey)).toMatchObject({
        kind: 'flagged',
        epoch: 1,
        flags: [{ by: c.mallory.identity.memberId, reason: 'the wrap does not open' }],
      });
    }
    // The owner, still on epoch 0, removes Mallory: their rotation replaces Mallory's.
    const removal = await removeMember(c.doc, c.owner.identity, c.communityId, c.mallory.identity.memberId, c.held, 500);
    membership = await readMembership(c.doc, c.communityId);
    expect(membership.rotations.map((rotation) => rotation.by)).toEqual([c.owner.identity.memberId]);
    expect(membership.removed.has(c.mallory.identity.memberId)).toBe(true);
    for (const device of [c.owner, c.fran, c.alice]) {
      expect(await resolveEpoch(c.communityId, membership.rotations, c.held, device.deviceId, device.agreement.privateKey)).toEqual({
        kind: 'advance',
        to: removal.next,
      });
    }
    expect(await reasons(c)).toEqual(['replaced by the rotation that removes its signer']);
  });

  it('a secret that does not match the commitment is flagged, not taken', async () => {
    const c = await circle();
    // Another secret, honestly wrapped for everyone, under the commitment of a different one.
    const other = await makeRotation(c.communityId, c.held, []);
    await hostileRotation(c, c.mallory, c.everyone, 400, (fields) => ({ ...fields, commitment: other.fields.commitment }));
    const membership = await readMembership(c.doc, c.communityId);
    expect(await resolveEpoch(c.communityId, membership.rotations, c.held, c.alice.deviceId, c.alice.agreement.privateKey)).toMatchObject({
      kind: 'flagged',
      flags: [{ reason: 'the secret does not match the rotation’s commitment' }],
    });
  });

  it('a facilitator’s rotation that leaves the owner out does not count', async () => {
    const c = await circle();
    await hostileRotation(c, c.fran, [c.fran, c.alice, c.mallory], 400);
    expect((await readMembership(c.doc, c.communityId)).rotations).toEqual([]);
    expect(await reasons(c)).toEqual(['a rotation must give the new key to every device that keeps access, and to no other']);
  });

  it('a rotation without a commitment counts only from an owner, before any committed one', async () => {
    const c = await circle();
    const legacy = (fields: Record<string, unknown>) => {
      const { commitment: _commitment, ...rest } = fields;
      return rest;
    };
    await hostileRotation(c, c.fran, c.everyone, 400, legacy);
    expect(await reasons(c)).toEqual(['a rotation must commit to its new secret']);
    await hostileRotation(c, c.owner, c.everyone, 500, legacy);
    expect((await readMembership(c.doc, c.communityId)).rotations.map((rotation) => rotation.by)).toEqual([c.owner.identity.memberId]);
  });

  it('a rotation that names the wrong predecessor does not count', async () => {
    const c = await circle();
    const first = await hostileRotation(c, c.owner, c.everyone, 400);
    // Epoch 2 with no predecessor, and with one that is not a rotation.
    await writeMembershipChange(
      c.doc,
      c.fran.identity,
      c.communityId,
      { kind: 'rotate', subject: c.communityId, ...(await makeRotation(c.communityId, first.next, [])).fields, wraps: {} },
      500,
    );
    const named = await makeRotation(
      c.communityId,
      first.next,
      c.everyone.map((device) => ({ deviceId: device.deviceId, agreementKey: device.agreement.publicKey })),
      'notarotation0001',
    );
    await writeMembershipChange(c.doc, c.fran.identity, c.communityId, { kind: 'rotate', subject: c.communityId, ...named.fields }, 600);
    expect((await readMembership(c.doc, c.communityId)).rotations).toHaveLength(1);
    expect(await reasons(c)).toEqual([
      'a rotation must follow the newest one (epoch 1)',
      'a rotation must name a rotation that counts as the one before it',
    ]);
  });

  it('a rotation the removed member dates before their removal does not win the epoch', async () => {
    const c = await circle();
    const { next: ownerNext } = await removeMember(c.doc, c.owner.identity, c.communityId, c.mallory.identity.memberId, c.held, 1_000);
    // Mallory saw the removal and signs epoch 1 herself, dated before it, wrapped for everyone (her too).
    const { next: malloryNext } = await hostileRotation(c, c.mallory, c.everyone, 900);
    const membership = await readMembership(c.doc, c.communityId);
    expect(membership.rotations.map((rotation) => rotation.by)).toEqual([c.owner.identity.memberId]);
    expect(membership.removed.has(c.mallory.identity.memberId)).toBe(true);
    // Alice was offline and had moved onto Mallory's secret before the owner's rotation arrived: she leaves it.
    expect(await resolveEpoch(c.communityId, membership.rotations, c.held, c.alice.deviceId, c.alice.agreement.privateKey)).toEqual({
      kind: 'advance',
      to: ownerNext,
    });
    expect(await resolveEpoch(c.communityId, membership.rotations, malloryNext, c.alice.deviceId, c.alice.agreement.privateKey)).toEqual({
      kind: 'advance',
      to: ownerNext,
    });
    expect(await resolveEpoch(c.communityId, membership.rotations, ownerNext, c.alice.deviceId, c.alice.agreement.privateKey)).toEqual({
      kind: 'current',
    });
    // Mallory, on her own secret, is off the chain and has no wrap in it: excluded.
    expect(
      await resolveEpoch(c.communityId, membership.rotations, malloryNext, c.mallory.deviceId, c.mallory.agreement.privateKey),
    ).toMatchObject({ kind: 'excluded', epoch: 1 });
    expect(await reasons(c)).toEqual(['replaced by the rotation that removes its signer']);
  });

  it('a rotation that names a removal must name one that counts', async () => {
    const c = await circle();
    const recipients = await recipientsOf(await readMembership(c.doc, c.communityId));
    const { fields } = await makeRotation(c.communityId, c.held, recipients);
    await writeMembershipChange(
      c.doc,
      c.owner.identity,
      c.communityId,
      { kind: 'rotate', subject: c.communityId, ...fields, removal: 'notaremoval00001' },
      400,
    );
    expect(await reasons(c)).toEqual(['a rotation must name a removal that counts']);
  });
});

describe('no backdating around the policy or a removal', () => {
  it('a join dated before a knock policy by someone outside its member set waits to be admitted', async () => {
    const c = await circle();
    await writeMembershipChange(c.doc, c.owner.identity, c.communityId, { kind: 'policy', subject: c.communityId, policy: 'knock' }, 1_000);
    const sneak = await member();
    await writeJoin(c.doc, sneak.identity, c.communityId, 999, sneak.agreement.publicKey);
    let membership = await readMembership(c.doc, c.communityId);
    expect(membership.roles.has(sneak.identity.memberId)).toBe(false);
    expect(membership.waiting.get(sneak.identity.memberId)).toBe(999);
    // Those the policy saw stay members; an admit lets the newcomer in as usual.
    for (const device of c.everyone) expect(membership.roles.has(device.identity.memberId)).toBe(true);
    await writeMembershipChange(c.doc, c.fran.identity, c.communityId, { kind: 'admit', subject: sneak.identity.memberId }, 1_100);
    membership = await readMembership(c.doc, c.communityId);
    expect(membership.roles.get(sneak.identity.memberId)).toBe('member');
    expect(membership.rejected.map((entry) => entry.reason)).toEqual([
      'a join from outside the member set a knock policy committed to waits to be admitted',
    ]);
  });

  it('a leave-then-join dated around a removal does not cancel it', async () => {
    const c = await circle();
    await removeMember(c.doc, c.owner.identity, c.communityId, c.mallory.identity.memberId, c.held, 1_000);
    await writeMembershipChange(c.doc, c.mallory.identity, c.communityId, { kind: 'leave', subject: c.mallory.identity.memberId }, 999);
    await writeMembershipChange(
      c.doc,
      c.mallory.identity,
      c.communityId,
      { kind: 'join', subject: c.mallory.identity.memberId, publicKey: c.mallory.identity.publicKey } as never,
      1_002,
    );
    const membership = await readMembership(c.doc, c.communityId);
    expect(membership.removed.has(c.mallory.identity.memberId)).toBe(true);
    expect(membership.roles.has(c.mallory.identity.memberId)).toBe(false);
    expect(membership.rotations).toHaveLength(1);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['a removed member cannot join again on their own']);
  });

  it('a facilitator still cannot remove a former facilitator who left', async () => {
    const c = await circle();
    const other = await member();
    await writeJoin(c.doc, other.identity, c.communityId, 400, other.agreement.publicKey);
    await writeMembershipChange(
      c.doc,
      c.owner.identity,
      c.communityId,
      { kind: 'role', subject: other.identity.memberId, role: 'facilitator' },
      410,
    );
    await writeMembershipChange(c.doc, other.identity, c.communityId, { kind: 'leave', subject: other.identity.memberId }, 420);
    await writeMembershipChange(c.doc, c.fran.identity, c.communityId, { kind: 'remove', subject: other.identity.memberId }, 430);
    expect(await reasons(c)).toEqual(['a facilitator can remove members only']);
  });
});
