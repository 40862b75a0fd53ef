// Two members on two devices run a mastermind session from Hearth: Maya facilitates from the hot-seat
// template; Jon — whose computer clock is two and a half minutes fast — sees the same item and the same
// countdown, raises his hand, takes a commitment that lands on the board with him as its owner, and
// checks in on it at the next session of the series. Then an event with RSVPs and an .ics export, and a
// poll both vote in (including a vote for an option that is removed under Jon's feet).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();
let maya: Member;
let jon: Member;

/** Jon's clock runs this far ahead of Maya's (and of the real time). */
const JON_CLOCK_AHEAD_MS = 150_000;

function seconds(text: string): number {
  const negative = text.startsWith('−');
  const parts = text.replace('−', '').split(':').map(Number);
  const total = parts.reduce((sum, part) => sum * 60 + part, 0);
  return negative ? -total : total;
}

async function timeLeft(page: Page): Promise<number> {
  return seconds((await page.getByRole('timer', { name: 'Time left' }).textContent()) ?? '');
}

async function currentItem(page: Page): Promise<string> {
  return (await page.getByRole('region', { name: 'Current agenda item' }).getByRole('heading', { level: 3 }).first().textContent()) ?? '';
}

/** Scrolls the session's page to its header, for screenshots that show what a member looks at. */
async function scrollToSession(member: Member): Promise<void> {
  await member.page.getByRole('button', { name: 'All sessions' }).evaluate((element) => element.scrollIntoView({ block: 'start' }));
}

async function openSessionsTab(member: Member, tab: 'Sessions' | 'Events' | 'Polls'): Promise<void> {
  await member.openSection('Sessions');
  await member.page.getByRole('navigation', { name: 'Sessions, events and polls' }).getByRole('button', { name: tab }).click();
}

describe('a facilitated session between two members', () => {
  it('invites Jon, whose clock is off, into the community', async () => {
    maya = await Member.arrive(app.browser, app.host.url);
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
    await inviteDialog.getByRole('button', { name: 'Done', exact: true }).click();

    jon = await Member.arrive(app.browser, app.host.url);
    // Jon's computer clock is wrong: everything in his app.browser reads a time 2.5 minutes ahead.
    await jon.context.clock.install({ time: Date.now() + JON_CLOCK_AHEAD_MS });
    await jon.page.reload();
    expect((await jon.page.evaluate(() => Date.now())) - Date.now()).toBeGreaterThan(JON_CLOCK_AHEAD_MS - 10_000);
    await jon.chooseName('Jon Bell');
    await jon.page.getByRole('button', { name: 'Join a community' }).click();
    const joinDialog = jon.page.getByRole('dialog', { name: 'Join a community' });
    await joinDialog.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
    await joinDialog.getByRole('button', { name: 'Join Tuesday Founders Circle' }).click();
    await jon.expectCommunityHome('Tuesday Founders Circle');
    await expect
      .poll(async () => (await maya.page.getByRole('list', { name: 'Members' }).textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/Jon Bell, online now/);
    await expect
      .poll(async () => (await jon.page.getByRole('list', { name: 'Members' }).textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/Maya Okafor, online now/);
  }, 120_000);

  it('Maya plans a hot-seat session from the template and starts it; Jon sees the same item and time', async () => {
    await maya.openSection('Sessions');
    await expect.poll(() => maya.page.getByRole('heading', { name: 'No sessions yet' }).isVisible()).toBe(true);
    await maya.page.getByRole('button', { name: 'Plan a session' }).first().click();
    const dialog = maya.page.getByRole('dialog', { name: 'Plan a session' });
    await dialog.getByRole('radio', { name: /Mastermind hot seat/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Hot seats' }).fill('2');
    await dialog.getByRole('spinbutton', { name: 'Minutes each' }).fill('15');
    await dialog.getByRole('textbox', { name: 'Title' }).fill('March mastermind');
    expect(await dialog.getByLabel('Agenda preview').textContent()).toContain(
      'Check-in round · Hot seat 1 · Hot seat 2 · Commitments round',
    );
    await maya.screenshot('sessions-new-dialog.png');
    await dialog.getByRole('button', { name: 'Plan session' }).click();
    await expect.poll(() => maya.page.getByRole('heading', { level: 2, name: 'March mastermind' }).isVisible()).toBe(true);

    // A time box that makes no sense is refused in words, and nothing changes.
    const minutes = maya.page.getByRole('spinbutton', { name: 'Minutes for Check-in round' });
    await minutes.fill('-5');
    await minutes.press('Enter');
    await expect.poll(() => maya.page.getByRole('alert').first().textContent()).toContain('A time box cannot be negative.');
    await minutes.fill('10');
    await minutes.press('Enter');
    await maya.screenshot('sessions-plan.png');

    await maya.page.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(() => currentItem(maya.page)).toBe('Check-in round');

    // Jon finds it live on the community home and joins.
    await jon.openSection('Home');
    await jon.page.getByRole('button', { name: /Live now.*March mastermind/ }).click({ timeout: 20_000 });
    await expect.poll(() => currentItem(jon.page), { timeout: 20_000 }).toBe('Check-in round');
    // The same remaining time on both screens, within a second, although Jon's clock is 2.5 min fast.
    await expect
      .poll(
        async () => {
          const [onMaya, onJon] = await Promise.all([timeLeft(maya.page), timeLeft(jon.page)]);
          return Math.abs(onMaya - onJon);
        },
        { timeout: 20_000 },
      )
      .toBeLessThanOrEqual(1);
    const left = await timeLeft(jon.page);
    expect(left).toBeGreaterThan(9 * 60);
    expect(left).toBeLessThanOrEqual(10 * 60);
    await expect.poll(() => jon.page.getByText(/follows Maya Okafor’s clock \(yours is 2 min \d+ s ahead\)/).isVisible()).toBe(true);
  }, 120_000);

  it('Jon raises his hand; Maya calls him, pauses, and moves on to the hot seat', async () => {
    await jon.page.getByRole('button', { name: 'Raise hand' }).click();
    await expect
      .poll(async () => (await maya.page.getByRole('list', { name: 'Raised hands' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('Jon Bell');
    await maya.page.getByRole('button', { name: 'Call Jon Bell' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('status').filter({ hasText: 'Speaking now' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('Jon Bell');
    expect(await maya.page.getByRole('list', { name: 'Raised hands' }).count()).toBe(0);

    // Paused, the countdown stands still on both sides.
    await maya.page.getByRole('group', { name: 'Timer' }).getByRole('button', { name: 'Pause' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('region', { name: 'Current agenda item' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('Paused');
    const paused = await timeLeft(jon.page);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await timeLeft(jon.page)).toBe(paused);
    expect(await timeLeft(maya.page)).toBe(paused);

    await maya.page.getByRole('button', { name: 'Next item' }).click();
    for (const member of [maya, jon]) {
      await expect.poll(() => currentItem(member.page), { timeout: 15_000 }).toBe('Hot seat 1');
      await expect
        .poll(async () => (await member.page.getByRole('region', { name: 'Current agenda item' }).textContent()) ?? '')
        .toContain('On the hot seat: Maya Okafor');
    }
    await expect
      .poll(async () => Math.abs((await timeLeft(maya.page)) - (await timeLeft(jon.page))), { timeout: 15_000 })
      .toBeLessThanOrEqual(1);
    expect(await timeLeft(jon.page)).toBeGreaterThan(14 * 60);
    // The check-in item is done on both agendas.
    await expect
      .poll(async () => (await jon.page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').first().textContent()) ?? '')
      .toContain('done');
  }, 120_000);

  it('an action item made in the session becomes a card on the board with its owner', async () => {
    const actions = maya.page.getByRole('region', { name: 'Action items' });
    await actions.getByRole('button', { name: 'Create a “Commitments” board' }).click();
    await actions.getByRole('textbox', { name: 'Commitment' }).fill('Send the investor update');
    await actions.getByRole('combobox', { name: 'Owner' }).selectOption({ label: 'Jon Bell' });
    await actions.getByLabel('Due date').fill('2031-03-14');
    await actions.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('list', { name: 'Action items' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('Send the investor update');

    // Live notes: what Jon types, Maya reads.
    const jonNotes = jon.page.getByRole('region', { name: 'Live notes' }).getByRole('textbox', { name: 'Note text' });
    await jonNotes.click();
    await jonNotes.pressSequentially('Maya: test the annual plan with five customers.');
    await expect
      .poll(async () => (await maya.page.getByRole('region', { name: 'Live notes' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('test the annual plan with five customers');

    await jon.page.getByRole('button', { name: 'Raise hand' }).click();
    await expect
      .poll(async () => (await maya.page.getByRole('list', { name: 'Raised hands' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('Jon Bell');
    await scrollToSession(maya);
    await scrollToSession(jon);
    await maya.screenshot('sessions-run-facilitator.png');
    await jon.screenshot('sessions-run-member.png');

    // On the board: a card for Jon, due on the 14th.
    await jon.openSection('Boards');
    const card = jon.page.getByRole('region', { name: 'Column To do' }).getByRole('button', { name: /Send the investor update/ });
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('Assigned to Jon Bell');
    expect(await card.textContent()).toMatch(/14/);
    await jon.openSection('Sessions');
    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
  }, 120_000);

  it('the session ends, and the next one in the series opens with the check-in', async () => {
    await maya.page.getByRole('button', { name: 'End session' }).click();
    await maya.page.getByRole('dialog', { name: 'End the session for everyone?' }).getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => maya.page.getByRole('button', { name: 'Plan the next session' }).isVisible()).toBe(true);
    // Attendance was recorded from who was here.
    await expect
      .poll(async () => (await maya.page.getByRole('list', { name: 'Attendance' }).textContent()) ?? '')
      .toMatch(/Jon Bell.*was here|Jon Bell/);
    expect(await maya.page.getByRole('checkbox', { name: 'Jon Bell present' }).isChecked()).toBe(true);
    await maya.page.getByRole('button', { name: 'Plan the next session' }).click();
    await expect.poll(() => maya.page.getByRole('region', { name: 'Check-in on last session’s commitments' }).isVisible()).toBe(true);

    await jon.page.getByRole('button', { name: 'All sessions' }).click();
    await expect.poll(() => jon.page.getByRole('region', { name: 'Past sessions' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await jon.screenshot('sessions-list.png');
    await jon.page
      .getByRole('region', { name: 'Upcoming sessions' })
      .getByRole('button', { name: /March mastermind/ })
      .click({ timeout: 15_000 });
    const checkIn = jon.page.getByRole('region', { name: 'Check-in on last session’s commitments' });
    await expect.poll(() => checkIn.textContent(), { timeout: 15_000 }).toContain('Send the investor update');
    await checkIn
      .getByRole('group', { name: 'Check in on Send the investor update' })
      .getByRole('button', { name: 'Done', exact: true })
      .click();
    await expect
      .poll(
        () =>
          maya.page
            .getByRole('group', { name: 'Check in on Send the investor update' })
            .getByRole('button', { name: 'Done', exact: true })
            .getAttribute('aria-pressed'),
        { timeout: 15_000 },
      )
      .toBe('true');
    await scrollToSession(jon);
    await jon.screenshot('sessions-check-in.png');
  }, 120_000);

  it('a format the community saved is deleted from Plan a session after confirming, for both members', async () => {
    // Maya is on the next session of the series, still planned: she saves its agenda as a format.
    await maya.page.getByRole('textbox', { name: 'Template name' }).fill('Founders format');
    await maya.page.getByRole('button', { name: 'Save template' }).click();
    const planDialog = async (member: Member) => {
      await member.page.getByRole('button', { name: 'All sessions' }).click();
      await member.page.getByRole('button', { name: 'Plan a session' }).first().click();
      return member.page.getByRole('dialog', { name: 'Plan a session' });
    };
    const onMaya = await planDialog(maya);
    const onJon = await planDialog(jon);
    const saved = (dialog: Awaited<ReturnType<typeof planDialog>>) => dialog.getByRole('radio', { name: /Founders format/ });
    await expect.poll(() => saved(onMaya).count()).toBe(1);
    await expect.poll(() => saved(onJon).count(), { timeout: 15_000 }).toBe(1);
    await jon.screenshot('sessions-saved-format.png');
    // Only the community's own format offers a delete; Hearth's built-in ones do not.
    expect(await onMaya.getByRole('button', { name: /^Delete format/ }).count()).toBe(1);
    expect(await onMaya.getByRole('button', { name: /^Delete format Mastermind/ }).count()).toBe(0);

    await onMaya.getByRole('button', { name: 'Delete format Founders format' }).click();
    const confirm = maya.page.getByRole('dialog', { name: 'Delete the format “Founders format”?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await maya.screenshot('sessions-delete-format-confirm.png');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.isVisible()).toBe(false);
    // Cancelling keeps the format and the planning dialog.
    expect(await onMaya.isVisible()).toBe(true);
    expect(await saved(onMaya).count()).toBe(1);
    await onMaya.getByRole('button', { name: 'Delete format Founders format' }).click();
    await confirm.getByRole('button', { name: 'Delete format' }).click();
    await expect.poll(() => saved(onMaya).count()).toBe(0);
    await expect.poll(() => saved(onJon).count(), { timeout: 15_000 }).toBe(0);
    expect(await onMaya.isVisible()).toBe(true);
    await maya.screenshot('sessions-format-deleted.png');
    await onMaya.getByRole('button', { name: 'Cancel' }).click();
    await onJon.getByRole('button', { name: 'Cancel' }).click();
    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
  }, 120_000);

  it('an event with RSVPs from both, refused when it ends before it starts, exported as .ics', async () => {
    await openSessionsTab(maya, 'Events');
    await maya.page.getByRole('button', { name: 'Schedule an event' }).click();
    const dialog = maya.page.getByRole('dialog', { name: 'Schedule an event' });
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Founders dinner; “Q2”, planning \\ ok?');
    await dialog.getByLabel('Starts').fill('2031-04-08T19:00');
    await dialog.getByLabel('Ends').fill('2031-04-08T18:00');
    await dialog.getByRole('combobox', { name: 'Time zone' }).selectOption('Europe/Berlin');
    await dialog.getByRole('combobox', { name: 'Repeats' }).selectOption('weekly');
    await dialog.getByRole('button', { name: 'Schedule event' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('The event ends before it starts. Check the end date and time.');
    await dialog.getByLabel('Ends').fill('2031-04-08T21:30');
    await dialog
      .getByRole('textbox', { name: 'Description' })
      .fill('Upstairs at Lumen.\nBring one number you are proud of, and one you are not.');
    await maya.screenshot('events-dialog.png');
    await dialog.getByRole('button', { name: 'Schedule event' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await openSessionsTab(jon, 'Events');
    const jonEvent = jon.page.getByRole('group', { name: /Your answer for Founders dinner/ });
    await jonEvent.getByRole('button', { name: /Going/ }).click({ timeout: 15_000 });
    await maya.page
      .getByRole('group', { name: /Your answer for Founders dinner/ })
      .getByRole('button', { name: /Maybe/ })
      .click();
    await expect
      .poll(async () => (await maya.page.getByLabel(/^Going:/).getAttribute('aria-label')) ?? '', { timeout: 15_000 })
      .toBe('Going: Jon Bell');
    await expect.poll(() => jonEvent.getByRole('button', { name: /Maybe/ }).textContent(), { timeout: 15_000 }).toContain('1');
    await maya.screenshot('events.png');

    const [download] = await Promise.all([
      maya.page.waitForEvent('download'),
      maya.page.getByRole('button', { name: /Export Founders dinner.* as \.ics/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Founders dinner Q2 planning ok.ics');
    const ics = readFileSync((await download.path())!, 'utf8');
    expect(ics).toContain('SUMMARY:Founders dinner\\; “Q2”\\, planning \\\\ ok?');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20310408T190000');
    expect(ics).toContain('RRULE:FREQ=WEEKLY');
    expect(ics).toContain('DESCRIPTION:Upstairs at Lumen.\\nBring one number you are proud of\\,');
    expect(ics).toContain('BEGIN:VTIMEZONE');
  }, 120_000);

  it('the Events and Polls tabs count what is still to come; the asker deletes a poll after confirming', async () => {
    const tab = (member: Member, name: 'Events' | 'Polls') =>
      member.page.getByRole('navigation', { name: 'Sessions, events and polls' }).getByRole('button', { name });
    await openSessionsTab(maya, 'Polls');
    // The founders dinner, weekly from 2031, is the one upcoming event; no poll is open yet.
    expect(await tab(maya, 'Events').textContent()).toMatch(/Events\s*1$/);
    expect(await tab(maya, 'Polls').textContent()).toMatch(/Polls$/);
    await maya.page.getByRole('button', { name: 'New poll' }).click();
    const dialog = maya.page.getByRole('dialog', { name: 'New poll' });
    await dialog.getByRole('textbox', { name: 'Question' }).fill('Pizza or pasta?');
    await dialog.getByRole('textbox', { name: 'Option 1' }).fill('Pizza');
    await dialog.getByRole('textbox', { name: 'Option 2' }).fill('Pasta');
    await dialog.getByRole('button', { name: 'Start poll' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => tab(maya, 'Polls').textContent()).toMatch(/Polls\s*1$/);
    await openSessionsTab(jon, 'Polls');
    await expect.poll(() => jon.page.getByRole('listitem', { name: 'Pizza or pasta?' }).count(), { timeout: 15_000 }).toBe(1);
    // Only the asker is offered the delete.
    expect(await jon.page.getByRole('button', { name: 'Delete poll Pizza or pasta?' }).count()).toBe(0);

    await maya.page.getByRole('button', { name: 'Delete poll Pizza or pasta?' }).click();
    const confirm = maya.page.getByRole('dialog', { name: 'Delete the poll “Pizza or pasta?”?' });
    await maya.screenshot('polls-delete-confirm.png');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.isVisible()).toBe(false);
    expect(await maya.page.getByRole('listitem', { name: 'Pizza or pasta?' }).count()).toBe(1);
    await maya.page.getByRole('button', { name: 'Delete poll Pizza or pasta?' }).click();
    await confirm.getByRole('button', { name: 'Delete poll' }).click();
    await expect.poll(() => maya.page.getByRole('listitem', { name: 'Pizza or pasta?' }).count()).toBe(0);
    await expect.poll(() => jon.page.getByRole('listitem', { name: 'Pizza or pasta?' }).count(), { timeout: 15_000 }).toBe(0);
    expect(await tab(maya, 'Polls').textContent()).toMatch(/Polls$/);
  }, 120_000);

  it('a poll both vote in; a vote for an option removed meanwhile is told, not lost silently', async () => {
    await openSessionsTab(maya, 'Polls');
    await maya.page.getByRole('button', { name: 'New poll' }).click();
    const dialog = maya.page.getByRole('dialog', { name: 'New poll' });
    await dialog.getByRole('textbox', { name: 'Question' }).fill('Where do we meet in April?');
    await dialog.getByRole('textbox', { name: 'Option 1' }).fill('Library');
    await dialog.getByRole('textbox', { name: 'Option 2' }).fill('Café Lumen');
    await dialog.getByRole('button', { name: 'Add an option' }).click();
    await dialog.getByRole('textbox', { name: 'Option 3' }).fill('Online');
    await maya.screenshot('polls-new-dialog.png');
    await dialog.getByRole('button', { name: 'Start poll' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const options = (member: Member) => member.page.getByRole('list', { name: 'Options for Where do we meet in April?' });
    await options(maya)
      .getByRole('button', { name: /^Library/ })
      .click();
    await openSessionsTab(jon, 'Polls');
    await options(jon)
      .getByRole('button', { name: /^Online/ })
      .click({ timeout: 15_000 });
    await expect
      .poll(
        () =>
          options(maya)
            .getByRole('button', { name: /^Online/ })
            .textContent(),
        { timeout: 15_000 },
      )
      .toMatch(/1 vote/);

    await maya.page.getByRole('button', { name: 'Remove option Online' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('status').filter({ hasText: 'no longer counts' }).textContent()) ?? '', {
        timeout: 15_000,
      })
      .toContain('Your vote for “Online” no longer counts: that option was removed. Vote again below.');
    await jon.screenshot('polls-removed-option.png');
    await options(jon)
      .getByRole('button', { name: /^Café Lumen/ })
      .click();
    await options(jon)
      .getByRole('button', { name: /^Library/ })
      .click();
    await expect
      .poll(
        () =>
          options(maya)
            .getByRole('button', { name: /^Library/ })
            .textContent(),
        { timeout: 15_000 },
      )
      .toMatch(/2 votes/);
    expect(
      await options(maya)
        .getByRole('button', { name: /^Café Lumen/ })
        .textContent(),
    ).toMatch(/0 votes/);
    expect(await maya.page.getByRole('listitem', { name: 'Where do we meet in April?' }).textContent()).toContain('2 votes');
    await maya.screenshot('polls.png');

    // A scheduling poll: both answer for each time, and Maya turns the best one into an event.
    await maya.page.getByRole('button', { name: 'New poll' }).click();
    await dialog.getByRole('textbox', { name: 'Question' }).fill('Q2 planning day');
    await dialog.getByRole('radio', { name: /Find a time/ }).check();
    await dialog.getByRole('button', { name: 'Start poll' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const times = (member: Member) => member.page.getByRole('listitem', { name: 'Q2 planning day' }).getByRole('row');
    await expect.poll(() => times(jon).count(), { timeout: 15_000 }).toBe(3);
    await times(jon).nth(1).getByRole('button', { name: 'If need be' }).click();
    await times(jon).nth(2).getByRole('button', { name: 'Yes', exact: true }).click();
    await times(maya).nth(1).getByRole('button', { name: 'No', exact: true }).click();
    await times(maya).nth(2).getByRole('button', { name: 'Yes', exact: true }).click();
    await expect.poll(() => times(maya).nth(2).textContent(), { timeout: 15_000 }).toContain('Best so far');
    await expect.poll(() => times(jon).nth(2).getByRole('cell').nth(1).textContent(), { timeout: 15_000 }).toBe('2');
    await maya.screenshot('polls-schedule.png');
    await times(maya).nth(2).getByRole('button', { name: 'Make it the event' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('listitem', { name: 'Q2 planning day' }).textContent()) ?? '', { timeout: 15_000 })
      .toContain('This poll became an event.');
    await jon.page.getByRole('button', { name: 'See it in Events' }).click();
    await expect
      .poll(async () => (await jon.page.getByRole('list', { name: 'Upcoming events' }).textContent()) ?? '')
      .toContain('Q2 planning day');

    await maya.openSection('Home');
    // Home shows what is next: the session planned for next week, the planning day the poll chose, the poll.
    await expect
      .poll(async () => (await maya.page.getByRole('region', { name: 'Sessions' }).textContent()) ?? '')
      .toContain('Q2 planning day');
    await maya.screenshot('home-sessions.png');
    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
    await maya.leave();
    await jon.leave();
  }, 120_000);
});
