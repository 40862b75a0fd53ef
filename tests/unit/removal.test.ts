// Removal rotates the key: every remaining device can open the new epoch's secret, the removed
// member's cannot; only those with the right can remove; a device publishes its key once.
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createCommunity } from '../../shared/community/commands.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeFounding, writeJoin, writeMembershipChange } from '../../shared/community/log/write.js';
import { keepDeviceKeyPublished, publishDeviceKey, removeMember, unlinkDevice } from '../../shared/community/removal.js';
import type { Identity } from '../../shared/identity/identity.js';
import { deviceIdOf, resolveEpoch } from '../../shared/sync/epochs.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { member } from './member-device.js';

async function circle() {
  const [owner, alice, bob, late] = await Promise.all([member(), member(), member(), member()]);
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
  await writeJoin(doc, alice.identity, communityId, 200, alice.agreement.publicKey);
  await writeJoin(doc, bob.identity, communityId, 300, bob.agreement.publicKey);
  // Late joined before agreement keys existed and publishes its key afterwards.
  await writeJoin(doc, late.identity, communityId, 350);
  return { doc, communityId, owner, alice, bob, late, held: { epoch: 0, secret: newCommunitySecret() } };
}

describe('keeping a device key published', () => {
  it('publishes once the member is in the log, then stops', async () => {
    const c = await circle();
    const joiner = await member();
    const stop = keepDeviceKeyPublished(c.doc, joiner.identity, c.communityId, joiner.agreement.publicKey, 5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await readMembership(c.doc, c.communityId)).devices.has(joiner.identity.memberId)).toBe(false);
    await writeJoin(c.doc, joiner.identity, c.communityId, 400);
    await vi.waitFor(async () => {
      expect((await readMembership(c.doc, c.communityId)).devices.get(joiner.identity.memberId)).toEqual([
        { publicKey: joiner.identity.publicKey, agreementKey: joiner.agreement.publicKey, name: null },
      ]);
    });
    stop();
  });
});

describe('removing a member', () => {
  it('rotates to an epoch every remaining device can open and the removed one cannot', async () => {
    const c = await circle();
    expect(await publishDeviceKey(c.doc, c.late.identity, c.communityId, c.late.agreement.publicKey)).toBe('written');
    expect(await publishDeviceKey(c.doc, c.late.identity, c.communityId, c.late.agreement.publicKey)).toBe('present');
    const stranger = await member();
    expect(await publishDeviceKey(c.doc, stranger.identity, c.communityId, stranger.agreement.publicKey)).toBe('not-yet');
    const { next, skipped } = await removeMember(c.doc, c.owner.identity, c.communityId, c.bob.identity.memberId, c.held, 1_000);
    expect(skipped).toEqual([]);
    const membership = await readMembership(c.doc, c.communityId);
    expect(membership.rejected).toEqual([]);
    expect(membership.removed.has(c.bob.identity.memberId)).toBe(true);
    expect(membership.rotations.map((rotation) => rotation.epoch)).toEqual([1]);
    for (const device of [c.owner, c.alice, c.late]) {
      expect(await resolveEpoch(c.communityId, membership.rotations, c.held, device.deviceId, device.agreement.privateKey)).toEqual({
        kind: 'advance',
        to: next,
      });
    }
    expect(await resolveEpoch(c.communityId, membership.rotations, c.held, c.bob.deviceId, c.bob.agreement.privateKey)).toMatchObject({
      kind: 'excluded',
      epoch: 1,
    });
  });

  it('refuses without the right, for oneself, for a stranger, and from a device behind on keys', async () => {
    const c = await circle();
    await expect(removeMember(c.doc, c.alice.identity, c.communityId, c.bob.identity.memberId, c.held)).rejects.toThrow(
      /Only owners and facilitators/,
    );
    await writeMembershipChange(
      c.doc,
      c.owner.identity,
      c.communityId,
      { kind: 'role', subject: c.alice.identity.memberId, role: 'facilitator' },
      400,
    );
    await expect(removeMember(c.doc, c.alice.identity, c.communityId, c.owner.identity.memberId, c.held)).rejects.toThrow(/members only/);
    await expect(removeMember(c.doc, c.alice.identity, c.communityId, c.alice.identity.memberId, c.held)).rejects.toThrow(/leave/);
    await expect(removeMember(c.doc, c.alice.identity, c.communityId, 'stranger00000001', c.held)).rejects.toThrow(/not a member/);
    await removeMember(c.doc, c.alice.identity, c.communityId, c.bob.identity.memberId, c.held, 1_000);
    await expect(removeMember(c.doc, c.owner.identity, c.communityId, c.late.identity.memberId, c.held)).rejects.toThrow(/catching up/);
  });
});

describe('unlinking a device', () => {
  async function linked() {
    const c = await circle();
    const laptop = await member();
    await writeMembershipChange(
      c.doc,
      c.alice.identity,
      c.communityId,
      {
        kind: 'device',
        subject: c.alice.identity.memberId,
        publicKey: laptop.identity.publicKey,
        agreementKey: laptop.agreement.publicKey,
        deviceName: 'Alice’s laptop',
      },
      500,
    );
    const asAliceOnLaptop: Identity = { ...laptop.identity, memberId: c.alice.identity.memberId };
    return { ...c, laptop, asAliceOnLaptop };
  }

  it('a plain member unlinks her laptop: its later entries stop counting and the new key skips it', async () => {
    const c = await linked();
    let membership = await readMembership(c.doc, c.communityId);
    expect(membership.devices.get(c.alice.identity.memberId)?.map((device) => device.name)).toEqual([null, 'Alice’s laptop']);
    await writeMembershipChange(
      c.doc,
      c.asAliceOnLaptop,
      c.communityId,
      { kind: 'conduct', subject: c.alice.identity.memberId, conductHash: 'before' },
      600,
    );

    const { next } = await unlinkDevice(c.doc, c.alice.identity, c.communityId, c.laptop.identity.publicKey, c.held, 1_000);
    // The lost laptop keeps signing as Alice: none of it counts any more.
    await writeMembershipChange(
      c.doc,
      c.asAliceOnLaptop,
      c.communityId,
      { kind: 'conduct', subject: c.alice.identity.memberId, conductHash: 'after' },
      2_000,
    );
    await writeMembershipChange(
      c.doc,
      c.asAliceOnLaptop,
      c.communityId,
      { kind: 'device', subject: c.alice.identity.memberId, publicKey: c.bob.identity.publicKey },
      2_100,
    );
    membership = await readMembership(c.doc, c.communityId);
    expect(membership.conduct.get(c.alice.identity.memberId)).toBe('before');
    expect(membership.devices.get(c.alice.identity.memberId)?.map((device) => device.publicKey)).toEqual([c.alice.identity.publicKey]);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual([
      'signed with a device key that was unlinked before',
      'signed with a device key that was unlinked before',
    ]);
    // The rotation (by a plain member: complete) applied; everyone but the laptop gets the new key.
    expect(membership.rotations.map((rotation) => rotation.by)).toEqual([c.alice.identity.memberId]);
    for (const device of [c.owner, c.alice, c.bob]) {
      expect(await resolveEpoch(c.communityId, membership.rotations, c.held, device.deviceId, device.agreement.privateKey)).toEqual({
        kind: 'advance',
        to: next,
      });
    }
    expect(
      await resolveEpoch(
        c.communityId,
        membership.rotations,
        c.held,
        await deviceIdOf(c.laptop.identity.publicKey),
        c.laptop.agreement.privateKey,
      ),
    ).toMatchObject({ kind: 'excluded' });
  });

  it('refuses someone else’s device, the device in use, and a revoke signed by an already unlinked key', async () => {
    const c = await linked();
    await expect(unlinkDevice(c.doc, c.bob.identity, c.communityId, c.laptop.identity.publicKey, c.held)).rejects.toThrow(
      /not one of your devices/,
    );
    await expect(unlinkDevice(c.doc, c.alice.identity, c.communityId, c.alice.identity.publicKey, c.held)).rejects.toThrow(
      /device you are using/,
    );
    await unlinkDevice(c.doc, c.alice.identity, c.communityId, c.laptop.identity.publicKey, c.held, 1_000);
    // The unlinked laptop tries to unlink Alice's own device in return.
    await writeMembershipChange(
      c.doc,
      c.asAliceOnLaptop,
      c.communityId,
      { kind: 'revoke', subject: c.alice.identity.memberId, publicKey: c.alice.identity.publicKey },
      3_000,
    );
    const membership = await readMembership(c.doc, c.communityId);
    expect(membership.devices.get(c.alice.identity.memberId)?.map((device) => device.publicKey)).toEqual([c.alice.identity.publicKey]);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['signed with a device key that was unlinked before']);
  });
});
