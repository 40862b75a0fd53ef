import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

async function membersText(member: Member): Promise<string> {
  return (await member.page.getByRole('list', { name: 'Members' }).textContent()) ?? '';
}

describe('roles and moderation', () => {
  it('the owner makes a member a facilitator, who hides a post that everyone then sees hidden', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({
      name: 'Tuesday Founders Circle',
      purpose: 'Six founders keeping each other honest.',
      kind: 'Mastermind circle',
    });
    await maya.page.getByRole('button', { name: 'Invite members' }).click();
    const inviteDialog = maya.page.getByRole('dialog', { name: /Invite members/ });
    const codeBox = inviteDialog.getByRole('textbox', { name: 'Invite code' });
    await expect.poll(() => codeBox.inputValue(), { timeout: 10_000 }).toMatch(/^HEARTH1-/);
    const code = await codeBox.inputValue();
    await inviteDialog.getByRole('button', { name: 'Done' }).click();

    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await jon.page.getByRole('button', { name: 'Join a community' }).click();
    const joinDialog = jon.page.getByRole('dialog', { name: 'Join a community' });
    await joinDialog.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await joinDialog.getByRole('button', { name: 'Join Tuesday Founders Circle' }).click();
    await jon.expectCommunityHome('Tuesday Founders Circle');
    await expect.poll(() => membersText(maya), { timeout: 30_000 }).toContain('Jon Bell');
    await expect.poll(() => membersText(jon), { timeout: 30_000 }).toMatch(/Maya Okafor.*Owner/);

    // Chromium's IndexedDB keeps the private key as a CryptoKey (structured clone) that cannot be exported.
    const stored = await jon.page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('hearth');
          open.onerror = () => reject(new Error('no database'));
          open.onsuccess = () => {
            const request = open.result.transaction('settings').objectStore('settings').get('identity');
            request.onsuccess = () => {
              const key = (request.result as { value: { privateKey: CryptoKey } }).value.privateKey;
              open.result.close();
              resolve(`${key instanceof CryptoKey} ${key.type} ${key.extractable} ${key.usages.join(',')}`);
            };
          };
        }),
    );
    expect(stored).toBe('true private false sign');

    // Maya starts a thread with a reply from herself that Jon will hide.
    await maya.openSection('Threads');
    await maya.page.getByRole('button', { name: 'Start a thread' }).click();
    const threadDialog = maya.page.getByRole('dialog', { name: 'Start a thread' });
    await threadDialog.getByRole('textbox', { name: 'Title' }).fill('Wins of the week');
    await threadDialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    await maya.page.keyboard.type('What did you ship this week?');
    await maya.page.keyboard.press('ControlOrMeta+Enter');
    await threadDialog.waitFor({ state: 'hidden' });
    await maya.page.getByText('Wins of the week').first().click();
    await maya.page.getByRole('textbox', { name: 'Reply' }).click();
    await maya.page.keyboard.type('An off-topic rant');
    await maya.page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 })
      .toContain('An off-topic rant');

    // Jon, a plain member, sees no moderation controls.
    await jon.openSection('Threads');
    await expect.poll(() => jon.page.getByText('Wins of the week').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await jon.page.getByText('Wins of the week').first().click();
    await expect
      .poll(() => jon.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 30_000 })
      .toContain('An off-topic rant');
    expect(await jon.page.getByRole('button', { name: 'Hide post' }).count()).toBe(0);
    expect(await jon.page.getByRole('button', { name: 'Lock thread' }).count()).toBe(0);

    // Maya makes Jon a facilitator, through the menu on his row and a confirmation.
    await maya.openSection('Home');
    await maya.page.getByRole('button', { name: 'Actions for Jon Bell' }).click();
    await maya.page.getByRole('menuitem', { name: 'Make facilitator' }).click();
    const confirm = maya.page.getByRole('dialog', { name: 'Make Jon Bell a facilitator?' });
    await confirm.getByRole('button', { name: 'Make facilitator' }).click();
    await expect.poll(() => membersText(maya), { timeout: 10_000 }).toMatch(/Jon Bell.*Facilitator/);
    await maya.screenshot('member-roles.png');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Moderation log' }).textContent())
      .toMatch(/Maya Okafor made Jon Bell a facilitator/);

    // Jon now hides the reply; both see it hidden, and the log says who did it.
    await expect.poll(() => jon.page.getByRole('button', { name: 'Hide post' }).count(), { timeout: 30_000 }).toBe(1);
    await jon.page.getByRole('button', { name: 'Hide post' }).click();
    await expect
      .poll(() => jon.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 })
      .toContain('Hidden by a facilitator.');
    expect(await jon.page.getByRole('list', { name: 'Posts' }).textContent()).not.toContain('An off-topic rant');
    await maya.openSection('Threads');
    await maya.page.getByText('Wins of the week').first().click();
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 30_000 })
      .toContain('Hidden by a facilitator.');
    expect(await maya.page.getByRole('list', { name: 'Posts' }).textContent()).not.toContain('An off-topic rant');
    await maya.screenshot('post-hidden.png');
    await maya.openSection('Home');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Moderation log' }).textContent(), { timeout: 10_000 })
      .toMatch(/Jon Bell hid a post/);
  });
});
