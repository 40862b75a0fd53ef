// Who may do what in a community right now (shared/community/access.ts), and the log entries behind
// it: a waiting newcomer taking back their knock, a facilitator declining one, leaving and joining
// again with a new invite.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCommunity } from '../../shared/community/commands.js';
import { conductHash, memberAccess } from '../../shared/community/access.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeFounding, writeJoin, writeMembershipChange } from '../../shared/community/log/write.js';
import { generateIdentity, type Identity } from '../../shared/identity/identity.js';

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
  await writeFounding(doc, owner, communityId, nonce, 100);
  return { doc, communityId, owner };
}

const knock = (w: { communityId: string }) => ({ kind: 'policy' as const, subject: w.communityId, policy: 'knock' as const });

describe('conductHash', () => {
  it('is the SHA-256 of the text in base64url, and changes with any edit', async () => {
    // The FIPS 180-2 test vector for "abc".
    expect(await conductHash('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(await conductHash('Be kind.')).not.toBe(await conductHash('Be kind. '));
    expect(await conductHash('Soyez gentils — merci ✨')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('memberAccess', () => {
  it('follows a newcomer from knocking to admitted to accepting the code of conduct', async () => {
    const w = await founded();
    const newcomer = await generateIdentity();
    const current = await conductHash('Be kind, be specific.');
    await writeMembershipChange(w.doc, w.owner, w.communityId, knock(w), 200);
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, current)).toEqual({ kind: 'unknown' });

    await writeJoin(w.doc, newcomer, w.communityId, 300);
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, current)).toEqual({ kind: 'waiting', since: 300 });

    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'admit', subject: newcomer.memberId }, 400);
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, current)).toEqual({ kind: 'needs-conduct' });
    // Without a code of conduct there is nothing to accept.
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, null)).toEqual({ kind: 'member' });

    await writeMembershipChange(w.doc, newcomer, w.communityId, { kind: 'conduct', subject: newcomer.memberId, conductHash: current }, 500);
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, current)).toEqual({ kind: 'member' });
    // The text changed: accepting the old one no longer counts.
    expect(memberAccess(await readMembership(w.doc, w.communityId), newcomer.memberId, await conductHash('Be kind.'))).toEqual({
      kind: 'needs-conduct',
    });
  });

  it('lets members of a community made before signed roles take part, and keeps a removed member outside', async () => {
    const legacy = new Y.Doc();
    createCommunity(legacy, {
      id: 'legacy0000000000',
      name: 'Old',
      purpose: '',
      kind: 'coaching',
      founder: { id: 'founder000000000', displayName: 'Fay' },
      now: 1,
    });
    const unsigned = await readMembership(legacy, 'legacy0000000000');
    expect(memberAccess(unsigned, 'founder000000000', await conductHash('Anything'))).toEqual({ kind: 'member' });

    const w = await founded();
    const alice = await generateIdentity();
    await writeJoin(w.doc, alice, w.communityId, 200);
    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'remove', subject: alice.memberId }, 300);
    expect(memberAccess(await readMembership(w.doc, w.communityId), alice.memberId, null)).toEqual({ kind: 'outside' });
  });
});

describe('leaving and declining', () => {
  it('a waiting newcomer can take back their knock; a plain member cannot make someone leave', async () => {
    const w = await founded();
    const [alice, newcomer] = await Promise.all([generateIdentity(), generateIdentity()]);
    await writeJoin(w.doc, alice, w.communityId, 150);
    await writeMembershipChange(w.doc, w.owner, w.communityId, knock(w), 200);
    await writeJoin(w.doc, newcomer, w.communityId, 300);
    await writeMembershipChange(w.doc, alice, w.communityId, { kind: 'leave', subject: newcomer.memberId }, 350);
    await writeMembershipChange(w.doc, newcomer, w.communityId, { kind: 'leave', subject: newcomer.memberId }, 400);
    const membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.size).toBe(0);
    expect(membership.roles.has(newcomer.memberId)).toBe(false);
    expect(membership.removed.has(newcomer.memberId)).toBe(false);
    expect(membership.audit.map((entry) => [entry.kind, entry.subject])).toEqual([
      ['policy', w.communityId],
      ['leave', newcomer.memberId],
    ]);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual(['only a member can say they leave']);
  });

  it('a facilitator declines a knock: the newcomer is turned away and cannot knock again by themself', async () => {
    const w = await founded();
    const [facilitator, newcomer, plain] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
    await writeJoin(w.doc, facilitator, w.communityId, 110);
    await writeJoin(w.doc, plain, w.communityId, 120);
    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'role', subject: facilitator.memberId, role: 'facilitator' }, 130);
    await writeMembershipChange(w.doc, w.owner, w.communityId, knock(w), 200);
    await writeJoin(w.doc, newcomer, w.communityId, 300);
    await writeMembershipChange(w.doc, plain, w.communityId, { kind: 'remove', subject: newcomer.memberId }, 350);
    let membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.has(newcomer.memberId)).toBe(true);

    await writeMembershipChange(w.doc, facilitator, w.communityId, { kind: 'remove', subject: newcomer.memberId }, 400);
    // Their app leaves and joins again (a new invite): both are refused.
    await writeMembershipChange(w.doc, newcomer, w.communityId, { kind: 'leave', subject: newcomer.memberId }, 450);
    await writeJoin(w.doc, newcomer, w.communityId, 500);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.has(newcomer.memberId)).toBe(false);
    expect(membership.roles.has(newcomer.memberId)).toBe(false);
    expect(membership.removed.has(newcomer.memberId)).toBe(true);
    expect(membership.audit.map((entry) => entry.kind)).toEqual(['role', 'policy', 'decline']);
    expect(membership.rejected.map((entry) => entry.reason)).toEqual([
      'only owners and facilitators can remove members',
      'the signer is not a member at this point',
      'a removed member cannot join again on their own',
    ]);
  });

  it('a member who left joins again with a fresh join entry, and waits again when newcomers knock', async () => {
    const w = await founded();
    const alice = await generateIdentity();
    expect(await writeJoin(w.doc, alice, w.communityId, 200)).not.toBeNull();
    // A second join while the first stands writes nothing.
    expect(await writeJoin(w.doc, alice, w.communityId, 250)).toBeNull();
    await writeMembershipChange(w.doc, w.owner, w.communityId, knock(w), 260);
    await writeMembershipChange(w.doc, alice, w.communityId, { kind: 'leave', subject: alice.memberId }, 300);
    let membership = await readMembership(w.doc, w.communityId);
    expect(membership.roles.has(alice.memberId)).toBe(false);
    expect(membership.audit.map((entry) => [entry.kind, entry.by])).toEqual([
      ['policy', w.owner.memberId],
      ['leave', alice.memberId],
    ]);

    // This device's clock is behind the one that wrote the leave: the join is still dated after it.
    const again = await writeJoin(w.doc, alice, w.communityId, 120);
    expect(again?.kind).toBe('join');
    expect(again?.at).toBe(301);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.waiting.get(alice.memberId)).toBe(301);
    expect(membership.roles.has(alice.memberId)).toBe(false);
    await writeMembershipChange(w.doc, w.owner, w.communityId, { kind: 'admit', subject: alice.memberId }, 400);
    membership = await readMembership(w.doc, w.communityId);
    expect(membership.roles.get(alice.memberId)).toBe('member');
    expect(membership.rejected).toEqual([]);
  });
});
