import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

const COMMUNITY = 'Tuesday Founders Circle';
const CODE_OF_CONDUCT = 'What is shared in the circle stays in the circle.\nBe kind, be specific, and show up prepared.';

/** Pastes the invite; with knock to join, what follows is the waiting screen, not the community. */
async function knock(member: Member, code: string): Promise<void> {
  await member.page.getByRole('button', { name: 'Join a community' }).click();
  const dialog = member.page.getByRole('dialog', { name: 'Join a community' });
  await dialog.getByRole('textbox', { name: 'Invite code or link' }).fill(code);
  await dialog.getByRole('button', { name: `Join ${COMMUNITY}` }).click();
  const waiting = member.page.getByRole('heading', { level: 1, name: 'Waiting for a facilitator to let you in' });
  await expect.poll(() => waiting.isVisible(), { timeout: 30_000 }).toBe(true);
}

async function membersText(member: Member): Promise<string> {
  return (await member.page.getByRole('list', { name: 'Members' }).textContent()) ?? '';
}

async function moderationLog(member: Member): Promise<string> {
  return (await member.page.getByRole('list', { name: 'Moderation log' }).textContent()) ?? '';
}

/** Rows this browser profile still stores for the community (directory row, log, snapshot). */
function storedRows(member: Member, communityName: string) {
  return member.page.evaluate(
    (name) =>
      new Promise<{ communities: number; updates: number; snapshots: number }>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        open.onerror = () => reject(new Error('no database'));
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction(['communities', 'updates', 'snapshots']);
          const all = read.objectStore('communities').getAll();
          all.onsuccess = () => {
            const ids = (all.result as { id: string; name: string }[]).filter((row) => row.name === name).map((row) => row.id);
            const updates = read.objectStore('updates').getAll();
            const snapshots = read.objectStore('snapshots').getAllKeys();
            read.oncomplete = () => {
              db.close();
              resolve({
                communities: ids.length,
                // Joining wrote rows for the community; after leaving, none is left for any id.
                updates: (updates.result as unknown[]).length,
                snapshots: (snapshots.result as unknown[]).length,
              });
            };
          };
        };
      }),
    communityName,
  );
}

describe('joining on the community’s terms', () => {
  it('knock to join, admit, accept the code of conduct before posting, then leave', async () => {
    // Maya founds the circle with a code of conduct (accepted by her as she writes it) and asks
    // newcomers to wait to be admitted.
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.page
      .getByRole('button', { name: /New community/ })
      .first()
      .click();
    const newDialog = maya.page.getByRole('dialog', { name: 'New community' });
    await newDialog.getByRole('textbox', { name: 'Name' }).fill(COMMUNITY);
    await newDialog.getByRole('textbox', { name: 'Purpose' }).fill('Six founders keeping each other honest.');
    await newDialog.getByRole('radio', { name: 'Mastermind circle' }).check();
    await newDialog.getByRole('textbox', { name: 'Code of conduct' }).fill(CODE_OF_CONDUCT);
    await newDialog.getByRole('button', { name: 'Create community' }).click();
    await maya.expectCommunityHome(COMMUNITY);
    expect(await maya.page.getByRole('dialog', { name: 'Code of conduct' }).count()).toBe(0);

    const joining = maya.page.getByRole('region', { name: 'Joining' });
    expect(await joining.getByRole('radio', { name: 'Anyone with the invite joins' }).isChecked()).toBe(true);
    await joining.getByRole('radio', { name: 'A facilitator admits each newcomer' }).check();
    await expect.poll(() => moderationLog(maya), { timeout: 10_000 }).toMatch(/Maya Okafor asked newcomers to wait to be admitted/);
    expect(await joining.textContent()).toContain('Nobody is waiting to be let in.');

    // Maya opens a thread for the newcomer to answer; she posts without being asked to accept anything.
    await maya.openSection('Threads');
    await maya.page.getByRole('button', { name: 'Start a thread' }).click();
    const threadDialog = maya.page.getByRole('dialog', { name: 'Start a thread' });
    await threadDialog.getByRole('textbox', { name: 'Title' }).fill('Introduce yourself');
    await threadDialog.getByRole('textbox', { name: 'Title' }).press('Enter');
    await maya.page.keyboard.type('Who are you and what are you building?');
    await maya.page.keyboard.press('ControlOrMeta+Enter');
    await threadDialog.waitFor({ state: 'hidden' });
    await maya.openSection('Home');

    const code = await maya.inviteCode();

    // Jon joins with the invite and waits: no sections, no composer, and a way to leave.
    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await knock(jon, code);
    const waitingScreen = jon.page.getByRole('region', { name: 'Waiting for a facilitator to let you in' });
    expect(await waitingScreen.textContent()).toContain(COMMUNITY);
    expect(await waitingScreen.textContent()).toContain('What happens next');
    expect(await waitingScreen.getByRole('button', { name: 'Stop waiting and leave' }).isVisible()).toBe(true);
    expect(await jon.page.getByRole('tablist', { name: 'Community sections' }).count()).toBe(0);
    expect(await jon.page.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    await expect.poll(() => jon.page.getByRole('button', { name: /^Sync: Synced with 1 member/ }).count(), { timeout: 15_000 }).toBe(1);
    await jon.screenshot('knock-waiting.png');

    // Maya sees him waiting, not yet among the members, and admits him.
    const waitingCard = maya.page.getByRole('region', { name: 'Waiting to join' });
    await expect
      .poll(() => waitingCard.getByRole('list', { name: 'Waiting to join' }).textContent(), { timeout: 30_000 })
      .toContain('Jon Bell');
    expect(await maya.page.getByRole('button', { name: '1 waiting to join' }).isVisible()).toBe(true);
    expect(await membersText(maya)).not.toContain('Jon Bell');
    await maya.screenshot('knock-admit.png');
    await waitingCard.getByRole('button', { name: 'Admit Jon Bell' }).click();
    await expect.poll(() => membersText(maya), { timeout: 10_000 }).toContain('Jon Bell');
    await expect.poll(() => moderationLog(maya)).toMatch(/Maya Okafor admitted Jon Bell/);
    expect(await maya.page.getByRole('button', { name: /waiting to join/ }).count()).toBe(0);

    // Jon is let in and shown the code of conduct at once.
    await expect.poll(() => jon.page.getByRole('heading', { level: 1, name: COMMUNITY }).isVisible(), { timeout: 30_000 }).toBe(true);
    const conduct = jon.page.getByRole('dialog', { name: 'Code of conduct' });
    await expect.poll(() => conduct.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await conduct.getByRole('document', { name: 'The code of conduct' }).textContent()).toBe(CODE_OF_CONDUCT);
    await jon.screenshot('conduct-dialog.png');
    await conduct.getByRole('button', { name: 'Not now' }).click();

    // Not accepted yet: the reply box says so instead of taking a post.
    await jon.openSection('Threads');
    await expect.poll(() => jon.page.getByText('Introduce yourself').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await jon.page.getByText('Introduce yourself').first().click();
    await expect
      .poll(() => jon.page.getByRole('note').textContent(), { timeout: 10_000 })
      .toContain('accept the code of conduct before your first post');
    expect(await jon.page.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    await jon.screenshot('conduct-gate.png');
    await jon.page.getByRole('button', { name: 'Read the code of conduct' }).click();
    await conduct.getByRole('button', { name: 'I agree' }).click();
    await conduct.waitFor({ state: 'hidden' });

    await jon.page.getByRole('textbox', { name: 'Reply' }).click();
    await jon.page.keyboard.type('Jon here, building a tool library for my street.');
    await jon.page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => jon.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 10_000 }).toContain('tool library');
    await maya.openSection('Threads');
    await maya.page.getByText('Introduce yourself').first().click();
    await expect.poll(() => maya.page.getByRole('list', { name: 'Posts' }).textContent(), { timeout: 30_000 }).toContain('tool library');
    await maya.openSection('Home');

    // Jon leaves: the confirmation says what happens, the community goes from his device, Maya sees it.
    await jon.page.getByRole('button', { name: `More for ${COMMUNITY}` }).click();
    await jon.page.getByRole('menuitem', { name: 'Leave community…' }).click();
    const leaveDialog = jon.page.getByRole('dialog', { name: `Leave ${COMMUNITY}?` });
    expect(await leaveDialog.textContent()).toMatch(/disappears from this device.*see that you left.*need a new invite/s);
    await jon.screenshot('leave-confirm.png');
    const started = Date.now();
    await leaveDialog.getByRole('button', { name: 'Leave community' }).click();
    await expect
      .poll(() => jon.page.getByRole('heading', { name: 'Start your first community' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    // Bounded: at most the 3 s push wait, plus deleting.
    expect(Date.now() - started).toBeLessThan(8_000);
    await expect
      .poll(() => jon.page.getByRole('status').filter({ hasText: 'You left' }).textContent())
      .toContain(`You left ${COMMUNITY}. The members online were told`);
    expect(await jon.page.getByRole('navigation', { name: 'Communities' }).textContent()).not.toContain(COMMUNITY);
    expect(await storedRows(jon, COMMUNITY)).toEqual({ communities: 0, updates: 0, snapshots: 0 });
    await jon.page.waitForTimeout(400); // the toast's entrance
    await jon.screenshot('left.png');

    await expect.poll(() => moderationLog(maya), { timeout: 15_000 }).toMatch(/Jon Bell left/);
    expect(await membersText(maya)).not.toContain('Jon Bell');
    await maya.page.getByRole('region', { name: 'Moderation log' }).scrollIntoViewIfNeeded();
    await maya.screenshot('member-left.png');

    // Sam knocks with the same invite and is declined (a removal, so the key moves on without Sam).
    const sam = await Member.arrive(app.browser, app.host.url);
    await sam.chooseName('Sam Ruiz');
    await knock(sam, code);
    await expect
      .poll(() => waitingCard.getByRole('list', { name: 'Waiting to join' }).textContent(), { timeout: 30_000 })
      .toContain('Sam Ruiz');
    await waitingCard.getByRole('button', { name: 'Decline Sam Ruiz' }).click();
    const decline = maya.page.getByRole('dialog', { name: 'Decline Sam Ruiz?' });
    expect(await decline.textContent()).toContain('cannot ask to join again');
    await maya.screenshot('knock-decline.png');
    await decline.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => moderationLog(maya), { timeout: 10_000 }).toMatch(/Maya Okafor declined Sam Ruiz’s request to join/);
    expect(await maya.page.getByRole('region', { name: 'Waiting to join' }).count()).toBe(0);
    await expect
      .poll(() => sam.page.getByRole('heading', { level: 1, name: `You are not a member of ${COMMUNITY}` }).isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(await sam.page.getByRole('article').textContent()).toContain('Maya Okafor declined your request to join.');
    await sam.screenshot('knock-declined.png');
    await sam.page.getByRole('button', { name: 'Remove it from this device' }).click();
    await expect
      .poll(() => sam.page.getByRole('heading', { name: 'Start your first community' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(sam.errors).toEqual([]);

    expect(maya.errors).toEqual([]);
    expect(jon.errors).toEqual([]);
  });
});
