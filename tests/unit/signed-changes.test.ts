// Signed changes between devices in one process: what a receiver applies, what it refuses and why,
// and how chains behave under gaps, replays and forks. The network and separate processes are
// tests/integration/hostile-member.test.ts; this is the pipeline itself.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { membershipLog } from '../../shared/community/log/entries.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import { generateIdentity } from '../../shared/identity/identity.js';
import { createThread, editPost, postsMap } from '../../shared/threads/commands.js';
import { readThread } from '../../shared/threads/queries.js';
import { CLIENTS_KEY, verifiedAuthor } from '../../shared/sync/client-bindings.js';
import { clientIdFor, decodeChange, newClientBinding, signChange, communityTag } from '../../shared/sync/signed-change.js';
import { fromBase64Url } from '../../shared/sync/bytes.js';
import { body, deliver, device, signedCommunity, type Device } from './signed-devices.js';

const communityIdOf = (device: Device) => device.doc.getMap('meta').get('id') as string;

describe('signed changes', () => {
  it('carries edits between devices and binds each session to its device', async () => {
    const a = await device('communityone');
    const b = await device('communityone');
    a.doc.getText('scratch').insert(0, 'hello');
    await deliver(a, b);
    expect(b.doc.getText('scratch').toString()).toBe('hello');
    const binding = b.doc.getMap(CLIENTS_KEY).get(String(a.doc.clientID)) as { device: string; nonce: string };
    expect(binding.device).toBe(a.identity.publicKey);
    expect(await clientIdFor(fromBase64Url(binding.device)!, fromBase64Url(binding.nonce)!)).toBe(a.doc.clientID);
    expect(b.changes.counters()).toMatchObject({ applied: 2, refused: 0 });
  });

  it('applies a chain delivered out of order once the gap fills, and counts replays and forks', async () => {
    const a = await device('communityone');
    const b = await device('communityone');
    for (const letter of ['x', 'y', 'z']) {
      a.doc.getText('scratch').insert(0, letter);
      await a.changes.flush();
    }
    const [binding, ...edits] = a.sent;
    await b.changes.receive([edits[2]!, edits[1]!]);
    expect(b.doc.getText('scratch').toString()).toBe('');
    await b.changes.receive([binding!, edits[0]!]);
    expect(b.doc.getText('scratch').toString()).toBe('zyx');
    await b.changes.receive([edits[1]!]);
    expect(b.changes.counters().duplicates).toBe(1);
    // Another change at seq 1 of a's chain, properly signed by a: a fork, dropped.
    const first = decodeChange(edits[0]!)!;
    const fork = await signChange({ ...first, update: Y.encodeStateAsUpdate(new Y.Doc()) }, a.identity.privateKey);
    await b.changes.receive([fork.bytes]);
    expect(b.changes.counters().forks).toBe(1);
    expect(b.doc.getText('scratch').toString()).toBe('zyx');
  });

  it('refuses a change with a bad signature, for another community, or under a client id its key does not derive', async () => {
    const a = await device('communityone');
    const b = await device('communityone');
    await deliver(a, b);
    const mallory = await generateIdentity();
    const victimClient = a.doc.clientID;
    const forged = new Y.Doc();
    forged.clientID = victimClient;
    forged.getText('scratch').insert(0, 'forged');
    const base = decodeChange(a.sent[0]!)!;
    // Mallory signs a change at the next place in a's chain, under a's client id and nonce.
    const underVictim = await signChange(
      {
        ...base,
        seq: 1,
        prev: await import('../../shared/sync/signed-change.js').then((m) => m.changeHash(base)),
        device: mallory.publicKey,
        update: Y.encodeStateAsUpdate(forged),
      },
      mallory.privateKey,
    );
    await b.changes.receive([underVictim.bytes]);
    // Structs under a client id that is not the change's own.
    const own = await newClientBinding(mallory.publicKey);
    const mixed = await signChange(
      {
        epoch: 0,
        client: own.client,
        seq: 0,
        at: Date.now(),
        device: mallory.publicKey,
        nonce: own.nonce,
        prev: null,
        community: base.community,
        update: Y.encodeStateAsUpdate(forged),
      },
      mallory.privateKey,
    );
    await b.changes.receive([mixed.bytes]);
    const elsewhere = await signChange(
      { ...decodeChange(mixed.bytes)!, community: await communityTag('communitytwo') },
      mallory.privateKey,
    );
    await b.changes.receive([elsewhere.bytes]);
    const tampered = mixed.bytes.slice();
    tampered[tampered.byteLength - 1]! ^= 1;
    const other = await newClientBinding(mallory.publicKey);
    const retagged = await signChange(
      { ...decodeChange(mixed.bytes)!, client: other.client, nonce: other.nonce, update: new Uint8Array([0, 0]) },
      mallory.privateKey,
    );
    const badSignature = retagged.bytes.slice();
    badSignature[badSignature.byteLength - 1]! ^= 1;
    await b.changes.receive([badSignature]);
    // a's own key, at the next place in its chain, naming a predecessor that is not its last change.
    const unlinked = await signChange(
      { ...base, seq: 1, prev: new Uint8Array(32).fill(7), update: Y.encodeStateAsUpdate(new Y.Doc()) },
      a.identity.privateKey,
    );
    await b.changes.receive([unlinked.bytes]);
    expect(b.doc.getText('scratch').toString()).toBe('');
    expect(b.changes.counters().refusedBy).toMatchObject({ prev: 1, client: 2, community: 1, signature: 1 });
  });

  it('keeps the membership log append-only and posts their author’s', async () => {
    const { owner, member } = await signedCommunity();
    const { post } = createThread(owner.doc, { title: 'Welcome', body: body('Hello all'), by: owner.identity.memberId });
    await deliver(owner, member);
    // The member rewrites the owner's post and deletes a log entry, each in its own change.
    (postsMap(member.doc).get(post.id) as Y.Map<unknown>).set('body', body('Rewritten'));
    await member.changes.flush();
    const founding = [...membershipLog(member.doc).keys()][0]!;
    membershipLog(member.doc).delete(founding);
    await member.changes.flush();
    // And posts under the owner's name.
    createThread(member.doc, { title: 'Forged', body: body('I am the owner'), by: owner.identity.memberId });
    await deliver(member, owner);
    expect(readThread(owner.doc, post.threadId)?.posts[0]?.body).toEqual(body('Hello all'));
    expect(membershipLog(owner.doc).has(founding)).toBe(true);
    expect(owner.changes.counters().refusedBy).toMatchObject({ post: 1, 'log-delete': 1, 'post-author': 1 });
    // The member's own post goes through, and its author is who signed it.
    const own = createThread(member.doc, { title: 'Mine', body: body('Hi'), by: member.identity.memberId });
    await deliver(member, owner);
    expect(verifiedAuthor(owner.doc, postsMap(owner.doc), own.post.id)).toBe(member.identity.memberId);
    editPost(owner.doc, post.id, body('Edited by its author'), { by: owner.identity.memberId });
    // A third device that meets only the owner gets the member's whole chain from it (refused changes
    // travel, so the chain has no hole) and judges it the same way.
    const newcomer = await device(communityIdOf(owner));
    await deliver(owner, newcomer);
    expect(readThread(newcomer.doc, post.threadId)?.posts[0]?.body).toEqual(body('Edited by its author'));
    expect(readThread(newcomer.doc, own.post.threadId)?.posts[0]?.authorId).toBe(member.identity.memberId);
    expect(membershipLog(newcomer.doc).has(founding)).toBe(true);
    expect(newcomer.changes.counters().refusedBy).toMatchObject({ post: 1, 'log-delete': 1, 'post-author': 1 });
  });
});

describe('log entries from an epoch beacon', () => {
  it('become this device’s own signed writes, so a later deletion of them is judged (and refused) everywhere', async () => {
    // Of two copies at one key, Yjs keeps the one with the larger client id: the beacon's copy loses
    // (client 1) or wins (the largest id). Client ids of the devices are random: a few rounds each.
    for (let round = 0; round < 6; round += 1) {
      const beaconClient = round % 2 === 0 ? 1 : 2 ** 32 - 2;
      const { owner, member, communityId } = await signedCommunity();
      // The owner writes an entry; a beacon (a throwaway doc in the old room) carries a copy of it to
      // the member before the owner's own change does: the beacon's structs are its own client's.
      const entry = await writeMembershipChange(owner.doc, owner.identity, communityId, {
        kind: 'policy',
        subject: communityId,
        policy: 'knock',
      });
      const beacon = new Y.Doc();
      beacon.clientID = beaconClient;
      membershipLog(beacon).set(entry.id, membershipLog(owner.doc).get(entry.id));
      // A second member's beacon in the same room: the two sync, and each keeps one of the two copies
      // (the state it then sends carries the deletion of the other).
      const other = new Y.Doc();
      membershipLog(other).set(entry.id, membershipLog(owner.doc).get(entry.id));
      Y.applyUpdate(beacon, Y.encodeStateAsUpdate(other));
      expect(Y.decodeUpdate(Y.encodeStateAsUpdate(beacon)).ds.clients.size).toBe(1);
      await member.changes.acceptPlainLog(Y.encodeStateAsUpdate(beacon));
      expect(member.changes.counters().refused).toBe(0);
      await member.changes.flush();
      await deliver(owner, member);
      expect(membershipLog(member.doc).get(entry.id)).toEqual(membershipLog(owner.doc).get(entry.id));
      // The member's device deletes the entry (its keeper writes it back in the same change).
      membershipLog(member.doc).delete(entry.id);
      await deliver(member, owner);
      expect(owner.changes.counters(), String(beaconClient)).toMatchObject({ waiting: 0, refusedBy: { 'log-delete': 1 } });
      expect(membershipLog(owner.doc).get(entry.id)).toEqual(entry);
    }
  });
});
