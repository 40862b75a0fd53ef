import { describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

describe('a new member starts their first community', () => {
  it('sets a name, creates a community, and finds it again after a reload', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await expect.poll(() => maya.page.getByRole('heading', { name: 'Welcome to your group’s home' }).isVisible()).toBe(true);

    // An empty name is refused with a clear message.
    await maya.page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => maya.page.getByRole('alert').textContent()).toContain('Tell the group what to call you');

    await maya.chooseName('Maya Okafor');
    await expect.poll(() => maya.page.getByRole('heading', { name: 'Start your first community' }).isVisible()).toBe(true);

    await maya.createCommunity({
      name: 'Tuesday Founders Circle',
      purpose: 'Six founders keeping each other honest about what we ship each week.',
      kind: 'Mastermind circle',
    });
    await maya.createCommunity({
      name: 'Saturday Sketch Club',
      purpose: 'Urban sketching around the city, every other weekend.',
      kind: 'Hobby club',
    });

    const sidebar = maya.page.getByRole('navigation', { name: 'Communities' });
    await sidebar.getByRole('button', { name: 'Tuesday Founders Circle' }).click();
    await maya.expectCommunityHome('Tuesday Founders Circle');
    await maya.screenshot('community-home-light.png');

    await maya.page.reload();
    await maya.expectCommunityHome('Tuesday Founders Circle');
    const home = maya.page.getByRole('article');
    expect(await home.textContent()).toContain('Six founders keeping each other honest about what we ship each week.');
    expect(await home.getByRole('list', { name: 'Members' }).textContent()).toContain('Maya Okafor');
    expect(await sidebar.getByRole('button', { name: 'Saturday Sketch Club' }).isVisible()).toBe(true);
    expect(maya.errors).toEqual([]);

    // A second tab of the same profile refuses to run beside the first (their saves could collide).
    const second = await maya.context.newPage();
    await second.goto(app.host.url);
    await expect
      .poll(() => second.getByRole('heading', { name: 'Hearth is already open in another tab or window' }).isVisible())
      .toBe(true);
    await second.close();

    const screenshot = await maya.screenshot('community-home.png');
    expect(existsSync(screenshot) && statSync(screenshot).size).toBeGreaterThan(20_000);
    await maya.leave();
  });

  it('looks right in the dark theme, following the system', async () => {
    const lin = await Member.arrive(app.browser, app.host.url, { colorScheme: 'dark' });
    await lin.chooseName('Lin Park');
    await lin.createCommunity({
      name: 'Evening Coaching Cohort',
      purpose: 'Group coaching for new managers, Thursdays at 7.',
      kind: 'Coaching group',
    });
    const background = await lin.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 19, 17)');
    await lin.screenshot('community-home-dark.png');
    await lin.leave();
  });
});
