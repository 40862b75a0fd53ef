// "Same person, second device", with each device its own process over real WebRTC on loopback: the
// first device shows a one-time code, the new device types it, and from then on the new device signs
// as the same member: an owner's action it signs is accepted by another member's app.
import { describe, expect, it } from 'vitest';
import { foundingId } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { toBase64Url } from '../../shared/sync/bytes.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { Peer, peerMember, useSignaling, type Community } from './peers.js';

const signaling = useSignaling();

async function memberConfig(): Promise<{ memberId: string; config: Record<string, unknown>; identity: Identity }> {
  const { identity, config } = await peerMember();
  return { memberId: identity.memberId, identity, config };
}

async function membership(peer: Peer): Promise<{ roles: Record<string, string>; rejected: number }> {
  const reply = peer.waitFor((event) => event.event === 'membership');
  peer.send({ cmd: 'membership' });
  return (await reply) as never;
}

describe('linking a second device', () => {
  it('moves an identity to a second peer: the new device syncs the community and signs as the same member', async () => {
    const [olive, alice] = await Promise.all([memberConfig(), memberConfig()]);
    const { communityId, nonce } = await foundingId(olive.identity);
    const community: Community = { communityId, secret: toBase64Url(newCommunitySecret()) };
    const desktop = await Peer.start('Olive', community, [signaling.url], undefined, { config: { ...olive.config, nonce } });
    await desktop.run({ cmd: 'create', name: 'Kiln Collective' });
    const alicePeer = await Peer.start('Alice', community, [signaling.url], undefined, { config: alice.config });
    await alicePeer.until((snapshot) => snapshot.members.includes('Olive'));
    await alicePeer.run({ cmd: 'join' });

    // The desktop shows a code; the laptop (knowing nothing of the community) types it.
    const shown = desktop.waitFor((event) => event.event === 'link-code');
    desktop.send({ cmd: 'link-offer' });
    const code = (await shown).code as string;
    expect(code).toMatch(/^LINK-/);
    const nowhere: Community = { communityId: 'unused0000000000', secret: toBase64Url(newCommunitySecret()) };
    const laptop = await Peer.start('Olive laptop', nowhere, [signaling.url], undefined, { config: { linkCode: code.toLowerCase() } });
    const linked = await laptop.waitFor((event) => event.event === 'linked', 10_000, true);
    expect(linked).toMatchObject({ memberId: olive.memberId, communities: [communityId] });
    await desktop.waitFor((event) => event.event === 'link-done', 30_000, true);

    // The laptop has the community, and signs an owner's action that Alice's app accepts.
    await laptop.until((snapshot) => snapshot.members.includes('Alice'));
    await laptop.run({ cmd: 'role', memberId: alice.memberId, role: 'facilitator' });
    const deadline = Date.now() + 30_000;
    let seen = await membership(alicePeer);
    while (seen.roles[alice.memberId] !== 'facilitator' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      seen = await membership(alicePeer);
    }
    expect(seen.roles).toEqual({ [olive.memberId]: 'owner', [alice.memberId]: 'facilitator' });
    expect(seen.rejected).toBe(0);
    expect(laptop.events.some((event) => event.event === 'fatal' || event.event === 'crashed')).toBe(false);
  }, 120_000);
});
