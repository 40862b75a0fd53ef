import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

async function membersText(member: Member): Promise<string> {
  return (await member.page.getByRole('list', { name: 'Members' }).textContent()) ?? '';
}

async function openSyncDetails(member: Member) {
  await member.page.getByRole('button', { name: /^Sync:/ }).click();
  return member.page.getByRole('dialog', { name: 'Sync' });
}

describe('two members on one machine', () => {
  it('invite, join, see each other, and merge edits made while one was offline', async () => {
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
    expect(await inviteDialog.getByRole('img', { name: /QR code/ }).isVisible()).toBe(true);
    await maya.screenshot('invite-dialog.png');
    await inviteDialog.getByRole('button', { name: 'Done' }).click();

    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await jon.page.getByRole('button', { name: 'Join a community' }).click();
    const joinDialog = jon.page.getByRole('dialog', { name: 'Join a community' });
    const field = joinDialog.getByRole('textbox', { name: 'Invite code or link' });
    // A damaged code is refused with a clear message, and nothing is joined.
    await field.fill(code.slice(0, -6));
    await expect.poll(() => joinDialog.getByRole('alert').textContent()).toMatch(/damaged or incomplete/);
    expect(await joinDialog.getByRole('button', { name: /^Join/ }).isDisabled()).toBe(true);
    await field.fill(code);
    await joinDialog.getByRole('button', { name: 'Join Tuesday Founders Circle' }).click();
    await jon.expectCommunityHome('Tuesday Founders Circle');

    // Each sees the other in the member list, with the purpose that only Maya had.
    await expect.poll(() => membersText(jon), { timeout: 30_000 }).toContain('Maya Okafor');
    await expect.poll(() => jon.page.getByRole('article').textContent()).toContain('Six founders keeping each other honest.');
    await expect.poll(() => membersText(maya), { timeout: 30_000 }).toContain('Jon Bell');
    await expect.poll(() => membersText(maya), { timeout: 15_000 }).toMatch(/Jon Bell, online now/);
    await expect.poll(() => maya.page.getByRole('button', { name: /^Sync: Synced with 1 member/ }).count(), { timeout: 15_000 }).toBe(1);
    await maya.screenshot('presence.png');

    // Maya starts a thread; Jon reads it.
    await maya.openSection('Threads');
    await maya.page.getByRole('button', { name: 'Start a thread' }).click();
    const threadDialog = maya.page.getByRole('dialog', { name: 'Start a thread' });
    await threadDialog.getByRole('textbox', { name: 'Title' }).fill('Wins of the week');
    await threadDialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    await maya.page.keyboard.type('What did you ship this week?');
    await maya.page.keyboard.press('ControlOrMeta+Enter');
    await threadDialog.waitFor({ state: 'hidden' });
    await jon.openSection('Threads');
    await expect.poll(() => jon.page.getByText('Wins of the week').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await jon.page.getByText('Wins of the week').first().click();
    await jon.page.getByRole('textbox', { name: 'Reply' }).click();
    await jon.page.keyboard.type('Shipped the pricing page!', { delay: 20 });
    await expect.poll(() => maya.page.getByText('Jon Bell is typing…').isVisible(), { timeout: 15_000 }).toBe(true);
    await maya.screenshot('thread-typing.png');
    await jon.page.keyboard.press('ControlOrMeta+Enter');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 30_000 })
      .toContain('Shipped the pricing page!');

    // Both write in one note and see each other's carets, with names.
    await maya.openSection('Notes');
    await maya.page.getByRole('button', { name: 'New note' }).first().click();
    const title = maya.page.getByRole('textbox', { name: 'Note title' });
    await title.fill('Shared agenda');
    await title.press('Enter');
    await maya.page.keyboard.type('Maya: hot seat first. ');
    await jon.openSection('Notes');
    await expect.poll(() => jon.page.getByText('Shared agenda').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await jon.page.getByText('Shared agenda').first().click();
    const jonBody = jon.page.getByRole('textbox', { name: 'Note text' });
    await expect.poll(() => jonBody.textContent(), { timeout: 30_000 }).toContain('Maya: hot seat first.');
    await jonBody.click();
    await jon.page.keyboard.press('ControlOrMeta+End');
    await jon.page.keyboard.type(' Jon: then commitments.');
    const mayaBody = maya.page.getByRole('textbox', { name: 'Note text' });
    await expect.poll(() => mayaBody.textContent(), { timeout: 30_000 }).toContain('Jon: then commitments.');
    await expect.poll(() => maya.page.locator('.collaboration-carets__label').allTextContents(), { timeout: 15_000 }).toContain('Jon Bell');
    await expect
      .poll(() => jon.page.locator('.collaboration-carets__label').allTextContents(), { timeout: 15_000 })
      .toContain('Maya Okafor');
    await maya.screenshot('note-carets.png');
    await maya.openSection('Home');
    await jon.openSection('Home');

    // Jon works offline and renames himself; Maya renames herself meanwhile.
    const details = await openSyncDetails(jon);
    await details.getByRole('button', { name: 'Work offline' }).click();
    await details.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => jon.page.getByRole('button', { name: /^Sync: Working offline/ }).count()).toBe(1);
    // Maya sees Jon leave, and when she last saw him.
    await expect.poll(() => membersText(maya), { timeout: 30_000 }).toMatch(/Jon Bell.*seen just now/);
    await renameSelf(jon, 'Jon B. (offline edit)');
    await renameSelf(maya, 'Maya O.');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await membersText(maya)).not.toContain('offline edit');
    expect(await membersText(jon)).not.toContain('Maya O.');

    const back = await openSyncDetails(jon);
    await back.getByRole('button', { name: 'Go back online' }).click();
    await back.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => membersText(maya), { timeout: 30_000 }).toContain('Jon B. (offline edit)');
    await expect.poll(() => membersText(jon), { timeout: 30_000 }).toContain('Maya O.');
    // Back online, Jon is present again for Maya.
    await expect.poll(() => membersText(maya), { timeout: 30_000 }).toMatch(/Jon B\. \(offline edit\), online now/);
    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
    await jon.screenshot('joined-community.png');
    await maya.leave();
    await jon.leave();
  });
});

async function renameSelf(member: Member, name: string): Promise<void> {
  await member.page.getByRole('button', { name: 'Edit your profile' }).click();
  const dialog = member.page.getByRole('dialog', { name: 'Your profile' });
  await dialog.getByRole('textbox', { name: 'Your name' }).fill(name);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
