// A member fills a community with a note, a thread, a card and a link, then finds each with Ctrl+K and
// lands on it; searches a second community and all of them; and still finds everything after a reload.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

const palette = (page: Page): Locator => page.getByRole('dialog', { name: 'Search' });
const searchBox = (page: Page): Locator => palette(page).getByRole('combobox', { name: 'Search' });
const results = (page: Page): Locator => palette(page).getByRole('listbox', { name: 'Results' });

/** Ctrl+K (Cmd+K on a Mac), from wherever the focus is, then a query; waits for `expected` to be listed. */
async function search(page: Page, query: string, expected?: string | RegExp): Promise<void> {
  await page.keyboard.press('ControlOrMeta+k');
  await expect.poll(() => searchBox(page).evaluate((element) => element === document.activeElement)).toBe(true);
  await searchBox(page).fill(query);
  if (expected) await expect.poll(() => results(page).getByRole('option', { name: expected }).count()).toBeGreaterThan(0);
}

/** The option the arrow keys are on. */
async function activeOption(page: Page): Promise<string> {
  return (await results(page).getByRole('option', { selected: true }).locator('.search-hit-title').textContent()) ?? '';
}

describe('search', () => {
  it('finds a note, a thread, a card and a link with Ctrl+K, lands on each, searches all communities, and survives a reload', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({
      name: 'Tuesday Founders Circle',
      purpose: 'Six founders keeping each other honest.',
      kind: 'Mastermind circle',
    });
    const page = maya.page;

    // ---------- something of every kind ----------
    await maya.openSection('Notes');
    await page.getByRole('button', { name: 'New note' }).click();
    const title = page.getByRole('textbox', { name: 'Note title' });
    await title.fill('Quarterly roadmap');
    await title.press('Enter');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Note text' }).evaluate((element) => element === document.activeElement))
      .toBe(true);
    await page.keyboard.type('Launch the pottery marketplace in spring, then open a second studio.');

    await maya.openSection('Threads');
    await page.getByRole('button', { name: 'Start a thread' }).click();
    const newThread = page.getByRole('dialog', { name: 'Start a thread' });
    await newThread.getByRole('textbox', { name: 'Title' }).fill('Studio rent');
    await newThread.getByRole('textbox', { name: 'Title' }).press('Enter');
    await page.keyboard.type('Should we split what the shared kiln costs each month?');
    await page.keyboard.press('ControlOrMeta+Enter');
    await newThread.waitFor({ state: 'hidden' });

    await maya.openSection('Boards');
    await page.getByRole('button', { name: 'Create a board' }).click();
    const newBoard = page.getByRole('dialog', { name: 'New board' });
    await newBoard.getByRole('textbox', { name: 'Board name' }).fill('Launch');
    await newBoard.getByRole('button', { name: 'Create board' }).click();
    await page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: 'Add a card to To do' }).click();
    const cardTitle = page.getByRole('textbox', { name: 'Title of the new card in To do' });
    for (const card of ['Photograph the spring collection', 'Order packing boxes']) {
      await cardTitle.fill(card);
      await cardTitle.press('Enter');
      await expect
        .poll(() =>
          page
            .getByRole('region', { name: 'Column To do' })
            .getByRole('button', { name: new RegExp(card) })
            .count(),
        )
        .toBe(1);
    }
    await cardTitle.press('Escape');

    await maya.openSection('Library');
    for (const link of [
      {
        url: 'https://example.com/glaze-chemistry',
        title: 'Glaze chemistry primer',
        description: 'Why celadon turns green in reduction.',
        tags: 'glaze',
      },
      { url: 'https://example.com/clay', title: 'Clay suppliers', description: 'Three we trust, with prices.', tags: 'suppliers' },
    ]) {
      await page.getByRole('button', { name: 'Add link' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a link' });
      await dialog.getByRole('textbox', { name: 'Link' }).fill(link.url);
      await dialog.getByRole('textbox', { name: 'Title' }).fill(link.title);
      await dialog.getByRole('textbox', { name: 'Description' }).fill(link.description);
      await dialog.getByRole('textbox', { name: 'Tags' }).fill(link.tags);
      await dialog.getByRole('button', { name: 'Add to library' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
    }
    // A filter that hides the link search will jump to.
    await page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /suppliers/ })
      .click();
    await expect.poll(() => page.getByRole('heading', { name: /Glaze chemistry primer/ }).count()).toBe(0);
    await maya.openSection('Home');

    // ---------- the palette: empty, results, nothing ----------
    await page.keyboard.press('ControlOrMeta+k');
    await expect.poll(() => palette(page).isVisible()).toBe(true);
    await expect.poll(() => palette(page).getByText('Search Tuesday Founders Circle').isVisible()).toBe(true);
    await maya.screenshot('search-palette-empty.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => palette(page).isVisible()).toBe(false);

    // The sidebar's button opens it too.
    await page.getByRole('navigation', { name: 'Communities' }).getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => palette(page).isVisible()).toBe(true);
    await searchBox(page).fill('spring');
    await expect.poll(() => results(page).getByRole('group').count()).toBe(2);
    expect(
      await results(page)
        .getByRole('group', { name: 'Notes' })
        .getByRole('option', { name: /Quarterly roadmap/ })
        .count(),
    ).toBe(1);
    expect(
      await results(page)
        .getByRole('group', { name: 'Cards' })
        .getByRole('option', { name: /Photograph the spring collection/ })
        .count(),
    ).toBe(1);
    // The words that matched are marked.
    expect(await results(page).locator('mark').allTextContents()).toEqual(expect.arrayContaining(['spring']));
    await maya.screenshot('search-palette-results.png');
    await searchBox(page).fill('zeppelin');
    await expect.poll(() => palette(page).getByText('No matches for “zeppelin”').isVisible()).toBe(true);
    await maya.screenshot('search-palette-no-results.png');
    await page.keyboard.press('Escape');

    // ---------- each kind, landed on ----------
    // A note, by a word of its text (and a typo): opened in the editor.
    await search(page, 'marketplce', /Quarterly roadmap/);
    await page.keyboard.press('Enter');
    await expect.poll(() => palette(page).isVisible()).toBe(false);
    await expect.poll(() => page.getByRole('textbox', { name: 'Note title' }).inputValue()).toBe('Quarterly roadmap');
    await expect.poll(() => page.getByRole('textbox', { name: 'Note text' }).textContent()).toContain('pottery marketplace');
    expect(await page.getByRole('tab', { name: /^Notes/ }).getAttribute('aria-selected')).toBe('true');

    // A thread, by a word of its post: opened.
    await search(page, 'kiln', /Studio rent/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Studio rent' }).isVisible()).toBe(true);
    expect(await page.getByRole('tab', { name: /^Threads/ }).getAttribute('aria-selected')).toBe('true');

    // A card, by a word's beginning, chosen with the arrow keys: its dialog opened.
    await search(page, 'pho', /Photograph the spring collection/);
    await searchBox(page).fill('spring');
    await expect.poll(() => results(page).getByRole('option').count()).toBe(2);
    const first = await activeOption(page);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeOption(page)).not.toBe(first);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => activeOption(page)).toBe(first);
    if (first !== 'Photograph the spring collection') await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeOption(page)).toBe('Photograph the spring collection');
    await page.keyboard.press('Enter');
    const cardDialog = page.getByRole('dialog', { name: 'Photograph the spring collection' });
    await expect.poll(() => cardDialog.isVisible()).toBe(true);
    expect(await cardDialog.getByRole('textbox', { name: 'Card title' }).inputValue()).toBe('Photograph the spring collection');
    await maya.screenshot('search-landed-card.png');
    await cardDialog.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => cardDialog.isVisible()).toBe(false);

    // A link, by its description, with a mouse click: the library's filter cleared and the link highlighted.
    await search(page, 'celadon', /Glaze chemistry primer/);
    await results(page)
      .getByRole('option', { name: /Glaze chemistry primer/ })
      .click();
    const highlighted = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Glaze chemistry primer/ }) });
    await expect.poll(() => highlighted.getAttribute('aria-current')).toBe('true');
    expect(await highlighted.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.getByRole('tab', { name: /^Library/ }).getAttribute('aria-selected')).toBe('true');
    await maya.screenshot('search-landed-link.png');

    // ---------- a second community: this one, or all of them ----------
    await maya.createCommunity({ name: 'Evening Book Circle', purpose: 'One novel a month.', kind: 'Hobby club' });
    await maya.openSection('Notes');
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByRole('textbox', { name: 'Note title' }).fill('Reading list');
    await page.getByRole('textbox', { name: 'Note title' }).press('Enter');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Note text' }).evaluate((element) => element === document.activeElement))
      .toBe(true);
    await page.keyboard.type('A novel about a pottery marketplace in Kyoto.');

    await search(page, 'roadmap');
    await expect.poll(() => palette(page).getByText('No matches for “roadmap”').isVisible()).toBe(true);
    await palette(page)
      .getByRole('button', { name: /One match in other communities/ })
      .click();
    expect(await palette(page).getByRole('button', { name: 'All communities' }).getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() =>
        results(page)
          .getByRole('option', { name: /Quarterly roadmap/ })
          .textContent(),
      )
      .toContain('Tuesday Founders Circle');
    await searchBox(page).fill('marketplace');
    await expect.poll(() => results(page).getByRole('option').count()).toBe(2);
    await maya.screenshot('search-palette-all-communities.png');
    await palette(page).getByRole('button', { name: 'This community' }).click();
    await expect.poll(() => results(page).getByRole('option').count()).toBe(1);
    expect(await activeOption(page)).toBe('Reading list');
    await palette(page).getByRole('button', { name: 'All communities' }).click();
    await expect.poll(() => results(page).getByRole('option').count()).toBe(2);
    await results(page)
      .getByRole('option', { name: /Quarterly roadmap/ })
      .click();
    await maya.expectCommunityHome('Tuesday Founders Circle');
    await expect.poll(() => page.getByRole('textbox', { name: 'Note title' }).inputValue()).toBe('Quarterly roadmap');

    // ---------- after a reload ----------
    await page.reload();
    await maya.expectCommunityHome('Tuesday Founders Circle');
    await search(page, 'kiln', /Studio rent/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Studio rent' }).isVisible()).toBe(true);
    await search(page, 'kyoto');
    await palette(page).getByRole('button', { name: 'All communities' }).click();
    await expect
      .poll(() =>
        results(page)
          .getByRole('option', { name: /Reading list/ })
          .textContent(),
      )
      .toContain('Evening Book Circle');
    await page.keyboard.press('Enter');
    await maya.expectCommunityHome('Evening Book Circle');
    await expect.poll(() => page.getByRole('textbox', { name: 'Note text' }).textContent()).toContain('Kyoto');

    expect(maya.errors).toEqual([]);
    await maya.leave();
  });
});
