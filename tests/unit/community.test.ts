import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCommunity, membersMap, metaMap, updateCommunityMeta, upsertMember } from '../../shared/community/commands.js';
import { readCommunity } from '../../shared/community/queries.js';
import { COMMUNITY_SCHEMA_VERSION } from '../../shared/community/schema.js';
import { CommandError, LOCAL_ORIGIN } from '../../shared/doc/records.js';

const founder = { id: 'founder00000001', displayName: 'Ada' };

function newCommunity(doc = new Y.Doc()) {
  createCommunity(doc, {
    name: '  Tuesday Mastermind ',
    purpose: 'Grow our businesses together',
    kind: 'mastermind',
    founder,
    now: 1_700_000_000_000,
    id: 'community0000001',
  });
  return doc;
}

/** Syncs every doc with every other, delivering updates in a shuffled order. */
function syncShuffled(docs: Y.Doc[], seed: number) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc));
  for (const doc of docs) {
    const order = updates.map((_, index) => index).sort(() => random() - 0.5);
    for (const index of order) Y.applyUpdate(doc, updates[index]!);
  }
}

describe('community commands and queries', () => {
  it('creates a community with its founder as owner, trimmed and validated', () => {
    const view = readCommunity(newCommunity());
    expect(view.problems).toEqual([]);
    expect(view.meta).toMatchObject({
      name: 'Tuesday Mastermind',
      purpose: 'Grow our businesses together',
      kind: 'mastermind',
      schemaVersion: COMMUNITY_SCHEMA_VERSION,
      createdBy: founder.id,
    });
    expect(view.members).toEqual([{ id: founder.id, displayName: 'Ada', role: 'owner', joinedAt: 1_700_000_000_000 }]);
  });

  it('runs each command in one transaction with the local origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    newCommunity(doc);
    upsertMember(doc, { id: 'member000000002', displayName: 'Grace' });
    expect(origins).toEqual([LOCAL_ORIGIN, LOCAL_ORIGIN]);
  });

  it('refuses bad input with a clear message and leaves the document untouched', () => {
    const doc = new Y.Doc();
    expect(() => createCommunity(doc, { name: '   ', purpose: '', kind: 'hobby', founder })).toThrow(/Give the community a name/);
    expect(() => createCommunity(doc, { name: 'x'.repeat(81), purpose: '', kind: 'hobby', founder })).toThrow(/under 80 characters/);
    expect(() => createCommunity(doc, { name: 'Club', purpose: '', kind: 'rave' as never, founder })).toThrow(CommandError);
    expect(metaMap(doc).size).toBe(0);
    newCommunity(doc);
    expect(() => newCommunity(doc)).toThrow(/already holds a community/);
    expect(() => updateCommunityMeta(doc, { name: '' })).toThrow(CommandError);
    expect(readCommunity(doc).meta?.name).toBe('Tuesday Mastermind');
  });

  it('keeps a member’s role and join date when they rename themselves', () => {
    const doc = newCommunity();
    upsertMember(doc, { id: founder.id, displayName: '  Ada L. ' });
    expect(readCommunity(doc).members[0]).toMatchObject({ displayName: 'Ada L.', role: 'owner', joinedAt: 1_700_000_000_000 });
  });

  it('skips and reports records of an unknown shape instead of crashing', () => {
    const doc = newCommunity();
    membersMap(doc).set('member000000002', { id: 'member000000002', displayName: 42, role: 'owner' });
    membersMap(doc).set('member000000003', 'not a record');
    membersMap(doc).set('member000000004', { id: 'someoneelse0000', displayName: 'Mallory', role: 'member', joinedAt: 1 });
    upsertMember(doc, { id: 'member000000005', displayName: 'Lin', now: 5 });
    const view = readCommunity(doc);
    expect(view.members.map((member) => member.displayName)).toEqual(['Ada', 'Lin']);
    expect(view.problems.map((problem) => problem.where).sort()).toEqual([
      'members.member000000002',
      'members.member000000003',
      'members.member000000004',
    ]);
  });

  it('reports damaged meta and a newer schema without throwing', () => {
    const doc = newCommunity();
    metaMap(doc).set('kind', { evil: true });
    metaMap(doc).set('schemaVersion', COMMUNITY_SCHEMA_VERSION + 1);
    const view = readCommunity(doc);
    expect(view.meta).toBeNull();
    expect(view.newerSchema).toBe(true);
    expect(view.problems[0]?.where).toBe('meta');
  });

  it('converges when members edit different fields and join at once, in any delivery order', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const origin = newCommunity();
      const peers = [0, 1, 2].map(() => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
        return doc;
      });
      updateCommunityMeta(peers[0]!, { name: 'Renamed circle' });
      updateCommunityMeta(peers[1]!, { purpose: 'A new purpose' });
      upsertMember(peers[1]!, { id: 'member000000002', displayName: 'Grace', now: 2 });
      upsertMember(peers[2]!, { id: 'member000000003', displayName: 'Linus', now: 3 });
      updateCommunityMeta(peers[2]!, { kind: 'coaching' });
      syncShuffled(peers, seed);
      const views = peers.map((doc) => readCommunity(doc));
      for (const view of views) expect(view).toEqual(views[0]);
      expect(views[0]!.meta).toMatchObject({ name: 'Renamed circle', purpose: 'A new purpose', kind: 'coaching' });
      expect(views[0]!.members.map((member) => member.displayName)).toEqual(['Ada', 'Grace', 'Linus']);
    }
  });
});
