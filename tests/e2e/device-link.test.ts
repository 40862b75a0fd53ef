// "Same person, second device": Maya's desktop shows a one-time code, her laptop (a fresh browser
// profile) types it, the desktop asks her to confirm, and the laptop comes back as Maya with her
// community, where what she posts from the laptop shows as hers on the desktop.
import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

describe('linking a second device', () => {
  it('a typo is caught, then the right code moves Maya and her community to the laptop', async () => {
    const desktop = await Member.arrive(app.browser, app.host.url);
    await desktop.chooseName('Maya Okafor');
    await desktop.createCommunity({ name: 'Kiln Collective', purpose: 'Potters sharing a studio.', kind: 'Hobby club' });

    await desktop.page.getByRole('navigation', { name: 'Communities' }).getByRole('button', { name: 'Edit your profile' }).click();
    await desktop.page.getByRole('dialog', { name: 'Your profile' }).getByRole('button', { name: 'Link another device' }).click();
    const offer = desktop.page.getByRole('dialog', { name: 'Link another device' });
    const codeOutput = offer.getByRole('status', { name: 'Device code' }).or(offer.locator('output.link-code'));
    await expect.poll(() => codeOutput.textContent(), { timeout: 10_000 }).toMatch(/^LINK-/);
    const code = (await codeOutput.textContent())!;
    await desktop.screenshot('device-link-code.png');

    const laptop = await Member.arrive(app.browser, app.host.url);
    await laptop.page.getByRole('button', { name: 'I already use Hearth on another device' }).click();
    const accept = laptop.page.getByRole('dialog', { name: 'Use Hearth from another device' });
    const field = accept.getByRole('textbox', { name: 'Device code' });
    // One character off: caught before any network.
    const typo = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    await field.fill(typo);
    await accept.getByRole('button', { name: 'Link this device' }).click();
    await expect.poll(() => accept.getByRole('alert').textContent()).toMatch(/typo|letters and digits/);
    // The right one, typed in lower case with spaces.
    await field.fill(code.toLowerCase().replace(/-/g, ' '));
    await accept.getByRole('button', { name: 'Link this device' }).click();

    // The desktop asks before sharing anything.
    await expect.poll(() => offer.getByText(/typed your code\. Link it\?/).isVisible(), { timeout: 60_000 }).toBe(true);
    await desktop.screenshot('device-link-confirm.png');
    await offer.getByRole('button', { name: 'Link this device' }).click();
    await expect.poll(() => offer.getByText(/is linked/).isVisible(), { timeout: 30_000 }).toBe(true);
    await offer.getByRole('button', { name: 'Done' }).click();

    // The laptop reloads as Maya, with her community.
    await expect.poll(() => laptop.page.getByRole('navigation', { name: 'Communities' }).textContent(), { timeout: 30_000 }).toContain('Kiln Collective');
    await expect.poll(() => laptop.page.getByRole('navigation', { name: 'Communities' }).textContent()).toContain('Maya Okafor');
    await laptop.page.getByRole('navigation', { name: 'Communities' }).getByText('Kiln Collective').click();
    await laptop.expectCommunityHome('Kiln Collective');
    await expect.poll(() => laptop.page.getByRole('list', { name: 'Members' }).textContent(), { timeout: 30_000 }).toMatch(/Maya Okafor.*Owner/);

    // From the laptop, Maya starts a thread; the desktop shows it as hers.
    await laptop.openSection('Threads');
    await laptop.page.getByRole('button', { name: 'Start a thread' }).click();
    const threadDialog = laptop.page.getByRole('dialog', { name: 'Start a thread' });
    await threadDialog.getByRole('textbox', { name: 'Title' }).fill('Written on the laptop');
    await threadDialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    await laptop.page.keyboard.type('Same me, second machine.');
    await laptop.page.keyboard.press('ControlOrMeta+Enter');
    await threadDialog.waitFor({ state: 'hidden' });
    await desktop.openSection('Threads');
    await expect.poll(() => desktop.page.getByText('Written on the laptop').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await desktop.page.getByText('Written on the laptop').first().click();
    await expect.poll(() => desktop.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 }).toMatch(/Maya Okafor[\s\S]*Same me, second machine/);
    await laptop.screenshot('device-linked-laptop.png');
  });
});
