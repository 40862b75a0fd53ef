// Knock to join, join policy, code-of-conduct acceptance, linked devices and key rotations in the
// signed membership log: each applied only when signed by someone with the right, and never otherwise.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCommunity } from '../../shared/community/commands.js';
import { ENTRY_VERSION, membershipLog } from '../../shared/community/log/entries.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeFounding, writeJoin, writeMembershipChange } from '../../shared/community/log/write.js';
import { generateIdentity, sign, type Canonical, type Identity } from '../../shared/identity/identity.js';
import { newId } from '../../shared/ids.js';

async function founded(): Promise<{ doc: Y.Doc; communityId: string; owner: Identity }> {
  const owner = await generateIdentity();
  const doc = new Y.Doc();
  const { communityId, nonce } = await foundingId(owner);
  createCommunity(doc, {
    id: communityId,
    name: 'Circle',
    purpose: '',
    kind: 'coaching',
    founder: { id: owner.memberId, displayName: 'Olive' },
    now: 100,
  });
  await writeFounding(doc, owner, communityId, nonce, 100, 'AGREE-owner');
  return { doc, communityId, owner };
}

/** Signs any entry fields as `identity`, bypassing the commands' own checks (a hostile peer). */
async function forge(doc: Y.Doc, identity: Identity, fields: Record<string, Canonical>): Promise<string> {
  const entry = { v: ENTRY_VERSION, id: newId(), by: identity.memberId, ...fields };
  membershipLog(doc).set(entry.id, { ...entry, signature: await sign(identity.privateKey, entry) });
  return entry.id;
}

describe('knock to join', () => {
  it('a newcomer waits until a facilitator admits them; a plain member cannot admit', async () => {
    const w = await founded();
    const [alice, newcomer] = await Promise.all([generateIdentity(), generateIdentity()]);
    await writeJoin(w.doc, alice, w.communityId, 200);
    await writeMembershipChange(w.doc, alice, w.communityId, { kind: 'policy', subject: w.communityId, policy: 'knock' }, 250);
    let membership = await readMembership(w.doc, w.communityId);
    expect(membership.joinPolicy).toBe('open');
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['only owners and facilitators set how newcomers join']);

    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'policy', subject: w.communityId, policy: 'knock' }, 300);
    await writeJoin(w.doc, newcomer, w.communityId, 400);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.joinPolicy).toBe('knock');
    expect(membership.waiting.get(newcomer.memberId)).toBe(400);
    expect(membership.roles.has(newcomer.memberId)).toBe(false);
    // Alice joined before the policy changed: still a member.
    expect(membership.roles.get(alice.memberId)).toBe('member');

    await writeMembershipChange(w.doc, alice, w.communityId, { kind: 'admit', subject: newcomer.memberId }, 500);
    await writeMembershipChange(w.doc, newcomer, w.communityId, { kind: 'admit', subject: newcomer.memberId }, 510);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.has(newcomer.memberId)).toBe(true);

    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'admit', subject: newcomer.memberId }, 600);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.has(newcomer.memberId)).toBe(false);
    expect(membership.roles.get(newcomer.memberId)).toBe('member');
    expect(membership.audit.map((entry) => entry.kind)).toEqual(['policy', 'admit']);
  });
});

describe('code of conduct', () => {
  it('records a member’s own acceptance, and nobody else’s on their behalf', async () => {
    const w = await founded();
    const alice = await generateIdentity();
    await writeJoin(w.doc, alice, w.communityId, 200);
    await forge(w.doc, w.owner, { community: w.communityId, kind: 'conduct', subject: alice.memberId, at: 250, conductHash: 'forged' });
    await writeMembershipChange(w.doc, alice, w.communityId, { kind: 'conduct', subject: alice.memberId, conductHash: 'hash-1' }, 300);
    const membership = await readMembership(w.doc, w.communityId);
    expect(membership.conduct.get(alice.memberId)).toBe('hash-1');
    expect(membership.conduct.has(w.owner.memberId)).toBe(false);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['a conduct entry is made by its own member']);
  });
});

describe('linked devices', () => {
  it('a device entry signed by the member adds a key that may then sign for them; a stranger cannot add one', async () => {
    const w = await founded();
    const [alice, laptop, mallory] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
    await writeJoin(w.doc, alice, w.communityId, 200, 'AGREE-alice');
    await writeJoin(w.doc, mallory, w.communityId, 210);
    // Mallory tries to add her own key to Alice's identity.
    await forge(w.doc, mallory, {
      community: w.communityId,
      kind: 'device',
      subject: alice.memberId,
      at: 220,
      publicKey: mallory.publicKey,
    });
    await writeMembershipChange(
      w.doc,
      alice,
      w.communityId,
      { kind: 'device', subject: alice.memberId, publicKey: laptop.publicKey, agreementKey: 'AGREE-laptop' },
      300,
    );
    // The laptop now signs as Alice.
    const asAliceOnLaptop: Identity = { memberId: alice.memberId, publicKey: laptop.publicKey, privateKey: laptop.privateKey };
    await writeMembershipChange(
      w.doc,
      asAliceOnLaptop,
      w.communityId,
      { kind: 'conduct', subject: alice.memberId, conductHash: 'from-laptop' },
      400,
    );
    const membership = await readMembership(w.doc, w.communityId);
    expect(membership.conduct.get(alice.memberId)).toBe('from-laptop');
    expect(membership.devices.get(alice.memberId)).toEqual([
      { publicKey: alice.publicKey, agreementKey: 'AGREE-alice', name: null },
      { publicKey: laptop.publicKey, agreementKey: 'AGREE-laptop', name: null },
    ]);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['a device is linked by its own member, with the device’s key']);
  });

  it('a device linked from a linked device counts, whatever order the entries are read in', async () => {
    const w = await founded();
    const [laptop, phone] = await Promise.all([generateIdentity(), generateIdentity()]);
    await writeMembershipChange(
      w.doc,
      w.owner,
      w.communityId,
      { kind: 'device', subject: w.owner.memberId, publicKey: laptop.publicKey },
      200,
    );
    const onLaptop: Identity = { ...laptop, memberId: w.owner.memberId };
    await writeMembershipChange(
      w.doc,
      onLaptop,
      w.communityId,
      { kind: 'device', subject: w.owner.memberId, publicKey: phone.publicKey },
      300,
    );
    // Read the entries in reverse order of writing: the phone's link comes before the laptop's.
    const reversed = new Y.Doc();
    for (const [key, value] of [...membershipLog(w.doc).entries()].reverse()) membershipLog(reversed).set(key, value);
    const membership = await readMembership(reversed, w.communityId);
    expect(membership.rejected).toEqual([]);
    expect(membership.devices.get(w.owner.memberId)?.map((device) => device.publicKey)).toEqual([
      w.owner.publicKey,
      laptop.publicKey,
      phone.publicKey,
    ]);
  });
});

describe('rotation entries', () => {
  const rotation = (epoch: number) => ({
    kind: 'rotate' as const,
    subject: 'community00000000',
    epoch,
    ephemeralKey: 'EPHEMERAL',
    wraps: { abcdefghjkmnpqrs: 'WRAPPED' },
    chain: 'CHAIN',
  });

  it('apply in epoch order; a plain member’s incomplete rotation does not', async () => {
    const w = await founded();
    const alice = await generateIdentity();
    await writeJoin(w.doc, alice, w.communityId, 200);
    await writeMembershipChange(w.doc, alice, w.communityId, rotation(1), 300);
    await writeMembershipChange(w.doc, w.owner, w.communityId, rotation(2), 400);
    await writeMembershipChange(w.doc, w.owner, w.communityId, rotation(1), 500);
    await writeMembershipChange(w.doc, w.owner, w.communityId, rotation(1), 600);
    const membership = await readMembership(w.doc, w.communityId);
    expect(membership.rotations.map((entry) => [entry.epoch, entry.at])).toEqual([[1, 500]]);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual([
      'a member’s rotation must give the new key to every device that keeps access',
      'a rotation must name epoch 1',
      'a rotation must name epoch 2',
    ]);
  });

  it('refuses a rotation with too many wraps or a malformed wrap', async () => {
    const w = await founded();
    const wraps = Object.fromEntries(Array.from({ length: 257 }, () => [newId(), 'W']));
    await forge(w.doc, w.owner, {
      community: w.communityId,
      kind: 'rotate',
      subject: w.communityId,
      at: 200,
      epoch: 1,
      ephemeralKey: 'E',
      wraps,
      chain: 'C',
    });
    await forge(w.doc, w.owner, {
      community: w.communityId,
      kind: 'rotate',
      subject: w.communityId,
      at: 300,
      epoch: 1,
      ephemeralKey: 'E',
      wraps: { 'not an id': 'W' },
      chain: 'C',
    });
    const membership = await readMembership(w.doc, w.communityId);
    expect(membership.rotations).toEqual([]);
    expect(membership.rejected).toHaveLength(2);
    expect(membership.rejected.every((entry) => entry.reason.startsWith('malformed'))).toBe(true);
  });
});
