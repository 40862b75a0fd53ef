import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { upsertMember } from '../../shared/community/commands.js';
import { richDocFromText } from '../../shared/rich-text/rich-text.js';
import { createThread, postsMap, reply } from '../../shared/threads/commands.js';
import { listThreads } from '../../shared/threads/queries.js';
import { newPostMap } from '../../shared/threads/schema.js';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

function communityIdOf(member: Member): string {
  const id = /#\/c\/([0-9a-z]+)/.exec(member.page.url())?.[1];
  if (!id) throw new Error(`no community in ${member.page.url()}`);
  return id;
}

/**
 * A peer's changes, arriving the way sync will deliver them: the member's stored document is read
 * out of IndexedDB, `write` runs on a copy in Node as another member, and the difference is appended
 * to the member's log. The app picks it up on the next load.
 */
async function peerWrites(member: Member, write: (doc: Y.Doc) => void): Promise<void> {
  const communityId = communityIdOf(member);
  const rows = await member.page.evaluate(
    (id) =>
      new Promise<number[][]>((resolve, reject) => {
        const request = indexedDB.open('hearth');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction(['snapshots', 'updates'], 'readonly');
          const found: number[][] = [];
          const snapshot = transaction.objectStore('snapshots').get(id);
          snapshot.onsuccess = () => {
            if (snapshot.result?.snapshot) found.unshift(Array.from(snapshot.result.snapshot as Uint8Array));
          };
          const cursor = transaction.objectStore('updates').openCursor();
          cursor.onsuccess = () => {
            const current = cursor.result;
            if (!current) return;
            if (current.value.communityId === id) found.push(Array.from(current.value.update as Uint8Array));
            current.continue();
          };
          transaction.oncomplete = () => {
            db.close();
            resolve(found);
          };
        };
      }),
    communityId,
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdateV2(doc, new Uint8Array(row));
  const before = Y.encodeStateVector(doc);
  write(doc);
  const update = Array.from(Y.encodeStateAsUpdateV2(doc, before));
  await member.page.evaluate(
    ({ id, bytes }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('hearth');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction('updates', 'readwrite');
          transaction.objectStore('updates').add({ communityId: id, update: new Uint8Array(bytes) });
          transaction.oncomplete = () => {
            db.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { id: communityId, bytes: update },
  );
}

/** Pastes text into the focused editor as the clipboard would, and says how long the page took. */
async function pasteInto(member: Member, selector: string, text: string): Promise<number> {
  return member.page.evaluate(
    ({ selector, text }) => {
      const target = document.querySelector<HTMLElement>(selector);
      if (!target) throw new Error(`nothing matches ${selector}`);
      target.focus();
      const data = new DataTransfer();
      data.setData('text/plain', text);
      const started = performance.now();
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return performance.now() - started;
    },
    { selector, text },
  );
}

const GRACE = 'membergrace00002';

describe('notes', () => {
  it('creates a note, formats text in it, renames, nests, exports, deletes with undo, and keeps it all after a reload', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({
      name: 'Tuesday Founders Circle',
      purpose: 'Six founders keeping each other honest.',
      kind: 'Mastermind circle',
    });
    const page = maya.page;
    await maya.screenshot('home-empty-notes-threads.png');

    await maya.openSection('Notes');
    await expect.poll(() => page.getByRole('heading', { name: 'No notes yet' }).isVisible()).toBe(true);
    await maya.screenshot('notes-empty.png');

    await page.getByRole('button', { name: 'New note' }).click();
    const title = page.getByRole('textbox', { name: 'Note title' });
    await expect.poll(() => title.evaluate((input) => input === document.activeElement)).toBe(true);
    await title.fill('Weekly sync');
    await title.press('Enter');
    const body = page.getByRole('textbox', { name: 'Note text' });
    await expect.poll(() => body.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('We agreed on ');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type('three priorities');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- Ship the beta');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Call ten customers');
    await expect.poll(() => body.locator('strong').textContent()).toBe('three priorities');
    await expect.poll(() => body.locator('ul > li').allTextContents()).toEqual(['Ship the beta', 'Call ten customers']);
    // The toolbar knows where the caret is.
    expect(await page.getByRole('button', { name: 'Bulleted list' }).getAttribute('aria-pressed')).toBe('true');

    // A link: a javascript: address is refused; a web address is made into one, opened with Ctrl+click
    // through the host (in app.browser mode, a new tab).
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Read the plan');
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Add link' }).click();
    const linkDialog = page.getByRole('dialog', { name: 'Add a link' });
    await linkDialog.getByRole('textbox', { name: 'Address' }).fill('javascript:alert(1)');
    await linkDialog.getByRole('textbox', { name: 'Address' }).press('Enter');
    await expect.poll(() => linkDialog.getByRole('alert').textContent()).toContain('“javascript:” are not opened');
    await linkDialog.getByRole('textbox', { name: 'Address' }).fill('example.org/plan');
    await linkDialog.getByRole('textbox', { name: 'Address' }).press('Enter');
    await linkDialog.waitFor({ state: 'hidden' });
    const link = body.getByRole('link', { name: 'Read the plan' });
    expect(await link.getAttribute('href')).toBe('https://example.org/plan');
    await maya.context.route('https://example.org/**', (route) => route.fulfill({ contentType: 'text/plain', body: 'the plan' }));
    const [tab] = await Promise.all([maya.context.waitForEvent('page'), link.click({ modifiers: ['ControlOrMeta'] })]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe('https://example.org/plan');
    await tab.close();

    // Rename in place.
    await title.click();
    await title.fill('Weekly sync — March');
    await title.press('Enter');
    const pages = page.getByRole('navigation', { name: 'Pages' });
    await expect.poll(() => pages.getByRole('button', { name: 'Weekly sync — March', exact: true }).isVisible()).toBe(true);

    // A page inside it.
    await page.getByRole('button', { name: 'Add page inside' }).click();
    await title.fill('Action items');
    await title.press('Enter');
    await page.keyboard.type('Maya: customer calls');
    await expect.poll(() => page.getByRole('navigation', { name: 'Where this page is' }).textContent()).toContain('Weekly sync — March');
    await expect.poll(() => pages.getByRole('button', { name: 'Hide pages inside Weekly sync — March' }).isVisible()).toBe(true);

    // Delete it (with a confirmation), then undo.
    await page.getByRole('button', { name: 'Delete note' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Action items”?' });
    await confirm.getByRole('button', { name: 'Delete note' }).click();
    await expect.poll(() => pages.getByRole('button', { name: 'Action items', exact: true }).count()).toBe(0);
    const toast = page.getByRole('status').filter({ hasText: '“Action items” moved to the trash.' });
    await expect.poll(() => toast.isVisible()).toBe(true);
    await maya.screenshot('notes-undo-toast.png');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => pages.getByRole('button', { name: 'Action items', exact: true }).isVisible()).toBe(true);

    // Export as Markdown: app.browser mode downloads the file.
    await pages.getByRole('button', { name: 'Weekly sync — March', exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as Markdown' }).click()]);
    expect(download.suggestedFilename()).toBe('Weekly sync — March.md');
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toBe(
      '# Weekly sync — March\n\nWe agreed on **three priorities**\n\n- Ship the beta\n- Call ten customers\n\n[Read the plan](https://example.org/plan)\n',
    );
    await maya.screenshot('notes-editor.png');

    await page.reload();
    await maya.expectCommunityHome('Tuesday Founders Circle');
    const home = page.getByRole('list', { name: 'Recently edited notes' });
    await expect.poll(() => home.textContent()).toContain('Weekly sync — March');
    expect(await home.textContent()).toContain('by you');
    await maya.screenshot('home-with-notes.png');
    await maya.openSection('Notes');
    await expect.poll(() => page.getByRole('list', { name: 'Notes' }).textContent()).toContain('Action items');
    await maya.screenshot('notes-list.png');
    await page
      .getByRole('list', { name: 'Notes' })
      .getByRole('button', { name: /^Weekly sync — March/ })
      .click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Note text' }).locator('strong').textContent()).toBe('three priorities');
    expect(await page.getByRole('textbox', { name: 'Note text' }).locator('ul > li').allTextContents()).toEqual([
      'Ship the beta',
      'Call ten customers',
    ]);
    expect(await page.getByRole('textbox', { name: 'Note title' }).inputValue()).toBe('Weekly sync — March');
    expect(maya.errors).toEqual([]);
    await maya.leave();
  });

  it('refuses to grow a note past its limit with a message, and stays responsive', async () => {
    const sam = await Member.arrive(app.browser, app.host.url);
    await sam.chooseName('Sam Rivera');
    await sam.createCommunity({ name: 'Garden Allotment Club', purpose: 'Plots 14 to 22.', kind: 'Hobby club' });
    await sam.openSection('Notes');
    await sam.page.getByRole('button', { name: 'New note' }).click();
    await sam.page.getByRole('textbox', { name: 'Note title' }).press('Enter');
    const megabyte = 'All work and no play makes Jack a dull boy.\n'.repeat(24_000);
    const elapsed = await pasteInto(sam, '.note-body', megabyte);
    await expect.poll(() => sam.page.getByRole('alert').textContent()).toContain('a note holds up to 100,000');
    console.log(`[measure] refusing a 1 MB paste into a note took ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3_000);
    await sam.page.getByRole('textbox', { name: 'Note text' }).click();
    await sam.page.keyboard.type('still here');
    await expect.poll(() => sam.page.getByRole('textbox', { name: 'Note text' }).textContent()).toBe('still here');
    expect(sam.errors).toEqual([]);
    await sam.leave();
  });
});

describe('threads', () => {
  it('starts a thread, replies, reacts, edits, deletes, pins, and keeps it all after a reload', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Evening Coaching Cohort', purpose: 'Group coaching for new managers.', kind: 'Coaching group' });
    const page = maya.page;
    await maya.openSection('Threads');
    await expect.poll(() => page.getByRole('heading', { name: 'No threads yet' }).isVisible()).toBe(true);
    await maya.screenshot('threads-empty.png');

    await page.getByRole('button', { name: 'Start a thread' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a thread' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Wins of the week');
    await dialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    const firstPost = dialog.getByRole('textbox', { name: 'First post' });
    await expect.poll(() => firstPost.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('What did you ship this week? ');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type('Small wins count.');
    await maya.screenshot('threads-new-dialog.png');
    await page.keyboard.press('ControlOrMeta+Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Wins of the week' }).isVisible()).toBe(true);

    const posts = page.getByRole('list', { name: 'Posts' });
    const replyBox = page.getByRole('textbox', { name: 'Reply' });
    await replyBox.click();
    await page.keyboard.type('I finally fixed onboarding.');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => posts.getByRole('article').count()).toBe(2);
    await expect.poll(() => replyBox.textContent()).toBe('');

    // React to the first post.
    const first = posts.getByRole('article').first();
    await first.hover();
    await first.getByRole('button', { name: 'Add reaction' }).click();
    await first.getByRole('button', { name: 'React with 🎉' }).click();
    await expect.poll(() => first.getByRole('button', { name: /^🎉 1/ }).getAttribute('aria-pressed')).toBe('true');

    // Edit one's own reply.
    const second = posts.getByRole('article').nth(1);
    await second.hover();
    await second.getByRole('button', { name: 'Edit post' }).click();
    await second.getByRole('textbox', { name: 'Edit post' }).press('End');
    await page.keyboard.type(' Took three tries.');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => second.textContent()).toContain('I finally fixed onboarding. Took three tries.');
    expect(await second.textContent()).toContain('edited');

    // A reply that is deleted leaves a marker.
    await replyBox.click();
    await page.keyboard.type('Oops, wrong thread.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => posts.getByRole('article').count()).toBe(3);
    const third = posts.getByRole('article').nth(2);
    await third.hover();
    await third.getByRole('button', { name: 'Delete post' }).click();
    await page.getByRole('dialog', { name: 'Delete this post?' }).getByRole('button', { name: 'Delete post' }).click();
    await expect.poll(() => third.textContent()).toContain('This post was deleted');
    expect(await posts.textContent()).not.toContain('Oops, wrong thread.');

    await page.getByRole('button', { name: 'Pin thread' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Pin thread' }).getAttribute('aria-pressed')).toBe('true');
    await maya.screenshot('threads-thread.png');

    // A huge post is refused with its size, and the draft stays.
    await replyBox.click();
    const elapsed = await pasteInto(maya, '.reply-box .ProseMirror', 'x'.repeat(1_048_576));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('posts hold up to 20,000');
    console.log(`[measure] refusing a 1 MB paste into a reply took ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3_000);

    await page.reload();
    await maya.expectCommunityHome('Evening Coaching Cohort');
    await maya.openSection('Threads');
    const rows = page.getByRole('list', { name: 'Threads' });
    await expect.poll(() => rows.textContent()).toContain('Wins of the week');
    expect(await rows.textContent()).toContain('Pinned');
    expect(await rows.textContent()).toContain('1 reply');
    await maya.screenshot('threads-list.png');
    await rows.getByRole('button', { name: /Wins of the week/ }).click();
    await expect.poll(() => posts.getByRole('article').count()).toBe(3);
    expect(await posts.getByRole('article').first().locator('strong').textContent()).toBe('Small wins count.');
    expect(await posts.getByRole('article').first().getByRole('button', { name: /^🎉 1/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await posts.getByRole('article').nth(1).textContent()).toContain('Took three tries.');
    expect(await posts.getByRole('article').nth(2).textContent()).toContain('This post was deleted');
    expect(await page.getByRole('button', { name: 'Pin thread' }).getAttribute('aria-pressed')).toBe('true');
    expect(maya.errors).toEqual([]);
    await maya.leave();
  });

  it('counts what a peer wrote while away as unread, marks where it starts, and shows mentions; a malformed post is skipped and reported', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Saturday Sketch Club', purpose: 'Urban sketching around the city.', kind: 'Hobby club' });
    const page = maya.page;
    await maya.openSection('Threads');
    await page.getByRole('button', { name: 'Start a thread' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a thread' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Where do we meet on Saturday?');
    await dialog.getByRole('textbox', { name: 'First post' }).click();
    await page.keyboard.type('Market square or the harbour?');
    await dialog.getByRole('button', { name: 'Start thread' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Posts' }).getByRole('article').count()).toBe(1);
    await page.waitForTimeout(300);

    const mayaId = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.open('hearth');
          request.onsuccess = () => {
            const get = request.result.transaction('settings').objectStore('settings').get('profile');
            get.onsuccess = () => resolve((get.result.value as { memberId: string }).memberId);
          };
        }),
    );
    await peerWrites(maya, (doc) => {
      upsertMember(doc, { id: GRACE, displayName: 'Grace Hopper' });
      const thread = listThreads(doc).threads[0]!;
      reply(doc, thread.id, {
        body: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Harbour! ' },
                { type: 'mention', attrs: { id: mayaId, label: 'Maya' } },
                { type: 'text', text: ' can you bring stools?' },
              ],
            },
          ],
        },
        by: GRACE,
      });
      reply(doc, thread.id, { body: richDocFromText('I will bring the tea.'), by: GRACE });
      createThread(doc, { title: 'Ink recommendations', body: richDocFromText('Which waterproof ink do you like?'), by: GRACE });
      postsMap(doc).set(
        'brokenpost000001',
        newPostMap({
          v: 1,
          id: 'brokenpost000001',
          threadId: thread.id,
          authorId: GRACE,
          createdAt: Date.now(),
          editedAt: null,
          deletedAt: null,
          body: '<img src=x onerror=alert(1)>',
          mentions: [],
        }),
      );
    });
    await page.reload();
    await maya.expectCommunityHome('Saturday Sketch Club');
    const tabs = page.getByRole('tablist', { name: 'Community sections' });
    await expect.poll(() => tabs.getByRole('tab', { name: /^Threads/ }).textContent()).toContain('3');
    await expect.poll(() => page.getByRole('list', { name: 'Recent threads' }).textContent()).toContain('2 new');
    await maya.screenshot('home-threads-unread.png');

    await maya.openSection('Threads');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'could not be read' }).textContent())
      .toContain('One thread or post record could not be read');
    await expect.poll(() => page.getByText('3 unread posts').isVisible()).toBe(true);
    await maya.screenshot('threads-unread.png');
    await page
      .getByRole('list', { name: 'Threads' })
      .getByRole('button', { name: /Where do we meet/ })
      .click();
    const posts = page.getByRole('list', { name: 'Posts' });
    await expect.poll(() => posts.getByRole('article').count()).toBe(3);
    expect(await posts.locator('li.first-new').textContent()).toContain('New since you last looked');
    expect(await posts.locator('li.first-new').textContent()).toContain('Harbour!');
    expect(await posts.locator('.mention').first().textContent()).toBe('@Maya Okafor');
    await maya.screenshot('threads-new-since.png');

    // Reading it clears its unread count; the other thread is still new.
    await page.getByRole('button', { name: 'All threads' }).click();
    await expect.poll(() => page.getByText('1 unread post').isVisible()).toBe(true);
    await expect.poll(() => tabs.getByRole('tab', { name: /^Threads/ }).textContent()).toBe('Threads1');

    // Mention picker: @ then a name, Enter picks it.
    await page
      .getByRole('list', { name: 'Threads' })
      .getByRole('button', { name: /Ink recommendations/ })
      .click();
    await page.getByRole('textbox', { name: 'Reply' }).click();
    await page.keyboard.type('Ask @gra');
    await expect.poll(() => page.getByRole('listbox', { name: 'Mention a member' }).textContent()).toContain('Grace Hopper');
    await maya.screenshot('threads-mention-picker.png');
    await page.keyboard.press('Enter');
    await page.keyboard.type('about it');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => posts.getByRole('article').count()).toBe(2);
    expect(await posts.getByRole('article').nth(1).locator('.mention').textContent()).toBe('@Grace Hopper');
    expect(maya.errors).toEqual([]);
    await maya.leave();
  });
});

describe('in the dark theme', () => {
  it('shows a note and a thread with the dark tokens', async () => {
    const lin = await Member.arrive(app.browser, app.host.url, { colorScheme: 'dark' });
    await lin.chooseName('Lin Park');
    await lin.createCommunity({ name: 'Night Owls Writing Group', purpose: 'Writing sprints after ten.', kind: 'Hobby club' });
    const page = lin.page;
    await lin.openSection('Notes');
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByRole('textbox', { name: 'Note title' }).fill('Prompts for March');
    await page.getByRole('textbox', { name: 'Note title' }).press('Enter');
    await page.keyboard.type('## Week one');
    await page.keyboard.press('Enter');
    await page.keyboard.type('[ ] A door that should not open');
    await page.keyboard.press('Enter');
    await page.keyboard.type('A letter never sent');
    await expect.poll(() => page.getByRole('textbox', { name: 'Note text' }).locator('ul[data-type="taskList"] li').count()).toBe(2);
    await lin.screenshot('notes-dark.png');
    await lin.openSection('Threads');
    await page.getByRole('button', { name: 'Start a thread' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a thread' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Tonight’s sprint');
    await dialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    // Typed straight after Enter, as people do: every key lands in the post, none in the title.
    await page.keyboard.type('25 minutes, then we share one paragraph each.');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByRole('list', { name: 'Posts' }).getByRole('article').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Tonight’s sprint');
    expect(await page.getByRole('list', { name: 'Posts' }).textContent()).toContain('25 minutes, then we share one paragraph each.');
    await lin.screenshot('threads-dark.png');
    expect(lin.errors).toEqual([]);
    await lin.leave();
  });
});
