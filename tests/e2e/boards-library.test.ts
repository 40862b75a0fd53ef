// A member plans a launch on a board (dragging cards with the mouse and the keyboard) and fills the
// library with a link, a file and a how-to; everything is still there after a reload.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

async function openSection(page: Page, name: 'Home' | 'Boards' | 'Library'): Promise<void> {
  await page.getByRole('tablist', { name: 'Community sections' }).getByRole('tab', { name }).click();
}

const column = (page: Page, name: string): Locator => page.getByRole('region', { name: `Column ${name}` });

/** Card titles in a column, top to bottom. */
async function cardsIn(page: Page, name: string): Promise<string[]> {
  return column(page, name).locator('.card-title').allTextContents();
}

/** Column names, left to right. */
async function columnNames(page: Page): Promise<string[]> {
  const labels = await page
    .getByRole('region', { name: /^Column / })
    .evaluateAll((regions) => regions.map((region) => region.getAttribute('aria-label') ?? ''));
  return labels.map((label) => label.replace(/^Column /, ''));
}

async function addCard(page: Page, columnName: string, titles: readonly string[]): Promise<void> {
  await column(page, columnName)
    .getByRole('button', { name: `Add a card to ${columnName}` })
    .click();
  const field = page.getByRole('textbox', { name: `Title of the new card in ${columnName}` });
  for (const title of titles) {
    await field.fill(title);
    await field.press('Enter');
    await expect.poll(() => cardsIn(page, columnName)).toContain(title);
  }
  await field.press('Escape');
}

/** Drags with real pointer moves: dnd-kit starts a drag only after the pointer travels a few pixels. */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const start = (await from.boundingBox())!;
  const end = (await to.boundingBox())!;
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 12, start.y + start.height / 2 + 4, { steps: 4 });
  await page.mouse.move(end.x + end.width / 2, end.y + Math.min(end.height / 2, 40), { steps: 16 });
  await page.mouse.up();
}

describe('boards and library', () => {
  it('plans on a board with drag and drop, fills the library, and keeps both across a reload', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({
      name: 'Saturday Sketch Club',
      purpose: 'Urban sketching around the city, every other weekend.',
      kind: 'Hobby club',
    });
    const page = maya.page;
    await maya.screenshot('home-boards-library-empty.png');

    // ---------- boards ----------
    await openSection(page, 'Boards');
    await expect.poll(() => page.getByRole('heading', { name: 'No boards yet' }).isVisible()).toBe(true);
    await maya.screenshot('boards-empty.png');
    await page.getByRole('button', { name: 'Create a board' }).click();
    const newBoard = page.getByRole('dialog', { name: 'New board' });
    await newBoard.getByRole('button', { name: 'Create board' }).click();
    await expect.poll(() => newBoard.getByRole('alert').textContent()).toContain('Give the board a name');
    await newBoard.getByRole('textbox', { name: 'Board name' }).fill('Spring exhibition');
    await newBoard.getByRole('button', { name: 'Create board' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Spring exhibition' }).isVisible()).toBe(true);
    for (const name of ['To do', 'Doing', 'Done']) expect(await column(page, name).isVisible()).toBe(true);

    await addCard(page, 'To do', ['Book the gallery', 'Frame twelve sketches', 'Print the flyers']);
    expect(await cardsIn(page, 'To do')).toEqual(['Book the gallery', 'Frame twelve sketches', 'Print the flyers']);

    // Mouse: drag "Frame twelve sketches" into Doing.
    await drag(page, column(page, 'To do').getByRole('button', { name: /Frame twelve sketches/ }), column(page, 'Doing').getByRole('list'));
    await expect.poll(() => cardsIn(page, 'Doing')).toEqual(['Frame twelve sketches']);
    expect(await cardsIn(page, 'To do')).toEqual(['Book the gallery', 'Print the flyers']);

    // Keyboard: pick "Print the flyers" up with Space, move it up, drop it with Space.
    const flyers = column(page, 'To do').getByRole('button', { name: /Print the flyers/ });
    await flyers.focus();
    await page.keyboard.press('Space');
    // The live region holds the latest announcement: "picked up", then at once where the card is.
    await expect
      .poll(() => page.locator('[id^="DndLiveRegion"]').textContent())
      .toMatch(/(Picked up card|The card) “Print the flyers”,? (is )?in To do, position 2 of 2/);
    // dnd-kit listens for arrows only a moment after pick-up (longer on a loaded machine): a key
    // pressed before then is ignored, so press again until the card has moved, a bounded few times.
    await expect
      .poll(
        async () => {
          const announced = (await page.locator('[id^="DndLiveRegion"]').textContent()) ?? '';
          if (!announced.includes('position 1 of 2')) await page.keyboard.press('ArrowUp');
          return announced;
        },
        { timeout: 10_000, interval: 300 },
      )
      .toContain('is in To do, position 1 of 2');
    await page.keyboard.press('Space');
    await expect.poll(() => cardsIn(page, 'To do')).toEqual(['Print the flyers', 'Book the gallery']);
    await expect.poll(() => page.locator('[id^="DndLiveRegion"]').textContent()).toContain('was dropped in To do, position 1 of 2');

    // Keyboard: move the Done column left of Doing with its handle.
    // (Like a screen reader user, wait to hear the pick-up before moving: the sensor listens from then on.)
    await page.getByRole('button', { name: 'Move column Done' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('[id^="DndLiveRegion"]').textContent()).toMatch(/Column “Done”.*position 3 of 3/);
    await expect
      .poll(
        async () => {
          const announced = (await page.locator('[id^="DndLiveRegion"]').textContent()) ?? '';
          if (!announced.includes('over position 2 of 3')) await page.keyboard.press('ArrowLeft');
          return announced;
        },
        { timeout: 10_000, interval: 300 },
      )
      .toContain('Column “Done” is over position 2 of 3');
    await page.keyboard.press('Space');
    await expect.poll(() => columnNames(page)).toEqual(['To do', 'Done', 'Doing']);

    // The card dialog: label, assignee, due date, checklist, comment.
    await column(page, 'To do')
      .getByRole('button', { name: /Book the gallery/ })
      .click();
    const cardDialog = page.getByRole('dialog', { name: 'Book the gallery' });
    await cardDialog.getByRole('combobox', { name: 'New label' }).fill('Venue');
    await cardDialog.getByRole('button', { name: 'Add label' }).click();
    await cardDialog.getByRole('checkbox', { name: /Maya Okafor/ }).check();
    await cardDialog.getByLabel('Due date').fill('2031-04-12');
    await cardDialog.getByRole('textbox', { name: 'New checklist item' }).fill('Ask the library about the hall');
    await cardDialog.getByRole('button', { name: 'Add', exact: true }).click();
    await cardDialog.getByRole('textbox', { name: 'Write a comment' }).fill('They have a free slot in April.');
    await cardDialog.getByRole('button', { name: 'Comment' }).click();
    await expect.poll(() => cardDialog.getByRole('list', { name: 'Labels on this card' }).textContent()).toContain('venue');
    await expect.poll(() => cardDialog.textContent()).toContain('They have a free slot in April.');
    await maya.screenshot('boards-card-dialog.png');
    await cardDialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => cardDialog.isVisible()).toBe(false);

    // Deleting a card asks first.
    await addCard(page, 'Done', ['Scrap this idea']);
    await column(page, 'Done')
      .getByRole('button', { name: /Scrap this idea/ })
      .click();
    await page.getByRole('dialog', { name: 'Scrap this idea' }).getByRole('button', { name: 'Delete card' }).click();
    const confirmCard = page.getByRole('dialog', { name: 'Delete the card “Scrap this idea”?' });
    await confirmCard.getByRole('button', { name: 'Delete card' }).click();
    await expect.poll(() => cardsIn(page, 'Done')).toEqual([]);
    expect(await page.getByRole('dialog').count()).toBe(0);

    const gallery = column(page, 'To do').getByRole('button', { name: /Book the gallery/ });
    expect(await gallery.textContent()).toContain('venue');
    expect(await gallery.textContent()).toContain('Checklist 0/1');
    await maya.screenshot('boards.png');

    // Filter by label, then "My cards".
    await page.getByRole('combobox', { name: 'Filter by label' }).selectOption('venue');
    await expect.poll(() => cardsIn(page, 'To do')).toEqual(['Book the gallery']);
    expect(await cardsIn(page, 'Doing')).toEqual([]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page
      .getByRole('navigation', { name: 'Boards' })
      .getByRole('button', { name: /My cards/ })
      .click();
    await expect.poll(() => page.getByRole('list', { name: 'My cards' }).textContent()).toContain('Book the gallery');
    await maya.screenshot('boards-my-cards.png');

    // ---------- library ----------
    await openSection(page, 'Library');
    await expect.poll(() => page.getByRole('heading', { name: 'The library is empty' }).isVisible()).toBe(true);
    await maya.screenshot('library-empty.png');

    await page.getByRole('button', { name: 'Add link' }).click();
    const linkDialog = page.getByRole('dialog', { name: 'Add a link' });
    await linkDialog.getByRole('textbox', { name: 'Link' }).fill('javascript:alert(document.cookie)');
    await linkDialog.getByRole('button', { name: 'Add to library' }).click();
    await expect.poll(() => linkDialog.getByRole('alert').textContent()).toContain('Links of the kind “javascript:” are not opened');
    await linkDialog.getByRole('textbox', { name: 'Link' }).fill('https://example.com/urban-sketching-basics');
    await linkDialog.getByRole('textbox', { name: 'Title' }).fill('Urban sketching basics');
    await linkDialog.getByRole('textbox', { name: 'Description' }).fill('The clearest introduction to line and wash we found.');
    await linkDialog.getByRole('textbox', { name: 'Tags' }).fill('Beginner, ink');
    await linkDialog.getByRole('button', { name: 'Add to library' }).click();
    await expect.poll(() => linkDialog.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Add file' }).click();
    const fileDialog = page.getByRole('dialog', { name: 'Add a file' });
    // Over the limit: refused as soon as it is chosen. (A path, not a buffer: 26 MB through the
    // DevTools protocol as base64 is slower than the test's patience.)
    const tooBig = join(mkdtempSync(join(tmpdir(), 'hearth-e2e-')), 'whole-season.mov');
    writeFileSync(tooBig, Buffer.alloc(26 * 1024 * 1024, 1));
    await fileDialog.getByLabel('File', { exact: true }).setInputFiles(tooBig);
    await expect
      .poll(() => fileDialog.getByRole('alert').textContent())
      .toContain('“whole-season.mov” is 26 MB; files up to 25 MB can be added');
    rmSync(dirname(tooBig), { recursive: true, force: true });
    const palette = Buffer.from('Payne’s grey, burnt sienna, ultramarine, raw umber\n');
    await fileDialog.getByLabel('File', { exact: true }).setInputFiles({ name: 'palette.txt', mimeType: 'text/plain', buffer: palette });
    await expect.poll(() => fileDialog.getByRole('alert').count()).toBe(0);
    await fileDialog.getByRole('textbox', { name: 'Tags' }).fill('paint');
    await fileDialog.getByRole('button', { name: 'Add to library' }).click();
    await expect.poll(() => fileDialog.isVisible()).toBe(false);

    await page.getByRole('button', { name: 'Add how-to' }).click();
    const howTo = page.getByRole('dialog', { name: 'Add a how-to' });
    await howTo.getByRole('textbox', { name: 'Title' }).fill('Stretching watercolour paper');
    await howTo
      .getByRole('textbox', { name: 'How to do it' })
      .fill('1. Soak the sheet for five minutes\n2. Tape it to a board with gummed tape\n3. Let it dry flat overnight');
    await howTo.getByRole('textbox', { name: 'Tags' }).fill('beginner, paint');
    await howTo.getByRole('button', { name: 'Add to library' }).click();
    await expect.poll(() => howTo.isVisible()).toBe(false);

    const resources = page.getByRole('list', { name: 'Resources' });
    await expect
      .poll(() => resources.getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['Stretching watercolour paper (How-to)', 'palette.txt (File)', 'Urban sketching basics (Link)']);
    await maya.screenshot('library.png');

    // The file saves as a download in app.browser mode, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      resources.getByRole('button', { name: 'Save palette.txt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('palette.txt');
    expect(readFileSync((await download.path())!)).toEqual(palette);

    // Filter by tag and sort by title, in the grid.
    await page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: /beginner/ })
      .click();
    await expect.poll(() => page.getByRole('list', { name: 'Matching resources' }).getByRole('heading', { level: 3 }).count()).toBe(2);
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('title');
    await page.getByRole('button', { name: 'Grid' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Matching resources' }).getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['Stretching watercolour paper (How-to)', 'Urban sketching basics (Link)']);
    await maya.screenshot('library-grid-filtered.png');

    // ---------- reload: everything is still there ----------
    await page.reload();
    await maya.expectCommunityHome('Saturday Sketch Club');
    await expect.poll(() => page.getByRole('list', { name: 'Boards' }).textContent()).toContain('Spring exhibition');
    await expect
      .poll(() => page.getByRole('list', { name: 'Recently added to the library' }).textContent())
      .toContain('Urban sketching basics');
    await page.getByRole('list', { name: 'Boards' }).scrollIntoViewIfNeeded();
    await maya.screenshot('home-boards-library.png');

    await openSection(page, 'Boards');
    await expect.poll(() => cardsIn(page, 'To do')).toEqual(['Print the flyers', 'Book the gallery']);
    expect(await columnNames(page)).toEqual(['To do', 'Done', 'Doing']);
    expect(await cardsIn(page, 'Doing')).toEqual(['Frame twelve sketches']);
    expect(
      await column(page, 'To do')
        .getByRole('button', { name: /Book the gallery/ })
        .textContent(),
    ).toContain('venue');

    await openSection(page, 'Library');
    await expect.poll(() => page.getByRole('list', { name: 'Resources' }).getByRole('heading', { level: 3 }).count()).toBe(3);
    expect(await page.getByText('Not downloaded yet').count()).toBe(0);

    // Removing from the library asks first.
    await page.getByRole('button', { name: 'Delete Stretching watercolour paper' }).click();
    await page
      .getByRole('dialog', { name: 'Remove “Stretching watercolour paper” from the library?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Resources' }).getByRole('heading', { level: 3 }).allTextContents())
      .toEqual(['palette.txt (File)', 'Urban sketching basics (Link)']);

    expect(maya.errors).toEqual([]);
    await maya.leave();
  });

  it('looks finished in the dark theme too', async () => {
    const lin = await Member.arrive(app.browser, app.host.url, { colorScheme: 'dark' });
    await lin.chooseName('Lin Park');
    await lin.createCommunity({ name: 'Evening Coaching Cohort', purpose: 'Group coaching for new managers.', kind: 'Coaching group' });
    await openSection(lin.page, 'Boards');
    await lin.page.getByRole('button', { name: 'Create a board' }).click();
    const dialog = lin.page.getByRole('dialog', { name: 'New board' });
    await dialog.getByRole('textbox', { name: 'Board name' }).fill('Commitments');
    await dialog.getByRole('button', { name: 'Create board' }).click();
    await addCard(lin.page, 'To do', ['Run a skip-level 1:1', 'Draft the team charter']);
    await lin.screenshot('boards-dark.png');

    // Removing every column leaves the cards under Unsorted, from where they go back into a column.
    for (const name of ['Doing', 'Done', 'To do']) {
      await column(lin.page, name)
        .getByRole('button', { name: `Delete column ${name}` })
        .click();
      await lin.page
        .getByRole('dialog', { name: `Delete the column “${name}”?` })
        .getByRole('button', { name: 'Delete column' })
        .click();
      await expect.poll(() => column(lin.page, name).count()).toBe(0);
    }
    const unsorted = lin.page.getByRole('region', { name: 'Unsorted cards' });
    await expect.poll(() => unsorted.locator('.card-title').allTextContents()).toEqual(['Run a skip-level 1:1', 'Draft the team charter']);
    await lin.page.getByRole('button', { name: 'Add a column' }).click();
    await lin.page.getByRole('textbox', { name: 'Name of the new column' }).fill('This week');
    await lin.page.getByRole('textbox', { name: 'Name of the new column' }).press('Enter');
    await expect.poll(() => column(lin.page, 'This week').count()).toBe(1);
    await lin.screenshot('boards-unsorted-dark.png');
    await drag(lin.page, unsorted.getByRole('button', { name: /Draft the team charter/ }), column(lin.page, 'This week').getByRole('list'));
    await expect.poll(() => cardsIn(lin.page, 'This week')).toEqual(['Draft the team charter']);
    expect(await unsorted.locator('.card-title').allTextContents()).toEqual(['Run a skip-level 1:1']);
    expect(lin.errors).toEqual([]);
    await lin.leave();
  });
});
