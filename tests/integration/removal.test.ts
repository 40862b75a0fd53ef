// Removing a member for real, with each member its own process over real WebRTC on loopback: the
// remaining members move to a new key epoch and keep syncing; the removed member (running a modified
// app that ignores the rotation) receives nothing written after the removal, and what it writes is
// not accepted; what it can see of the new epoch's signaling does not decrypt with anything it holds;
// and an invite from before the removal no longer gets anyone in.
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { foundingId } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { exactBytes, fromBase64Url, toBase64Url } from '../../shared/sync/bytes.js';
import type { AgreementKeyPair } from '../../shared/sync/epochs.js';
import { deriveCommunityKeys, newCommunitySecret } from '../../shared/sync/keys.js';
import { Peer, eventually, peerMember, useSignaling, type Community, type PeerEvent } from './peers.js';

const signaling = useSignaling();

interface Member {
  readonly name: string;
  readonly identity: Identity;
  readonly agreement: AgreementKeyPair;
  readonly config: Record<string, unknown>;
}

async function member(name: string): Promise<Member> {
  return { name, ...(await peerMember()) };
}

async function membership(peer: Peer): Promise<{
  roles: Record<string, string>;
  removed: string[];
  epoch: number;
  rotations: number;
  rejected: number;
  access: PeerEvent | null;
}> {
  const reply = peer.waitFor((event) => event.event === 'membership');
  peer.send({ cmd: 'membership' });
  return (await reply) as never;
}

async function contains(peer: Peer, text: string): Promise<boolean> {
  const reply = peer.waitFor((event) => event.event === 'contains' && event.text === text);
  peer.send({ cmd: 'contains', text });
  return (await reply).found === true;
}

/** y-webrtc's signaling encryption (y-webrtc/src/crypto.js): PBKDF2 of the password, salted with the room. */
async function signalingKey(password: string, roomName: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: new TextEncoder().encode(roomName), iterations: 100_000, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

async function opens(key: CryptoKey, data: Uint8Array): Promise<boolean> {
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarString(decoder) !== 'AES-GCM') return false;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: exactBytes(iv) }, key, exactBytes(cipher));
    return true;
  } catch {
    return false;
  }
}

describe('removing a member rotates the community’s key', () => {
  it('the removed member gets nothing new and cannot write; the others converge on the new epoch; old invites stop working', async () => {
    const [olive, alice, bob, carol] = await Promise.all([member('Olive'), member('Alice'), member('Bob'), member('Carol')]);
    const { communityId, nonce } = await foundingId(olive.identity);
    const secret = newCommunitySecret();
    const community: Community = { communityId, secret: toBase64Url(secret) };

    const ownerPeer = await Peer.start('Olive', community, [signaling.url], undefined, { config: { ...olive.config, nonce } });
    await ownerPeer.run({ cmd: 'create', name: 'Pottery Circle' });
    const alicePeer = await Peer.start('Alice', community, [signaling.url], undefined, { config: alice.config });
    // Bob's app is modified: it ignores rotations and stays in the old room.
    const bobPeer = await Peer.start('Bob', community, [signaling.url], undefined, { config: { ...bob.config, ignoreRotations: true } });
    for (const peer of [alicePeer, bobPeer]) {
      await peer.until((snapshot) => snapshot.members.includes('Olive'));
      await peer.run({ cmd: 'join' });
    }
    await eventually(async () => Object.keys((await membership(ownerPeer)).roles).length === 3, 'the owner to see three members');
    ownerPeer.send({ cmd: 'type', text: 'before-removal ' });
    await eventually(() => contains(bobPeer, 'before-removal'), 'Bob to receive what was written before the removal');

    // ---------- the removal ----------
    await ownerPeer.run({ cmd: 'remove', memberId: bob.identity.memberId });
    const [ownerEpoch, aliceEpoch] = await Promise.all([
      ownerPeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 30_000),
      alicePeer.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 30_000),
    ]);
    expect(aliceEpoch.secret).toBe(ownerEpoch.secret);
    const newSecret = fromBase64Url(ownerEpoch.secret as string)!;
    expect(toBase64Url(newSecret)).not.toBe(community.secret);

    ownerPeer.send({ cmd: 'type', text: 'after-removal-from-olive ' });
    alicePeer.send({ cmd: 'type', text: 'after-removal-from-alice ' });
    await eventually(() => contains(alicePeer, 'after-removal-from-olive'), 'Alice to receive Olive’s text in the new epoch');
    await eventually(() => contains(ownerPeer, 'after-removal-from-alice'), 'Olive to receive Alice’s text in the new epoch');
    const aliceView = await membership(alicePeer);
    expect(aliceView.epoch).toBe(1);
    expect(aliceView.removed).toEqual([bob.identity.memberId]);
    expect(aliceView.rejected).toBe(0);

    // Bob writes after the removal, in the room he still knows.
    bobPeer.send({ cmd: 'type', text: 'bob-after-removal ' });
    // Bob learns of the removal (the beacon in the old room), but nothing written since.
    await eventually(
      async () => (await membership(bobPeer)).removed.includes(bob.identity.memberId),
      'Bob to see the removal entry through the beacon',
    );

    // ---------- what the removed member can see of the new epoch ----------
    // Suppose the signaling server tells Bob the new room's (public) name: he subscribes to it and
    // records everything published there while Alice reconnects.
    const oldKeys = await deriveCommunityKeys(secret, communityId, 0);
    const newKeys = await deriveCommunityKeys(newSecret, communityId, 1);
    const seen: Uint8Array[] = [];
    const spy = new WebSocket(signaling.url);
    await new Promise((resolve, reject) => {
      spy.once('open', resolve);
      spy.once('error', reject);
    });
    spy.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type?: string; topic?: string; data?: string };
      if (message.type === 'publish' && message.topic === newKeys.roomName && typeof message.data === 'string')
        seen.push(new Uint8Array(Buffer.from(message.data, 'base64')));
    });
    spy.send(JSON.stringify({ type: 'subscribe', topics: [newKeys.roomName] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await alicePeer.run({ cmd: 'pause' });
    await alicePeer.run({ cmd: 'resume' });
    alicePeer.send({ cmd: 'type', text: 'after-reconnect ' });
    await eventually(() => contains(ownerPeer, 'after-reconnect'), 'Olive and Alice to reconnect in the new epoch');
    await eventually(async () => seen.length >= 2, 'signaling messages in the new room');
    spy.close();
    const withOldPassword = await signalingKey(oldKeys.signalingPassword, newKeys.roomName);
    const withNewPassword = await signalingKey(newKeys.signalingPassword, newKeys.roomName);
    for (const bytes of seen) {
      expect(await opens(withOldPassword, bytes)).toBe(false);
      expect(Buffer.from(bytes).includes('after-removal')).toBe(false);
    }
    // The same messages do open with the new epoch's password: the check above can fail.
    expect((await Promise.all(seen.map((bytes) => opens(withNewPassword, bytes)))).some(Boolean)).toBe(true);

    // ---------- an invite from before the removal ----------
    const carolPeer = await Peer.start('Carol', community, [signaling.url], undefined, { config: carol.config });
    await carolPeer.until((snapshot) => snapshot.members.includes('Olive'));
    await carolPeer.run({ cmd: 'join' });
    const carolAccess = await carolPeer.waitFor((event) => event.event === 'access' && event.kind === 'excluded', 30_000, true);
    expect(carolAccess).toMatchObject({ epoch: 1, removed: false });

    // ---------- after all that ----------
    expect(await contains(bobPeer, 'after-removal-from-olive')).toBe(false);
    expect(await contains(bobPeer, 'after-removal-from-alice')).toBe(false);
    expect(await contains(bobPeer, 'after-reconnect')).toBe(false);
    for (const peer of [ownerPeer, alicePeer]) expect(await contains(peer, 'bob-after-removal')).toBe(false);
    expect(Object.keys((await membership(ownerPeer)).roles).sort()).toEqual([olive.identity.memberId, alice.identity.memberId].sort());
  }, 170_000);
});
