// The membership log is append-only in fact: after the owner removes a member, another member's device
// deletes the removal entry (forged into its own stored copy, the most a member holding the key can
// do) to bring the removed member back. The owner's app writes the entry back the moment the deletion
// arrives, says so in the sync details, and both apps show the removal standing.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Member, appendStoredUpdate, useBrowserMode } from './harness.js';

const app = useBrowserMode();

const membersOf = (member: Member) => member.page.getByRole('list', { name: 'Members' }).textContent();

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

describe('the membership log is append-only in fact', () => {
  it('a member’s device deletes the removal of another member: the owner’s app writes it back, and the removal stands everywhere', async () => {
    const maya = await Member.arrive(app.browser, app.host.url);
    await maya.chooseName('Maya Okafor');
    await maya.createCommunity({ name: 'Kiln Collective', purpose: 'Potters sharing a studio.', kind: 'Hobby club' });
    const code = await maya.inviteCode();
    const jon = await Member.arrive(app.browser, app.host.url);
    await jon.chooseName('Jon Bell');
    await jon.joinWith(code, 'Kiln Collective');
    const priya = await Member.arrive(app.browser, app.host.url);
    await priya.chooseName('Priya Shah');
    await priya.joinWith(code, 'Kiln Collective');
    await expect.poll(() => membersOf(maya), { timeout: 30_000 }).toMatch(/Jon Bell[\s\S]*Priya Shah|Priya Shah[\s\S]*Jon Bell/);

    // ---------- Maya removes Priya; Jon's app follows ----------
    await maya.page.getByRole('button', { name: 'Actions for Priya Shah' }).click();
    await maya.page.getByRole('menuitem', { name: 'Remove from community' }).click();
    await maya.page.getByRole('dialog', { name: 'Remove Priya Shah from the community?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => membersOf(maya), { timeout: 10_000 }).not.toContain('Priya Shah');
    await expect.poll(() => membersOf(jon), { timeout: 60_000 }).not.toContain('Priya Shah');

    // ---------- Jon's device deletes the removal entry from his own copy ----------
    const communityId = /#\/c\/([^/?]+)/.exec(jon.page.url())?.[1];
    expect(communityId).toBeTruthy();
    const rows = await storedRows(jon, communityId!);
    const doc = new Y.Doc();
    if (rows.snapshot) Y.applyUpdateV2(doc, new Uint8Array(rows.snapshot));
    for (const update of rows.updates) Y.applyUpdateV2(doc, new Uint8Array(update));
    const log = doc.getMap('membershipLog');
    const removal = [...log.entries()].find(([, entry]) => (entry as { kind?: string }).kind === 'remove');
    expect(removal).toBeTruthy();
    const before = Y.encodeStateVector(doc);
    log.delete(removal![0]);
    await appendStoredUpdate(jon, communityId!, Y.encodeStateAsUpdateV2(doc, before));
    await jon.page.reload();
    await jon.expectCommunityHome('Kiln Collective');

    // The deletion reaches Maya, whose app writes the entry back and says so in the sync details.
    await maya.page.getByRole('button', { name: /^Sync:/ }).click();
    const details = maya.page.getByRole('dialog', { name: 'Sync' });
    await expect
      .poll(() => details.textContent(), { timeout: 60_000 })
      .toContain('one entry deleted by a member’s device, and written back');
    await maya.screenshot('log-entry-written-back.png');
    await details.getByRole('button', { name: 'Done' }).click();

    // The removal stands in both apps: Priya is not a member, and the moderation log still says why.
    await expect.poll(() => membersOf(jon), { timeout: 60_000 }).not.toContain('Priya Shah');
    expect(await membersOf(maya)).not.toContain('Priya Shah');
    await expect
      .poll(() => maya.page.getByRole('list', { name: 'Moderation log' }).textContent(), { timeout: 10_000 })
      .toMatch(/Maya Okafor removed Priya Shah/);
    await expect
      .poll(() => jon.page.getByRole('list', { name: 'Moderation log' }).textContent(), { timeout: 30_000 })
      .toMatch(/Maya Okafor removed Priya Shah/);
  });
});
