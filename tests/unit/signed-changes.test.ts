// Signed changes between devices in one process: what a receiver applies, what it refuses and why,
// and how chains behave under gaps, replays and forks. The network and separate processes are
// tests/integration/hostile-member.test.ts; this is the pipeline itself.
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { joinCommunity, openCommunity } from '../../shared/community/lifecycle.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import { membershipLog } from '../../shared/community/log/entries.js';
import { generateIdentity } from '../../shared/identity/identity.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import { createThread, deletePost, editPost, postsMap, reply, toggleReaction } from '../../shared/threads/commands.js';
import { readThread } from '../../shared/threads/queries.js';
import { checkChangeRules } from '../../shared/sync/change-rules.js';
import { CLIENTS_KEY, verifiedAuthor } from '../../shared/sync/client-bindings.js';
import { changeHash, clientIdFor, decodeChange, newClientBinding, signChange, communityTag } from '../../shared/sync/signed-change.js';
import { fromBase64Url } from '../../shared/sync/bytes.js';
import { body, deliver, device, foundedCommunity, signedCommunity, type Device } from './signed-devices.js';

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

  it('judges only peers’ changes when one of its own is being signed as they arrive', async () => {
    const a = await device('communityone');
    const b = await device('communityone');
    b.doc.getText('scratch').insert(0, 'from b');
    // Hold the first hash b takes while signing (its new change's chain hash) until a's changes are in.
    const digest = crypto.subtle.digest.bind(crypto.subtle);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    const spy = vi.spyOn(crypto.subtle, 'digest').mockImplementationOnce(async (...args: Parameters<SubtleCrypto['digest']>) => {
      reached();
      await released;
      return digest(...args);
    });
    try {
      const signing = b.changes.flush();
      await held;
      await b.changes.receive(a.changes.missing(b.changes.heads()));
      release();
      await signing;
    } finally {
      spy.mockRestore();
    }
    // a's binding was applied; b's own change was neither judged nor counted as a peer's.
    expect(b.changes.counters()).toMatchObject({ signed: 2, applied: 1, refused: 0, waiting: 0 });
    await deliver(b, a);
    expect(a.doc.getText('scratch').toString()).toBe('from b');
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

  it('holds a knocking newcomer’s posts until they are admitted, then shows them', async () => {
    const { owner, member, communityId } = await signedCommunity();
    await writeMembershipChange(owner.doc, owner.identity, communityId, { kind: 'policy', subject: communityId, policy: 'knock' });
    const newcomer = await device(communityId);
    await deliver(owner, newcomer);
    await joinCommunity(newcomer.doc, newcomer.identity, { communityId, member: { id: newcomer.identity.memberId, displayName: 'Nia' } });
    const { post } = createThread(newcomer.doc, { title: 'Hello', body: body('Can I join?'), by: newcomer.identity.memberId });
    await deliver(newcomer, owner);
    expect(readThread(owner.doc, post.threadId)).toBeNull();
    expect(owner.changes.counters()).toMatchObject({ waiting: 1, refused: 0 });
    // The owner admits them on this device: the parked post counts now, with no further delivery.
    await writeMembershipChange(owner.doc, owner.identity, communityId, { kind: 'admit', subject: newcomer.identity.memberId });
    await expect.poll(() => readThread(owner.doc, post.threadId)?.posts[0]?.authorId).toBe(newcomer.identity.memberId);
    expect(owner.changes.counters().waiting).toBe(0);
    // And a member who meets only the owner gets it all, in order.
    await deliver(owner, member);
    expect(readThread(member.doc, post.threadId)?.posts[0]?.authorId).toBe(newcomer.identity.memberId);
  });

  it('refuses every change from a removed member’s device, wherever it falls in the chain, once each', async () => {
    const { owner, member, communityId } = await signedCommunity();
    await writeMembershipChange(owner.doc, owner.identity, communityId, { kind: 'remove', subject: member.identity.memberId });
    const before = member.sent.length;
    for (const text of ['one', 'two', 'three']) {
      member.doc.getText('scratch').insert(0, text);
      await member.changes.flush();
    }
    const late = member.sent.slice(before);
    await owner.changes.receive([late[2]!, late[0]!, late[1]!]);
    await owner.changes.receive(late);
    expect(owner.doc.getText('scratch').toString()).toBe('');
    expect(owner.changes.counters()).toMatchObject({ waiting: 0 });
    expect(owner.changes.counters().refusedBy.removed).toBe(3);
  });

  it('fills what the document’s own store lost from the copy of the signed changes it keeps', async () => {
    const store = new MemoryStore();
    const a = await device('communityone');
    const opened = await openCommunity({ store, communityId: 'communityone', device: await generateIdentity() });
    for (const word of ['seed ', 'swap ', 'saturday']) {
      a.doc.getText('scratch').insert(a.doc.getText('scratch').length, word);
      await deliver(a, { ...a, doc: opened.doc, changes: opened.changes! });
    }
    await opened.persisted.close();
    // The disk damages the row that holds the first word (its checksum no longer matches).
    const rows = (store as unknown as { rows: Map<string, { log: { update: Uint8Array }[] }> }).rows.get('communityone')!.log;
    const first = rows.findIndex((row) => new TextDecoder().decode(row.update).includes('seed'));
    rows[first]!.update[rows[first]!.update.length - 3]! ^= 0x20;
    const again = await openCommunity({ store, communityId: 'communityone', device: await generateIdentity() });
    expect(again.report.setAside).toBe(1);
    expect(again.repairedHere).toBe(true);
    expect(again.doc.getText('scratch').toString()).toBe('seed swap saturday');
  });

  it('lets members delete their own posts that others reacted to, and nothing else of others’ reactions', async () => {
    const { owner, member } = await signedCommunity();
    const mine = createThread(member.doc, { title: 'Mine', body: body('Hi'), by: member.identity.memberId });
    const other = reply(member.doc, mine.thread.id, { body: body('And more'), by: member.identity.memberId });
    await deliver(member, owner);
    toggleReaction(owner.doc, mine.post.id, '👍', { by: owner.identity.memberId });
    toggleReaction(owner.doc, other.id, '👍', { by: owner.identity.memberId });
    await deliver(owner, member);
    // Deleting a post clears its reactions, the owner's too, in the same change: that goes through.
    deletePost(member.doc, mine.post.id, { by: member.identity.memberId });
    await member.changes.flush();
    // Clearing the owner's reaction from a post that stays is not the author's to do.
    ((postsMap(member.doc).get(other.id) as Y.Map<unknown>).get('reactions') as Y.Map<unknown>).clear();
    await deliver(member, owner);
    expect(readThread(owner.doc, mine.thread.id)?.posts.map((post) => post.deletedAt !== null)).toEqual([true, false]);
    expect(readThread(owner.doc, mine.thread.id)?.posts[1]?.reactions).toEqual([{ emoji: '👍', memberIds: [owner.identity.memberId] }]);
    expect(owner.changes.counters().refusedBy).toEqual({ reaction: 1 });
  });

  it('takes a newcomer’s first post that was written in the same moment as their join', async () => {
    const { owner, communityId } = await foundedCommunity();
    const member = await device(communityId);
    await deliver(owner, member);
    // No flush between them: had the join and the post gone out as one change, the post would wait
    // for a join that can only land with it, and the member's whole chain would stall behind it.
    await joinCommunity(member.doc, member.identity, { communityId, member: { id: member.identity.memberId, displayName: 'Mina' } });
    const { thread } = createThread(member.doc, { title: 'Hello', body: body('Glad to be here'), by: member.identity.memberId });
    await deliver(member, owner);
    expect(readThread(owner.doc, thread.id)?.posts[0]?.body).toEqual(body('Glad to be here'));
    expect(owner.changes.counters()).toMatchObject({ refused: 0, waiting: 0 });
  });

  it('sends history from before signed changes as a baseline, which a newcomer takes from the owner and not from a member', async () => {
    const store = new MemoryStore();
    // A community written before signed changes: no change log, content under unbound client ids.
    const old = await openCommunity({ store, communityId: 'communityone' });
    old.doc.getText('scratch').insert(0, 'from before');
    await old.persisted.close();
    const upgraded = await openCommunity({ store, communityId: 'communityone', device: await generateIdentity() });
    const newcomer = await device('communityone');
    await newcomer.changes.receive(upgraded.changes!.missing(new Map()));
    expect(newcomer.doc.getText('scratch').toString()).toBe('from before');
    // Only the first session with signed changes sends one.
    await upgraded.persisted.close();
    const again = await openCommunity({ store, communityId: 'communityone', device: await generateIdentity() });
    expect(decodeChange(again.changes!.missing(new Map()).at(-1)!)!.baseline).toBe(false);
  });

  it('refuses a baseline from a plain member of a signed community, and one that claims a bound client id', async () => {
    const { owner, member } = await signedCommunity();
    const own = decodeChange(member.sent.at(-1)!)!;
    const forged = new Y.Doc();
    forged.getText('scratch').insert(0, 'rewritten history');
    const fromMember = await signChange(
      { ...own, seq: own.seq + 1, prev: await changeHash(own), update: Y.encodeStateAsUpdate(forged), baseline: true },
      member.identity.privateKey,
    );
    await owner.changes.receive([fromMember.bytes]);
    expect(owner.changes.counters().refusedBy).toEqual({ baseline: 1 });
    // The owner's own baseline may not speak for a bound client (the member's session).
    const ownerLast = decodeChange(
      owner.changes
        .missing(new Map())
        .filter((bytes) => decodeChange(bytes)!.client === owner.doc.clientID)
        .at(-1)!,
    )!;
    const underMember = new Y.Doc();
    underMember.clientID = member.doc.clientID;
    underMember.getText('scratch').insert(0, 'as the member');
    const third = await device(communityIdOf(owner));
    await third.changes.receive(owner.changes.missing(new Map()));
    const claim = await signChange(
      {
        ...ownerLast,
        seq: ownerLast.seq + 1,
        prev: await changeHash(ownerLast),
        update: Y.encodeStateAsUpdate(underMember),
        baseline: true,
      },
      owner.identity.privateKey,
    );
    await third.changes.receive([claim.bytes]);
    expect(third.doc.getText('scratch').toString()).toBe('');
    expect(third.changes.counters().refusedBy.client).toBe(1);
  });

  it('judges an update whose items chain through each other for thousands of steps (typing, merged)', async () => {
    const typed = new Y.Doc();
    typed.clientID = 4242;
    const updates: Uint8Array[] = [];
    typed.on('update', (update: Uint8Array) => updates.push(update));
    // One transaction a keystroke, each typed in front of the last: every item's right origin is the one before.
    for (let index = 0; index < 5_000; index += 1) typed.getText('scratch').insert(0, 'x');
    typed.getMap('settings').set('theme', 'light');
    for (let index = 0; index < 500; index += 1) typed.getMap('settings').set('theme', index % 2 ? 'dark' : 'light');
    const verdict = checkChangeRules(
      new Y.Doc(),
      Y.mergeUpdates(updates),
      {
        memberId: 'aaaaaaaaaaaaaaaa',
        standing: 'member',
        moderator: false,
        client: 4242,
        binding: { device: 'x', member: 'aaaaaaaaaaaaaaaa', nonce: 'y' },
      },
      { signed: false, memberOfClient: () => null },
    );
    expect(verdict).toEqual({ kind: 'ok', touchesLog: false });
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
