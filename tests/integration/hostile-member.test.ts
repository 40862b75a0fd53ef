// A hostile member as its own process, with real keys and the community's secret, tries issue 14's
// attacks over real WebRTC on loopback: a backdated join under knock; a post under another member's
// name and another member's post rewritten; signed log entries deleted (the founding entry, the knock
// policy, the admission); a rotation wrapped for itself alone, one with junk wraps; and — once
// removed — a rotation and a leave-then-join dated around its removal and the removal itself deleted,
// handed to an honest member who was offline. The honest members' processes end on one epoch and one
// secret with the same roles and the same posts, the hostile member stays removed, and every attempt
// is counted: by the signed changes (a refused change, `changes.refusedBy`), by replay (`rejected`),
// or by the devices (`flagged`).
import { describe, expect, it } from 'vitest';
import { foundingId } from '../../shared/community/log/write.js';
import { toBase64Url } from '../../shared/sync/bytes.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { Peer, eventually, peerMember, useSignaling, type Community, type PeerEvent, type PeerMember } from './peers.js';

const signaling = useSignaling();

type Member = PeerMember;
const member = peerMember;

interface ChangeCountersView {
  applied: number;
  refused: number;
  refusedBy: Record<string, number>;
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
  entries: { id: string; kind: string | null }[];
  rejectedIds: (string | null)[];
  changes: ChangeCountersView;
}

interface PostView {
  id: string;
  authorId: string;
  text: string | null;
}

async function posts(peer: Peer): Promise<PostView[]> {
  const reply = peer.waitFor((event) => event.event === 'posts');
  peer.send({ cmd: 'posts' });
  return ((await reply) as unknown as { posts: PostView[] }).posts;
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

    // ---------- a post under Olive's name, and Olive's post rewritten ----------
    const welcome = await olivePeer.ask({ cmd: 'post', title: 'Welcome', text: 'Hello, potters' }, 'posted');
    await eventually(async () => (await posts(malloryPeer)).some((post) => post.id === welcome.postId), 'Mallory to have Olive’s post');
    const forged = await malloryPeer.ask({ cmd: 'post', title: 'Kiln', text: 'The kiln is closed', as: olive.identity.memberId }, 'posted');
    await malloryPeer.ask({ cmd: 'rewrite-post', postId: welcome.postId, text: 'Rewritten by Mallory' }, 'rewritten');
    // Her own post, after both: it arrives, under her name (her chain goes on past what was refused).
    const own = await malloryPeer.ask({ cmd: 'post', title: 'Glazes', text: 'Who has celadon?' }, 'posted');

    // ---------- signed log entries deleted: the founding entry, the knock policy, her admission ----------
    const entries = (await membership(olivePeer)).entries;
    const founding = entries.find((entry) => entry.kind === 'create')!.id;
    const admission = entries.find((entry) => entry.kind === 'admit')!.id;
    for (const entryId of [founding, policy.entryId as string, admission])
      await malloryPeer.ask({ cmd: 'delete-entry', log: 'membership', entryId }, 'deleted');

    await eventually(
      async () =>
        (await Promise.all(honest.map(posts))).every((list) =>
          list.some((post) => post.id === own.postId && post.authorId === mallory.identity.memberId),
        ),
      'Mallory’s own post to reach every honest member',
    );
    await eventually(
      async () =>
        (await Promise.all(honest.map(membership))).every(
          (view) =>
            (view.changes.refusedBy['log-delete'] ?? 0) === 3 &&
            view.changes.refusedBy.post === 1 &&
            view.changes.refusedBy['post-author'] === 1,
        ),
      'the forged post, the rewrite and the three deletions to be refused by every honest member',
    );
    for (const peer of honest) {
      const list = await posts(peer);
      expect(list.find((post) => post.id === welcome.postId)).toEqual({
        id: welcome.postId,
        authorId: olive.identity.memberId,
        text: 'Hello, potters',
      });
      expect(list.some((post) => post.id === forged.postId)).toBe(false);
      const view = await membership(peer);
      expect(view.entries.map((entry) => entry.id)).toEqual(expect.arrayContaining([founding, policy.entryId, admission]));
      expect(view.roles[mallory.identity.memberId]).toBe('member');
    }

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
    const backdated = (await rotated(malloryPeer, 'all', removal.at - 10)).entryId as string;
    const late = [
      (await signed(malloryPeer, { kind: 'leave', at: removal.at - 5 })).entryId as string,
      (await signed(malloryPeer, { kind: 'join', at: removal.at + 5 })).entryId as string,
    ];
    await malloryPeer.ask({ cmd: 'delete-entry', log: 'membership', entryId: removal.id }, 'deleted');

    // Bob comes back in the old room, where both Mallory and the beacon are.
    await bobPeer.run({ cmd: 'resume' });
    const bobEpoch = await bobPeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 60_000);
    expect(bobEpoch.secret).toBe(oliveEpoch.secret);

    // ---------- after all that ----------
    // Before her removal, replay counted the backdated join, the self-only rotation and the junk one
    // (replaced by Olive's). After it, her moves never take effect: a device that knows of the removal
    // refuses them as changes from a removed member (so they are not in its log at all, and it passes
    // none of them on); one that took a move in before it knew (Bob, back in the old room) has replay
    // reject it, and passes it on to members who refuse it. Only Bob met her after her removal, and only
    // until the beacon moved him on, so how many of her moves reached anyone depends on timing: what
    // reached a member is counted there, and at least one did (the leave stands where it arrived: she
    // had been in).
    const lateIds = [backdated, late[1]!];
    const counted = (view: MembershipView) =>
      (view.changes.refusedBy.removed ?? 0) + lateIds.filter((id) => view.rejectedIds.includes(id)).length;
    const settled = (view: MembershipView) => {
      const present = new Set(view.entries.map((entry) => entry.id));
      return present.has(removal.id) && lateIds.every((id) => !present.has(id) || view.rejectedIds.includes(id));
    };
    await eventually(async () => {
      const views = await Promise.all(honest.map(membership));
      return views.every(settled) && views.some((view) => counted(view) > 0);
    }, 'every late attempt without effect, and counted where it arrived').catch(async (error: unknown) => {
      // What each honest member holds, for whoever reads a failure.
      for (const view of await Promise.all(honest.map(membership)))
        console.log(JSON.stringify({ removal: removal.id, backdated, late, ...view }));
      throw error;
    });
    // The end state, once it settles (access follows the log a moment behind).
    const final = async () => {
      for (const view of await Promise.all(honest.map(membership))) {
        expect(view.epoch).toBe(1);
        expect(view.rotations).toBe(1);
        expect(Object.keys(view.roles).sort()).toEqual(ids(olive, alice, bob));
        expect(view.roles[olive.identity.memberId]).toBe('owner');
        expect(view.removed).toEqual([mallory.identity.memberId]);
        expect(view.access).toMatchObject({ kind: 'member', epoch: 1 });
        expect(view.reasons).toEqual(
          expect.arrayContaining([
            'a join from outside the member set a knock policy committed to waits to be admitted',
            'a member’s rotation must give the new key to every device that keeps access',
            'replaced by the rotation that removes its signer',
          ]),
        );
        expect(view.entries.map((entry) => entry.id)).toEqual(expect.arrayContaining([founding, policy.entryId, admission, removal.id]));
      }
    };
    await eventually(async () => {
      try {
        await final();
        return true;
      } catch {
        return false;
      }
    }, 'the honest members to settle on epoch 1 with the same roles').catch(() => final());
    for (const list of await Promise.all(honest.map(posts))) {
      expect(list.find((post) => post.id === welcome.postId)?.text).toBe('Hello, potters');
      expect(list.some((post) => post.id === forged.postId)).toBe(false);
    }
  }, 240_000);
});
