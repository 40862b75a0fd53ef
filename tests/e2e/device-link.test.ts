// "Same person, second device": Maya's desktop shows a one-time code, her laptop (a fresh browser
// profile) types it, the desktop asks her to confirm, and the laptop comes back as Maya with her
// community, where what she posts from the laptop shows as hers on the desktop. Then the laptop is
// lost: she unlinks it from the desktop, the laptop is told, and what it writes reaches nobody.
import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

describe('linking a second device', () => {
  it('a typo is caught, the right code moves Maya and her community to the laptop, and unlinking it shuts it out', async () => {
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
    // One character off (the first after “LINK-”): caught before any network.
    const typo = `LINK-${code[5] === 'A' ? 'B' : 'A'}${code.slice(6)}`;
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
    await expect
      .poll(() => laptop.page.getByRole('navigation', { name: 'Communities' }).textContent(), { timeout: 30_000 })
      .toContain('Kiln Collective');
    await expect.poll(() => laptop.page.getByRole('navigation', { name: 'Communities' }).textContent()).toContain('Maya Okafor');
    await laptop.page.getByRole('navigation', { name: 'Communities' }).getByText('Kiln Collective').click();
    await laptop.expectCommunityHome('Kiln Collective');
    await expect
      .poll(() => laptop.page.getByRole('list', { name: 'Members' }).textContent(), { timeout: 30_000 })
      .toMatch(/Maya Okafor.*Owner/);

    // From the laptop, Maya starts a thread; the desktop shows it as hers.
    await laptop.startThread('Written on the laptop', 'Same me, second machine.');
    await desktop.openSection('Threads');
    await expect.poll(() => desktop.page.getByText('Written on the laptop').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await desktop.page.getByText('Written on the laptop').first().click();
    await expect
      .poll(() => desktop.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 })
      .toMatch(/Maya Okafor[\s\S]*Same me, second machine/);
    await laptop.screenshot('device-linked-laptop.png');

    // The laptop is lost: Maya unlinks it from the desktop.
    await desktop.page.getByRole('navigation', { name: 'Communities' }).getByRole('button', { name: 'Edit your profile' }).click();
    const profile = desktop.page.getByRole('dialog', { name: 'Your profile' });
    const devices = profile.getByRole('region', { name: 'Your devices' });
    await expect.poll(() => devices.textContent(), { timeout: 10_000 }).toMatch(/This device.*Chromium on Linux/);
    await devices.scrollIntoViewIfNeeded();
    await desktop.screenshot('your-devices.png');
    await devices.getByRole('button', { name: 'Unlink' }).click();
    await desktop.page.getByRole('dialog', { name: 'Unlink Chromium on Linux?' }).getByRole('button', { name: 'Unlink' }).click();
    await expect.poll(() => devices.textContent(), { timeout: 10_000 }).toContain('Chromium on Linux is unlinked in 1 community');
    await profile.getByRole('button', { name: 'Cancel' }).click();

    // The laptop is told; what it writes now never reaches the desktop.
    await laptop.openSection('Home');
    await expect.poll(() => laptop.page.getByText('This device was unlinked').isVisible(), { timeout: 60_000 }).toBe(true);
    await laptop.screenshot('device-unlinked.png');
    expect(await laptop.page.getByRole('button', { name: 'Invite members' }).count()).toBe(0);
    await laptop.startThread('Written after unlinking', 'Should reach nobody.');
    await desktop.openSection('Home');
    await desktop.openSection('Threads');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await desktop.page.getByText('Written after unlinking').count()).toBe(0);
  });
});
