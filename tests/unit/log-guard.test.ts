// The membership and moderation logs are append-only in fact (shared/community/log/guard.ts): a peer
// that deletes or overwrites an entry — the founding, a removal, a rotation, a hide — changes nothing
// for a device that keeps the log, and devices that write the same entry back at once converge.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { keepLogEntries, type LogKeeper } from '../../shared/community/log/guard.js';
import { membershipLog, moderationLog } from '../../shared/community/log/entries.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeMembershipChange, writeModeration } from '../../shared/community/log/write.js';
import { foundCommunity, joinCommunity } from '../../shared/community/lifecycle.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/community/removal.js';
import { generateAgreementKey } from '../../shared/sync/epochs.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';

interface Circle {
  readonly communityId: string;
  readonly owner: Identity;
  readonly member: Identity;
  /** The owner's doc after: founding, a join, a policy change and a hide. */
  readonly source: Y.Doc;
  readonly entries: { founding: string; policy: string; hide: string };
}

async function circle(): Promise<Circle> {
  const owner = await generateIdentity();
  const member = await generateIdentity();
  const { communityId, nonce } = await foundingId(owner);
  const source = new Y.Doc();
  // Dated a millisecond apart: replay orders by (at, id), so entries written in the same millisecond
  // could apply out of order (a policy "before" the founding counts for nothing).
  const start = Date.now();
  await foundCommunity(source, owner, {
    communityId,
    nonce,
    name: 'Circle',
    purpose: '',
    kind: 'mastermind',
    founder: { id: owner.memberId, displayName: 'Ada' },
    now: start,
  });
  await joinCommunity(source, member, { communityId, member: { id: member.memberId, displayName: 'Bo' }, now: start + 1 });
  const policy = await writeMembershipChange(
    source,
    owner,
    communityId,
    { kind: 'policy', subject: communityId, policy: 'knock' },
    start + 2,
  );
  const hide = await writeModeration(source, owner, communityId, { kind: 'hide', subject: 'post000000000001' }, start + 3);
  const founding = [...membershipLog(source).values()].find((entry) => (entry as { kind: string }).kind === 'create') as { id: string };
  return { communityId, owner, member, source, entries: { founding: founding.id, policy: policy.id, hide: hide.id } };
}

/** A copy of the owner's doc with a keeper, as every member's app opens it. */
function keptCopy(source: Y.Doc, communityId: string): { doc: Y.Doc; keeper: LogKeeper } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return { doc, keeper: keepLogEntries(doc, communityId) };
}

/** What a hostile member's device sends: its change to its own copy, as an update. */
function hostileChange(source: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const attacker = new Y.Doc();
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(source));
  const before = Y.encodeStateVector(attacker);
  change(attacker);
  return Y.encodeStateAsUpdate(attacker, before);
}

async function view(doc: Y.Doc, communityId: string) {
  const membership = await readMembership(doc, communityId);
  return {
    signed: membership.signed,
    roles: [...membership.roles].sort(),
    policy: membership.joinPolicy,
    hidden: [...membership.hiddenPosts.keys()],
  };
}

describe('a kept log', () => {
  it.each([
    ['the founding entry', (c: Circle) => (doc: Y.Doc) => membershipLog(doc).delete(c.entries.founding)],
    ['the knock policy', (c: Circle) => (doc: Y.Doc) => membershipLog(doc).delete(c.entries.policy)],
    ['a hide', (c: Circle) => (doc: Y.Doc) => moderationLog(doc).delete(c.entries.hide)],
    [
      'every entry at once',
      () => (doc: Y.Doc) => {
        for (const key of [...membershipLog(doc).keys()]) membershipLog(doc).delete(key);
        for (const key of [...moderationLog(doc).keys()]) moderationLog(doc).delete(key);
      },
    ],
  ])('writes back %s a peer deleted, before anything reads the log', async (_label, attack) => {
    const c = await circle();
    const expected = await view(c.source, c.communityId);
    const { doc, keeper } = keptCopy(c.source, c.communityId);
    const seenMidway: boolean[] = [];
    // A reader that looks at the log right after the update, as the app's views do.
    doc.on('update', () => seenMidway.push(membershipLog(doc).has(c.entries.founding)));
    Y.applyUpdate(doc, hostileChange(c.source, attack(c)));
    expect(await view(doc, c.communityId)).toEqual(expected);
    expect(seenMidway.every(Boolean)).toBe(true);
    expect(keeper.restored()).toBeGreaterThan(0);
    // Without a keeper the same update does take effect: the test can fail.
    const bare = new Y.Doc();
    Y.applyUpdate(bare, Y.encodeStateAsUpdate(c.source));
    Y.applyUpdate(bare, hostileChange(c.source, attack(c)));
    expect(await view(bare, c.communityId)).not.toEqual(expected);
  });

  it('writes back a removal (and keeps its rotation counting) when a member’s device deletes it', async () => {
    const owner = await generateIdentity();
    const member = await generateIdentity();
    const removed = await generateIdentity();
    const keys = await Promise.all([generateAgreementKey(), generateAgreementKey(), generateAgreementKey()]);
    const { communityId, nonce } = await foundingId(owner);
    const source = new Y.Doc();
    const founder = { id: owner.memberId, displayName: 'Ada' };
    const start = Date.now();
    await foundCommunity(source, owner, {
      communityId,
      nonce,
      name: 'Circle',
      purpose: '',
      kind: 'mastermind',
      founder,
      agreementKey: keys[0]!.publicKey,
      now: start,
    });
    for (const [index, identity] of [member, removed].entries()) {
      const joining = {
        communityId,
        member: { id: identity.memberId, displayName: `M${index}` },
        agreementKey: keys[index + 1]!.publicKey,
        now: start + 2 + index,
      };
      await joinCommunity(source, identity, joining);
    }
    // Dated apart: replay orders by (at, id), and a removal in the same millisecond as the join could sort first.
    await removeMember(source, owner, communityId, removed.memberId, { epoch: 0, secret: newCommunitySecret() }, start + 10);
    const expected = await readMembership(source, communityId);
    expect(expected.removed.has(removed.memberId)).toBe(true);
    const removal = [...membershipLog(source).entries()].find(([, entry]) => (entry as { kind: string }).kind === 'remove')![0];
    const { doc, keeper } = keptCopy(source, communityId);
    Y.applyUpdate(
      doc,
      hostileChange(source, (attacker) => membershipLog(attacker).delete(removal)),
    );
    const after = await readMembership(doc, communityId);
    expect(after.removed.has(removed.memberId)).toBe(true);
    expect([...after.roles.keys()].sort()).toEqual([...expected.roles.keys()].sort());
    expect(after.rotations.map((rotation) => rotation.entryId)).toEqual(expected.rotations.map((rotation) => rotation.entryId));
    expect(keeper.restored()).toBe(1);
  });

  it('writes back an entry overwritten under its own key with a validly signed entry of the attacker', async () => {
    const c = await circle();
    const expected = await view(c.source, c.communityId);
    const forged = await (async () => {
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(c.source));
      const entry = await writeMembershipChange(scratch, c.member, c.communityId, { kind: 'leave', subject: c.member.memberId });
      return { ...entry, id: c.entries.policy };
    })();
    const { doc, keeper } = keptCopy(c.source, c.communityId);
    Y.applyUpdate(
      doc,
      hostileChange(c.source, (attacker) => membershipLog(attacker).set(c.entries.policy, forged)),
    );
    expect(await view(doc, c.communityId)).toEqual(expected);
    expect(keeper.restored()).toBe(1);
  });

  it('lets a malformed entry go when it is deleted (nothing worth keeping)', async () => {
    const c = await circle();
    const { doc, keeper } = keptCopy(c.source, c.communityId);
    Y.applyUpdate(
      doc,
      hostileChange(c.source, (attacker) => membershipLog(attacker).set('junk000000000001', { hello: 'world' })),
    );
    Y.applyUpdate(
      doc,
      hostileChange(doc, (attacker) => membershipLog(attacker).delete('junk000000000001')),
    );
    expect(membershipLog(doc).has('junk000000000001')).toBe(false);
    expect(keeper.restored()).toBe(0);
  });

  it('devices that write back at once, with deliveries shuffled, converge with every entry and stop writing', async () => {
    const c = await circle();
    const expected = await view(c.source, c.communityId);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), async (order) => {
        const devices = [0, 1, 2].map(() => keptCopy(c.source, c.communityId));
        const attack = hostileChange(c.source, (doc) => {
          membershipLog(doc).delete(c.entries.founding);
          moderationLog(doc).delete(c.entries.hide);
        });
        // Every device's outgoing updates, delivered to the others in a shuffled order, until quiet.
        const outbox: { from: number; update: Uint8Array }[] = [];
        devices.forEach(({ doc }, from) =>
          doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'net' && outbox.push({ from, update })),
        );
        for (const { doc } of devices) Y.applyUpdate(doc, attack, 'net');
        for (let step = 0; outbox.length > 0; step += 1) {
          if (step > 500) throw new Error('the devices kept writing back');
          const { from, update } = outbox.splice((order[step % order.length] ?? 0) % outbox.length, 1)[0]!;
          devices.forEach(({ doc }, to) => to !== from && Y.applyUpdate(doc, update, 'net'));
        }
        const states = devices.map(({ doc }) => Y.encodeStateVector(doc).join(','));
        expect(new Set(states).size).toBe(1);
        for (const { doc } of devices) expect(await view(doc, c.communityId)).toEqual(expected);
        for (const { keeper } of devices) keeper.stop();
      }),
      { numRuns: 40 },
    );
  });
});
