// A hostile member as its own process, with real keys and the community's secret, tries issue 14's
// attacks over real WebRTC on loopback: a backdated join under knock, a rotation wrapped for itself
// alone, one with junk wraps, and — once removed — a rotation and a leave-then-join dated around its
// removal, handed to an honest member who was offline. The honest members' processes end on one
// epoch and one secret with the same roles, the hostile member stays removed, and every attempt is
// counted (replay's `rejected`, the devices' `flagged`).
import { describe, expect, it } from 'vitest';
import { foundingId } from '../../shared/community/log/write.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { toBase64Url } from '../../shared/sync/bytes.js';
import { generateAgreementKey } from '../../shared/sync/epochs.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { Peer, eventually, useSignaling, type Community, type PeerEvent } from './peers.js';

const signaling = useSignaling();

interface Member {
  readonly identity: Identity;
  readonly config: Record<string, unknown>;
}

async function member(): Promise<Member> {
  const [identity, agreement] = await Promise.all([generateIdentity(true), generateAgreementKey(true)]);
  const config = {
    memberId: identity.memberId,
    identity: {
      memberId: identity.memberId,
      publicKey: identity.publicKey,
      privateKeyJwk: await crypto.subtle.exportKey('jwk', identity.privateKey),
    },
    agreement: { publicKey: agreement.publicKey, privateKeyJwk: await crypto.subtle.exportKey('jwk', agreement.privateKey) },
  };
  return { identity, config };
}

interface MembershipView {
  roles: Record<string, string>;
  removed: string[];
  waiting: string[];
  epoch: number;
  rotations: number;
  rejected: number;
  reasons: string[];
  flagged: number;
  audit: { id: string; kind: string; subject: string; at: number }[];
  access: PeerEvent | null;
}

async function membership(peer: Peer): Promise<MembershipView> {
  const reply = peer.waitFor((event) => event.event === 'membership');
  peer.send({ cmd: 'membership' });
  return (await reply) as unknown as MembershipView;
}

async function signed(peer: Peer, entry: Record<string, unknown>): Promise<PeerEvent> {
  const reply = peer.waitFor((event) => event.event === 'signed');
  peer.send({ cmd: 'sign', entry });
  return reply;
}

async function rotated(peer: Peer, wraps: 'all' | 'self' | 'junk', at?: number): Promise<PeerEvent> {
  const reply = peer.waitFor((event) => event.event === 'rotated');
  peer.send({ cmd: 'rotate', wraps, ...(at === undefined ? {} : { at }) });
  return reply;
}

describe('a hostile member, as its own process', () => {
  it('changes nothing for the honest members with any of issue 14’s attacks', async () => {
    const [olive, alice, bob, mallory] = await Promise.all([member(), member(), member(), member()]);
    const { communityId, nonce } = await foundingId(olive.identity);
    const community: Community = { communityId, secret: toBase64Url(newCommunitySecret()) };
    const start = (name: string, who: Member, extra: Record<string, unknown> = {}) =>
      Peer.start(name, community, [signaling.url], undefined, { config: { ...who.config, ...extra } });

    const olivePeer = await start('Olive', olive, { nonce });
    await olivePeer.run({ cmd: 'create', name: 'Pottery Circle' });
    const alicePeer = await start('Alice', alice);
    const bobPeer = await start('Bob', bob);
    // Mallory's app is modified: it ignores rotations and signs whatever she asks.
    const malloryPeer = await start('Mallory', mallory, { ignoreRotations: true });
    for (const peer of [alicePeer, bobPeer]) {
      await peer.until((snapshot) => snapshot.members.includes('Olive'));
      await peer.run({ cmd: 'join' });
    }
    await malloryPeer.until((snapshot) => snapshot.members.includes('Olive'));
    const honest = [olivePeer, alicePeer, bobPeer];
    const ids = (...who: Member[]) => who.map((m) => m.identity.memberId).sort();
    await eventually(
      async () => (await Promise.all(honest.map(membership))).every((view) => Object.keys(view.roles).length === 3),
      'three members everywhere',
    );
    const rejectedAt = async (count: number) => (await Promise.all(honest.map(membership))).every((view) => view.rejected === count);

    // ---------- a join dated before the knock policy ----------
    const policy = await signed(olivePeer, { kind: 'policy', subject: communityId, policy: 'knock' });
    await eventually(
      async () => (await membership(malloryPeer)).audit.some((entry) => entry.kind === 'policy'),
      'Mallory to see the policy',
    );
    // Just before the policy (not before the founding, which no entry can be).
    await signed(malloryPeer, { kind: 'join', at: (policy.at as number) - 1 });
    await eventually(
      async () =>
        (await Promise.all(honest.map(membership))).every(
          (view) => view.waiting.includes(mallory.identity.memberId) && !(mallory.identity.memberId in view.roles),
        ),
      'Mallory to be waiting, not a member, everywhere',
    );
    await eventually(() => rejectedAt(1), 'the backdated join to be counted');
    // Olive lets her in the proper way: now she is a plain member with the secret and a valid key.
    await signed(olivePeer, { kind: 'admit', subject: mallory.identity.memberId });
    await eventually(
      async () => (await Promise.all(honest.map(membership))).every((view) => view.roles[mallory.identity.memberId] === 'member'),
      'Mallory admitted everywhere',
    );

    // ---------- a rotation wrapped for herself alone ----------
    await rotated(malloryPeer, 'self');
    await eventually(() => rejectedAt(2), 'the self-only rotation to be counted');
    for (const view of await Promise.all(honest.map(membership))) expect(view).toMatchObject({ epoch: 0, rotations: 0 });

    // ---------- a rotation with junk wraps for everyone else ----------
    await rotated(malloryPeer, 'junk');
    await eventually(
      async () => (await Promise.all(honest.map(membership))).every((view) => view.flagged === 1 && view.rotations === 1),
      'every honest device to flag the junk rotation',
    );
    for (const view of await Promise.all(honest.map(membership)))
      expect(view).toMatchObject({ epoch: 0, access: { kind: 'member', epoch: 0 } });

    // ---------- the removal, while Bob is offline ----------
    await bobPeer.run({ cmd: 'pause' });
    await olivePeer.run({ cmd: 'remove', memberId: mallory.identity.memberId });
    const [oliveEpoch, aliceEpoch] = await Promise.all([
      olivePeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 30_000),
      alicePeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 30_000),
    ]);
    expect(aliceEpoch.secret).toBe(oliveEpoch.secret);
    // Mallory, left in the old room, learns of her removal there (the beacon) and dates her answer before it.
    await eventually(async () => (await membership(malloryPeer)).removed.includes(mallory.identity.memberId), 'Mallory to see her removal');
    const removal = (await membership(malloryPeer)).audit.find((entry) => entry.kind === 'remove')!;
    await rotated(malloryPeer, 'all', removal.at - 10);
    await signed(malloryPeer, { kind: 'leave', at: removal.at - 5 });
    await signed(malloryPeer, { kind: 'join', at: removal.at + 5 });

    // Bob comes back in the old room, where both Mallory and the beacon are.
    await bobPeer.run({ cmd: 'resume' });
    const bobEpoch = await bobPeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 60_000);
    expect(bobEpoch.secret).toBe(oliveEpoch.secret);

    // ---------- after all that ----------
    // Counted: the backdated join, the self-only rotation, the junk one (replaced by Olive's), the
    // backdated rotation, and the join after the removal; the leave itself stands (she had been in).
    await eventually(() => rejectedAt(5), 'all five attempts counted by every honest member');
    for (const view of await Promise.all(honest.map(membership))) {
      expect(view.epoch).toBe(1);
      expect(view.rotations).toBe(1);
      expect(Object.keys(view.roles).sort()).toEqual(ids(olive, alice, bob));
      expect(view.roles[olive.identity.memberId]).toBe('owner');
      expect(view.removed).toEqual([mallory.identity.memberId]);
      expect(view.access).toMatchObject({ kind: 'member', epoch: 1 });
      expect(view.reasons.sort()).toEqual(
        [
          'a join from outside the member set a knock policy committed to waits to be admitted',
          'a member’s rotation must give the new key to every device that keeps access',
          'replaced by the rotation that removes its signer',
          'a rotation must follow the newest one (epoch 1)',
          'a removed member cannot join again on their own',
        ].sort(),
      );
    }
  }, 240_000);
});
