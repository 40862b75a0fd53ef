// The membership and moderation logs are append-only in fact, and a member's device cannot undo a
// moderator's entry by editing its own store: a member whose post the owner hid has their device
// delete the hide in its stored copy (the most a member holding the key can do to their own disk).
// With signed changes, a stored row that was never signed never leaves that device: loading is not a
// local transaction, so nothing signs it, and peers take only signed changes. So the forged deletion
// stays home: the forger's own app shows the post again, the owner's app never receives the deletion
// (nothing refused, nothing to write back) and keeps the post hidden, while what the member writes
// afterwards still reaches the owner. (A signed deletion, sent on purpose, is refused by every
// receiver: tests/e2e/signed-changes.test.ts and tests/integration/hostile-member.test.ts.)
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Member, appendStoredUpdate, useBrowserMode } from './harness.js';

const app = useBrowserMode();

const membersOf = (member: Member) => member.page.getByRole('list', { name: 'Members' }).textContent();
const posts = (member: Member) => member.page.getByRole('list', { name: 'Posts' });

/** The member's stored copy of a community, read out of their IndexedDB as the app keeps it. */
async function storedRows(member: Member, communityId: string): Promise<{ snapshot: number[] | null; updates: number[][] }> {
  return member.page.evaluate(async (communityId) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('hearth');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error('no database'));
    });
    const read = <T>(store: string, query?: IDBValidKey | IDBKeyRange) =>
      new Promise<T>((resolve, reject) => {
        const request =
          query === undefined ? db.transaction(store).objectStore(store).getAll() : db.transaction(store).objectStore(store).get(query);
        request.onsuccess = () => resolve(request.result as T);
        request.onerror = () => reject(new Error(`could not read ${store}`));
      });
    const snapshot = await read<{ snapshot: Uint8Array } | undefined>('snapshots', communityId);
    const updates = (await read<{ seq: number; communityId: string; update: Uint8Array }[]>('updates'))
      .filter((row) => row.communityId === communityId)
      .sort((a, b) => a.seq - b.seq);
    db.close();
    return { snapshot: snapshot ? Array.from(snapshot.snapshot) : null, updates: updates.map((row) => Array.from(row.update)) };
  }, communityId);
}

describe('the moderation log is append-only in fact', () => {
  it('a member’s device deletes the hide of their own post in its store: the deletion stays on that device, and the post stays hidden for the owner', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Kiln Collective', purpose: 'Potters sharing a studio.', kind: 'Hobby club' });
    const code = await maya.inviteCode();
    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await jon.joinWith(code, 'Kiln Collective');
    await expect.poll(() => membersOf(maya), { timeout: 30_000 }).toContain('Jon Bell');

    // ---------- Jon posts; Maya hides his reply ----------
    await jon.startThread('Glaze firing schedule', 'Cone 6 on Thursdays, cone 10 once a month.');
    await jon.page.getByText('Glaze firing schedule').first().click();
    await jon.page.getByRole('textbox', { name: 'Reply' }).click();
    await jon.page.keyboard.type('An off-topic rant');
    await jon.page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => posts(jon).textContent(), { timeout: 10_000 }).toContain('An off-topic rant');
    await maya.openSection('Threads');
    await expect.poll(() => maya.page.getByText('Glaze firing schedule').first().isVisible(), { timeout: 30_000 }).toBe(true);
    await maya.page.getByText('Glaze firing schedule').first().click();
    const rant = posts(maya).locator('li[data-post-id]', { hasText: 'An off-topic rant' });
    await expect.poll(() => rant.count(), { timeout: 30_000 }).toBe(1);
    await rant.getByRole('button', { name: 'Hide post' }).click();
    await expect.poll(() => posts(jon).textContent(), { timeout: 30_000 }).toContain('Hidden by a facilitator.');

    // ---------- Jon's device deletes the hide from his own copy ----------
    const appUrl = jon.page.url();
    const communityId = /#\/c\/([^/?]+)/.exec(appUrl)?.[1];
    expect(communityId).toBeTruthy();
    // The app is closed while its store is changed (it flushes on the way out), as a modified app
    // would write: a running app could compact the forged row away before it ever read it. The same
    // origin's JSON page keeps the store's database reachable.
    await jon.page.goto(new URL('/api/app-info', appUrl).href);
    const rows = await storedRows(jon, communityId!);
    const doc = new Y.Doc();
    if (rows.snapshot) Y.applyUpdateV2(doc, new Uint8Array(rows.snapshot));
    for (const update of rows.updates) Y.applyUpdateV2(doc, new Uint8Array(update));
    const log = doc.getMap('moderationLog');
    const hide = [...log.entries()].find(([, entry]) => (entry as { kind?: string }).kind === 'hide');
    expect(hide).toBeTruthy();
    const before = Y.encodeStateVector(doc);
    log.delete(hide![0]);
    await appendStoredUpdate(jon, communityId!, Y.encodeStateAsUpdateV2(doc, before));
    await jon.page.goto(appUrl);
    await jon.expectCommunityHome('Kiln Collective');

    // On Jon's own device the forged row took effect: his copy no longer holds the hide.
    await jon.openSection('Threads');
    await jon.page.getByText('Glaze firing schedule').first().click();
    await expect.poll(() => posts(jon).textContent(), { timeout: 30_000 }).toContain('An off-topic rant');
    expect(await posts(jon).textContent()).not.toContain('Hidden by a facilitator.');

    // Jon's app is back in the room with Maya's: what he writes now is signed, and reaches her.
    await jon.page.getByRole('textbox', { name: 'Reply' }).click();
    await jon.page.keyboard.type('Back after a restart');
    await jon.page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => posts(maya).textContent(), { timeout: 60_000 }).toContain('Back after a restart');
    // The deletion never came with it: nothing was refused, nothing had to be written back, and the
    // rant stays hidden for Maya with the hide still in her log.
    expect(await posts(maya).textContent()).not.toContain('An off-topic rant');
    await maya.page.getByRole('button', { name: /^Sync:/ }).click();
    const details = maya.page.getByRole('dialog', { name: 'Sync' });
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toMatch(/Changes refusednone/);
    expect(await details.textContent()).toContain('Membership and moderation log entries written backnone: nothing was deleted');
    await maya.screenshot('forged-deletion-stays-home.png');
    await details.getByRole('button', { name: 'Done' }).click();
    await maya.openSection('Home');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Moderation log' }).textContent(), { timeout: 10_000 })
      .toMatch(/Maya Okafor hid a post/);
  });
});
