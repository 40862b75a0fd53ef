import { deflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

/** A real PNG (an RGB gradient) made without a canvas, so the test feeds the app a photo-like file. */
function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1)
      rows.set([Math.round((x / width) * 255), Math.round((y / height) * 200), 160 + ((x * y) % 90)], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hourIn(zone: string, at: number): string {
  return new Date(at).toLocaleTimeString('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' });
}

describe('the member directory', () => {
  it('a member edits their bio, time zone, avatar colour and picture; the other member sees it in the directory', async () => {
    const maya = await Member.arrive(app.browser, app.host.url, { timezoneId: 'UTC' });
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({
      name: 'Tuesday Founders Circle',
      purpose: 'Six founders keeping each other honest.',
      kind: 'Mastermind circle',
    });

    // Alone in the community, the directory says so.
    await maya.openSection('Members');
    const mayaDirectory = maya.page.getByRole('list', { name: 'Member directory' });
    await expect.poll(() => mayaDirectory.getByRole('listitem').count()).toBe(1);
    await expect.poll(() => maya.page.getByRole('heading', { name: 'Only you so far' }).isVisible()).toBe(true);
    await maya.screenshot('member-directory-alone.png');

    const code = await maya.inviteCode();
    const jon = await Member.arrive(app.browser, app.host.url, { timezoneId: 'America/New_York' });
    await jon.chooseName('Jon Bell');
    await jon.joinWith(code, 'Tuesday Founders Circle');
    const jonCard = mayaDirectory.getByRole('listitem', { name: 'Jon Bell' });
    await expect.poll(() => jonCard.count(), { timeout: 30_000 }).toBe(1);
    expect(await jonCard.textContent()).toContain('Time zone not shared');

    // Jon edits his profile: the time zone picker starts at his device's zone.
    await jon.page.getByRole('navigation', { name: 'Communities' }).getByRole('button', { name: 'Edit your profile' }).click();
    const profile = jon.page.getByRole('dialog', { name: 'Your profile' });
    const zone = profile.getByRole('combobox', { name: 'Time zone' });
    expect(await zone.inputValue()).toBe('America/New_York');
    await profile.getByRole('textbox', { name: 'Short bio' }).fill('Building a bakery-software startup. Ask me about pricing and pastry.');
    await zone.selectOption('Asia/Tokyo');
    await profile.getByRole('radio', { name: 'Teal' }).check();
    await jon.screenshot('profile-dialog.png');
    await profile.getByRole('button', { name: 'Save' }).click();
    await profile.waitFor({ state: 'hidden' });

    // Maya sees it in the directory: bio, Jon's local time, and his colour.
    await expect.poll(() => jonCard.textContent(), { timeout: 30_000 }).toContain('Ask me about pricing and pastry.');
    await expect.poll(() => jonCard.textContent(), { timeout: 10_000 }).toMatch(/their time\s*Tokyo · 9 h ahead of you/);
    const shown = (await jonCard.textContent()) ?? '';
    const now = Date.now();
    expect(
      [hourIn('Asia/Tokyo', now - 60_000), hourIn('Asia/Tokyo', now)].some((time) => shown.includes(`${time} their time`)),
      shown,
    ).toBe(true);
    await expect
      .poll(() => jonCard.locator('.avatar').evaluate((element) => getComputedStyle(element).backgroundColor))
      .toBe('rgb(15, 118, 110)');
    await maya.screenshot('member-directory.png');

    // Maya uploads a picture: a text file and a broken image are refused with a clear message first.
    await maya.page.getByRole('button', { name: 'Edit your profile' }).first().click();
    const mayaProfile = maya.page.getByRole('dialog', { name: 'Your profile' });
    const pictureFile = mayaProfile.getByLabel('Picture file');
    await pictureFile.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
    await expect.poll(() => mayaProfile.getByRole('alert').textContent()).toMatch(/“notes\.txt” is not a picture Hearth can use/);
    await pictureFile.setInputFiles({
      name: 'broken.png',
      mimeType: 'image/png',
      buffer: Buffer.from('\x89PNG\r\n\x1a\n this is not really a png'),
    });
    await expect.poll(() => mayaProfile.getByRole('alert').textContent()).toMatch(/could not read “broken\.png” as a picture/);
    const photo = gradientPng(900, 600);
    await pictureFile.setInputFiles({ name: 'maya.png', mimeType: 'image/png', buffer: photo });
    await expect.poll(() => mayaProfile.locator('.profile-identity img').count(), { timeout: 10_000 }).toBe(1);
    expect(await mayaProfile.getByRole('alert').count()).toBe(0);
    await mayaProfile.getByRole('textbox', { name: 'Short bio' }).fill('Facilitator. Two exits, one burnout; happy to talk about both.');
    await maya.screenshot('profile-dialog-picture.png');
    await mayaProfile.getByRole('button', { name: 'Save' }).click();
    await mayaProfile.waitFor({ state: 'hidden' });

    // Jon sees Maya's picture (a small data: URL, not the 900×600 original) and her bio.
    await jon.openSection('Members');
    const mayaCard = jon.page.getByRole('list', { name: 'Member directory' }).getByRole('listitem', { name: 'Maya Okafor' });
    await expect.poll(() => mayaCard.locator('img').count(), { timeout: 30_000 }).toBe(1);
    const src = (await mayaCard.locator('img').getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/(webp|jpeg);base64,/);
    expect(src.length).toBeLessThan(22_000);
    expect(photo.length).toBeGreaterThan(src.length);
    expect(await mayaCard.textContent()).toContain('Two exits, one burnout');
    expect(await mayaCard.textContent()).toMatch(/Owner/);
    await expect.poll(() => mayaCard.locator('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(96);
    await jon.screenshot('member-directory-other.png');

    // The picture is Maya's avatar elsewhere in the community too (the home's member list).
    await jon.openSection('Home');
    await expect.poll(() => jon.page.getByRole('list', { name: 'Members' }).locator('img').count()).toBe(1);

    await maya.page.emulateMedia({ colorScheme: 'dark' });
    // Buttons fade their colours (120 ms); the picture is taken once they have settled.
    await maya.page.waitForTimeout(400);
    await expect
      .poll(() => mayaDirectory.getByRole('listitem', { name: 'Maya Okafor' }).locator('img').count(), { timeout: 10_000 })
      .toBe(1);
    await maya.screenshot('member-directory-dark.png');

    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
    await maya.leave();
    await jon.leave();
  });
});
