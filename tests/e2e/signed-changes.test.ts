// Every edit travels as a signed change, and the owner's app judges each one before it touches the
// document. A hostile member runs as her own process (the headless peer: real keys, the community's
// secret from the owner's own invite, real WebRTC with the Chromium members inside the tests' network
// namespace) and signs what an honest app never would: a thread under the owner's name, and — once the
// owner removed another member — the deletion of that removal from the membership log. The owner's
// app never shows the forged thread, keeps the removal, and says what it refused: in the sync details
// and in the moderation log.
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../shared/sync/bytes.js';
import { parseInvite } from '../../shared/sync/invite.js';
import { Peer, eventually, peerMember, stopAllPeers } from '../integration/peers.js';
import { CHROMIUM_PATH, Member, useBrowserMode } from './harness.js';
import { testNetwork } from './network-namespace.js';

const app = useBrowserMode();
afterAll(() => stopAllPeers());

const membersOf = (member: Member) => member.page.getByRole('list', { name: 'Members' }).textContent();
const moderationLog = (member: Member) => member.page.getByRole('list', { name: 'Moderation log' }).textContent();

interface MembershipView {
  readonly roles: Record<string, string>;
  readonly removed: string[];
  readonly epoch: number;
  readonly audit: { id: string; kind: string; subject: string; at: number }[];
}

const membership = async (peer: Peer) => (await peer.ask({ cmd: 'membership' }, 'membership')) as unknown as MembershipView;

/** The sync details' text, read with the dialog open and closed again. */
async function syncDetails(member: Member): Promise<string> {
  await member.page.getByRole('button', { name: /^Sync:/ }).click();
  const details = member.page.getByRole('dialog', { name: 'Sync' });
  const text = (await details.textContent()) ?? '';
  await details.getByRole('button', { name: 'Done' }).click();
  await details.waitFor({ state: 'hidden' });
  return text;
}

describe('signed changes, with a hostile member as her own process', () => {
  it('the owner’s app refuses a post under the owner’s name and the deletion of a removal, and says so', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Kiln Collective', purpose: 'Potters sharing a studio.', kind: 'Hobby club' });
    const code = await maya.inviteCode();
    const kim = await Member.arrive(app.browser, app.host.url);
    await kim.chooseName('Kim Tran');
    await kim.joinWith(code, 'Kiln Collective');

    // ---------- Mallory joins from her own process, with the invite Maya gave out ----------
    const parsed = await parseInvite(code);
    if (!parsed.ok) throw new Error(parsed.error);
    const { invite } = parsed;
    // The app's own signaling, on the browser-mode host (the invite names it too).
    const signaling = invite.signalingHints.length > 0 ? [...invite.signalingHints] : [`${app.host.url.replace(/^http/, 'ws')}signal`];
    const network = testNetwork(CHROMIUM_PATH);
    const mallory = await Peer.start(
      'Mallory',
      { communityId: invite.communityId, secret: toBase64Url(invite.secret) },
      signaling,
      undefined,
      {
        config: { ...(await peerMember()).config, displayName: 'Mallory Reyes', ...(invite.epoch ? { epoch: invite.epoch } : {}) },
        // Inside the namespace with the host and Chromium, on its interface: Chromium's WebRTC is not on loopback.
        ...(network ? { wrap: network.wrap } : {}),
        loopbackOnly: false,
      },
    );
    await mallory.until((snapshot) => snapshot.members.includes('Maya Okafor'), 60_000);
    await mallory.run({ cmd: 'join' });
    await expect.poll(() => membersOf(maya), { timeout: 60_000 }).toMatch(/Kim Tran[\s\S]*Mallory Reyes|Mallory Reyes[\s\S]*Kim Tran/);
    const owner = Object.entries((await membership(mallory)).roles).find(([, role]) => role === 'owner')![0];

    // ---------- a thread under Maya's name, then one of her own ----------
    await mallory.ask({ cmd: 'post', title: 'Studio closed for good', text: 'Please stop coming in.', as: owner }, 'posted');
    await mallory.ask({ cmd: 'post', title: 'Who has celadon?', text: 'I am out of it.' }, 'posted');
    await maya.openSection('Threads');
    // Her own arrives (signed after the forged one, so that was judged before it) …
    const threads = maya.page.getByRole('list', { name: 'Threads' });
    await expect.poll(() => threads.textContent(), { timeout: 60_000 }).toContain('Who has celadon?');
    // … and the forged one never shows.
    expect(await threads.textContent()).not.toContain('Studio closed for good');
    await maya.page.getByText('Who has celadon?').first().click();
    await expect.poll(() => maya.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 }).toContain('Mallory Reyes');
    await maya.page.getByRole('button', { name: /^Sync:/ }).click();
    const details = maya.page.getByRole('dialog', { name: 'Sync' });
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain('1 refused: 1 put a post under someone else’s name');
    expect(await details.textContent()).toMatch(/Signed changes from members’ devices\d+ applied/);
    await maya.screenshot('signed-changes-sync-details.png');
    await details.getByRole('button', { name: 'Done' }).click();
    await maya.openSection('Home');
    await expect
      .poll(() => moderationLog(maya), { timeout: 10_000 })
      .toMatch(/A change from Mallory Reyes that put a post under someone else’s name was refused/);

    // ---------- Maya removes Kim; Mallory, still a member, deletes the removal ----------
    await maya.page.getByRole('button', { name: 'Actions for Kim Tran' }).click();
    await maya.page.getByRole('menuitem', { name: 'Remove from community' }).click();
    await maya.page.getByRole('dialog', { name: 'Remove Kim Tran from the community?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => membersOf(maya), { timeout: 10_000 }).not.toContain('Kim Tran');
    // Mallory's app follows the rotation into the new key's room, where Maya is.
    await mallory.waitFor((event) => event.event === 'epoch' && event.epoch === 1, 60_000, true);
    await eventually(async () => (await membership(mallory)).removed.length === 1, 'Mallory to see the removal');
    // And meets Maya there (Kim's device is left in the old room).
    await eventually(
      async () => ((await mallory.ask({ cmd: 'status' }, 'status')).syncedPeers as number) >= 1,
      'Mallory to sync with Maya in the new room',
    );
    const removal = (await membership(mallory)).audit.find((entry) => entry.kind === 'remove')!;
    const deleted = await mallory.ask({ cmd: 'delete-entry', log: 'membership', entryId: removal.id }, 'deleted');
    expect(deleted.found).toBe(true);

    // Maya's app refuses it, says so in the moderation log, and Kim stays removed.
    await expect
      .poll(() => moderationLog(maya), { timeout: 60_000 })
      .toMatch(/A change from Mallory Reyes that deleted a membership or moderation log entry was refused/);
    expect(await moderationLog(maya)).toMatch(/Maya Okafor removed Kim Tran/);
    expect(await membersOf(maya)).not.toContain('Kim Tran');
    expect(await membersOf(maya)).toContain('Mallory Reyes');
    // A change from Mallory after the refused one still arrives: her chain goes on, only the deletion was kept out.
    await mallory.ask({ cmd: 'post', title: 'Kiln schedule', text: 'Thursday firing is on.' }, 'posted');
    await maya.openSection('Threads');
    await expect.poll(() => threads.textContent(), { timeout: 60_000 }).toContain('Kiln schedule');
    await maya.openSection('Home');
    expect(await syncDetails(maya)).toContain('2 refused: 1 deleted a log entry, 1 put a post under someone else’s name');
    await maya.page.getByRole('list', { name: 'Moderation log' }).scrollIntoViewIfNeeded();
    await maya.screenshot('signed-changes-moderation-log.png');
    // Her own copy keeps the removal too: her app's log keeper wrote the entry back at once.
    const hers = await membership(mallory);
    expect(hers.audit.map((entry) => entry.id)).toContain(removal.id);
    expect(hers.removed).toEqual([removal.subject]);
  }, 300_000);
});
