// A plain member forges a moderation entry into their own stored copy of the community (signed with
// their own key): nobody's app applies it, and with signed changes it never even leaves their device
// (a hostile member whose forgeries are signed changes is tests/e2e/signed-changes.test.ts). Then the owner
// removes that member for real: the key rotates, the removed member is told, and what the others
// write from then on never reaches them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Member, appendStoredUpdate, useBrowserMode } from './harness.js';

const app = useBrowserMode();

const posts = (member: Member) => member.page.getByRole('list', { name: 'Posts' });

async function openThread(member: Member, title: string): Promise<void> {
  await member.openSection('Threads');
  await expect.poll(() => member.page.getByText(title).first().isVisible(), { timeout: 30_000 }).toBe(true);
  await member.page.getByText(title).first().click();
}

/**
 * In the member's own page: signs a `hide` entry with their own (non-extractable) key, the way a
 * modified app would, and appends it to their local update log as a Yjs update built in Node.
 */
async function forgeHide(member: Member, communityId: string, postId: string, threadId: string): Promise<void> {
  const entry = await member.page.evaluate(
    async ({ communityId, postId, threadId }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(new Error('no database'));
      });
      const identity = await new Promise<{ memberId: string; privateKey: CryptoKey }>((resolve) => {
        const request = db.transaction('settings').objectStore('settings').get('identity');
        request.onsuccess = () => resolve((request.result as { value: { memberId: string; privateKey: CryptoKey } }).value);
      });
      db.close();
      const canonical = (value: unknown): string =>
        value !== null && typeof value === 'object'
          ? `{${Object.keys(value)
              .sort()
              .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
              .join(',')}}`
          : JSON.stringify(value);
      const unsigned = {
        v: 1,
        id: 'forgedhide000001',
        community: communityId,
        kind: 'hide',
        subject: postId,
        threadId,
        by: identity.memberId,
        at: Date.now(),
      };
      const signature = new Uint8Array(
        await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.privateKey, new TextEncoder().encode(canonical(unsigned))),
      );
      const base64url = btoa(String.fromCharCode(...signature))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      return { ...unsigned, signature: base64url };
    },
    { communityId, postId, threadId },
  );
  const forged = new Y.Doc();
  forged.getMap('moderationLog').set(entry.id, entry);
  await appendStoredUpdate(member, communityId, Y.encodeStateAsUpdateV2(forged));
}

describe('a forged moderation entry, and removing a member', () => {
  it('a plain member’s forged hide has no effect; after removal the member is told and receives nothing new', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Kiln Collective', purpose: 'Potters sharing a studio.', kind: 'Hobby club' });
    const code = await maya.inviteCode();
    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await jon.joinWith(code, 'Kiln Collective');
    const priya = await Member.arrive(app.browser, app.host.url);
    await priya.chooseName('Priya Shah');
    await priya.joinWith(code, 'Kiln Collective');
    const membersOf = (member: Member) => member.page.getByRole('list', { name: 'Members' }).textContent();
    await expect.poll(() => membersOf(maya), { timeout: 30_000 }).toMatch(/Jon Bell[\s\S]*Priya Shah|Priya Shah[\s\S]*Jon Bell/);

    await maya.startThread('Glaze firing schedule', 'Cone 6 on Thursdays, cone 10 once a month.');
    await maya.page.getByText('Glaze firing schedule').first().click();
    await expect.poll(() => posts(maya).textContent(), { timeout: 10_000 }).toContain('Cone 6 on Thursdays');

    // ---------- Priya forges a hide of Maya's post in her own copy ----------
    await openThread(priya, 'Glaze firing schedule');
    await expect.poll(() => posts(priya).textContent(), { timeout: 30_000 }).toContain('Cone 6 on Thursdays');
    const postId = await posts(priya).locator('li[data-post-id]').first().getAttribute('data-post-id');
    const communityId = /#\/c\/([^/?]+)/.exec(priya.page.url())?.[1];
    expect(postId).toBeTruthy();
    expect(communityId).toBeTruthy();
    await forgeHide(priya, communityId!, postId!, '0000000000000000');
    await priya.page.reload();
    await priya.expectCommunityHome('Kiln Collective');
    // Priya's own app replays the entry and ignores it (a plain member cannot hide): counted there. It
    // never leaves her device: a stored row nobody signed is no change any member takes. The post
    // stays visible everywhere.
    await priya.openSection('Home');
    await expect.poll(() => priya.page.getByText(/entr(y was|ies were) ignored/).isVisible(), { timeout: 30_000 }).toBe(true);
    await openThread(priya, 'Glaze firing schedule');
    expect(await posts(priya).textContent()).toContain('Cone 6 on Thursdays');
    expect(await posts(priya).textContent()).not.toContain('Hidden by a facilitator.');
    // What Priya writes after the forgery reaches Maya; the forged entry does not come with it.
    await priya.page.getByRole('textbox', { name: 'Reply' }).click();
    await priya.page.keyboard.type('Thursday works for me');
    await priya.page.keyboard.press('ControlOrMeta+Enter');
    await openThread(maya, 'Glaze firing schedule');
    await expect.poll(() => posts(maya).textContent(), { timeout: 60_000 }).toContain('Thursday works for me');
    expect(await posts(maya).textContent()).toContain('Cone 6 on Thursdays');
    expect(await posts(maya).textContent()).not.toContain('Hidden by a facilitator.');
    await maya.openSection('Home');
    expect(await maya.page.getByText(/entr(y was|ies were) ignored/).isVisible()).toBe(false);

    // ---------- Maya removes Priya ----------
    await maya.openSection('Home');
    await maya.page.getByRole('button', { name: 'Actions for Priya Shah' }).click();
    await maya.page.getByRole('menuitem', { name: 'Remove from community' }).click();
    const confirm = maya.page.getByRole('dialog', { name: 'Remove Priya Shah from the community?' });
    await maya.screenshot('remove-member-confirm.png');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => membersOf(maya), { timeout: 10_000 }).not.toContain('Priya Shah');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Moderation log' }).textContent(), { timeout: 10_000 })
      .toMatch(/Maya Okafor removed Priya Shah/);

    // Priya is told (the rotation reaches her through the old room) and her invite button is gone.
    await priya.openSection('Home');
    await expect.poll(() => priya.page.getByText('You were removed from this community').isVisible(), { timeout: 60_000 }).toBe(true);
    await priya.screenshot('removed-member.png');

    // What Maya writes now reaches Jon, in the new epoch, and never Priya.
    await openThread(maya, 'Glaze firing schedule');
    await maya.page.getByRole('textbox', { name: 'Reply' }).click();
    await maya.page.keyboard.type('New studio door code is 4821');
    await maya.page.keyboard.press('ControlOrMeta+Enter');
    await openThread(jon, 'Glaze firing schedule');
    await expect.poll(() => posts(jon).textContent(), { timeout: 60_000 }).toContain('New studio door code is 4821');
    await openThread(priya, 'Glaze firing schedule');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await posts(priya).textContent()).not.toContain('New studio door code');
    // A new invite from Maya carries the new epoch (version 2 codes start HEARTH1-Ah: version byte 2).
    await maya.openSection('Home');
    const freshCode = await maya.inviteCode();
    expect(freshCode).toMatch(/^HEARTH1-Ah/);

    // Sam was sent the old invite before the removal: it gets him nowhere, and he is told why.
    const sam = await Member.arrive(app.browser, app.host.url);
    await sam.chooseName('Sam Rivera');
    await sam.joinWith(code, 'Kiln Collective');
    await expect
      .poll(() => sam.page.getByText('This community has moved to a new key that this device was not given.').isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    await sam.screenshot('stale-invite.png');
    // Maya's fresh invite brings him in, with what was written after the removal.
    await sam.page.getByRole('button', { name: 'Join a community' }).click();
    const joinDialog = sam.page.getByRole('dialog', { name: 'Join a community' });
    await joinDialog.getByRole('textbox', { name: 'Invite code or link' }).fill(freshCode);
    await joinDialog.getByRole('button', { name: 'Join Kiln Collective' }).click();
    await sam.expectCommunityHome('Kiln Collective');
    await expect.poll(() => membersOf(maya), { timeout: 60_000 }).toContain('Sam Rivera');
    await openThread(sam, 'Glaze firing schedule');
    await expect.poll(() => posts(sam).textContent(), { timeout: 60_000 }).toContain('New studio door code is 4821');
  });
});
