import { describe, expect, it } from 'vitest';
import { Member, useBrowserMode } from './harness.js';

const app = useBrowserMode();

/** Writes a row straight into Hearth's IndexedDB, as a damaged disk or a foreign program would. */
async function writeRawRow(member: Member, table: 'updates' | 'communities', row: Record<string, unknown>): Promise<void> {
  await member.page.evaluate(
    ({ table, row }) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('hearth');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction(table, 'readwrite');
          transaction.objectStore(table).add(row);
          transaction.oncomplete = () => {
            db.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { table, row },
  );
}

/**
 * Flips one bit in the middle of a saved change of the community, as a failing disk would: a row a
 * third into its log, among the founder's own changes, so the founder's later changes build on it.
 * The row's checksum no longer matches. Returns how many rows the log held.
 */
async function flipBitInSavedChange(member: Member, communityId: string): Promise<number> {
  return member.page.evaluate(
    (communityId) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('hearth');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction('updates', 'readwrite');
          const updates = transaction.objectStore('updates');
          const all = updates.getAll();
          let count = 0;
          all.onsuccess = () => {
            const everything = all.result as { communityId: string; update: Uint8Array }[];
            const rows = everything.filter((row) => row.communityId === communityId);
            count = rows.length;
            const row = rows[Math.floor(rows.length / 3)];
            if (!row) return reject(new Error('no saved changes to damage'));
            row.update[Math.floor(row.update.byteLength / 2)]! ^= 0b10000;
            updates.put(row);
            // And the device's second copy, its signed changes (kept under "<id>changes"): otherwise that
            // copy fills the gap at once (tests/unit/signed-changes.test.ts), and no member's is needed.
            for (const change of everything.filter((candidate) => candidate.communityId === `${communityId}changes`)) {
              change.update[Math.floor(change.update.byteLength / 2)]! ^= 0b10000;
              updates.put(change);
            }
          };
          transaction.oncomplete = () => {
            db.close();
            resolve(count);
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    communityId,
  );
}

async function statusText(member: Member): Promise<string> {
  return (await member.page.getByRole('status').allTextContents()).join(' ');
}

async function setWorkingOffline(member: Member, offline: boolean): Promise<void> {
  await member.page.getByRole('button', { name: /^Sync:/ }).click();
  const details = member.page.getByRole('dialog', { name: 'Sync' });
  await details.getByRole('button', { name: offline ? 'Work offline' : 'Go back online' }).click();
  await details.getByRole('button', { name: 'Done' }).click();
}

describe('bad input from the local database', () => {
  it('sets aside a corrupted row and a damaged directory entry, keeps running, and loses nothing', async () => {
    const sam = await Member.arrive(app.browser, app.host.url);
    await sam.chooseName('Sam Rivera');
    await sam.createCommunity({ name: 'Garden Allotment Club', purpose: 'Plot 14 to 22, sharing tools and seeds.', kind: 'Hobby club' });
    const communityId = /#\/c\/([0-9a-z]+)/.exec(sam.page.url())?.[1];
    expect(communityId).toBeTruthy();

    await writeRawRow(sam, 'updates', { communityId, update: new Uint8Array([255, 0, 1, 2, 3, 4, 5]) });
    await writeRawRow(sam, 'updates', { communityId, update: 'definitely not bytes' });
    await writeRawRow(sam, 'communities', { id: 'zzzzzzzzzzzzzzzz', name: 12 });
    await sam.page.reload();

    await sam.expectCommunityHome('Garden Allotment Club');
    const statuses = sam.page.getByRole('status');
    await expect.poll(async () => (await statuses.allTextContents()).join(' ')).toContain('2 saved changes were damaged and set aside');
    expect((await statuses.allTextContents()).join(' ')).toContain('One community entry on this device could not be read');
    expect(await sam.page.getByRole('article').textContent()).toContain('Plot 14 to 22, sharing tools and seeds.');
    expect(sam.errors).toEqual([]);
    await sam.screenshot('damaged-rows-banner.png');
    await sam.leave();
  });

  it('a flipped bit in a saved change is caught: the banner says what is missing, and that a member’s copy filled it', async () => {
    const sam = await Member.arrive(app.browser, app.host.url);
    await sam.chooseName('Sam Rivera');
    await sam.createCommunity({ name: 'Seed Library', purpose: 'Swapping seeds and saving our own.', kind: 'Hobby club' });
    const communityId = /#\/c\/([0-9a-z]+)/.exec(sam.page.url())?.[1];
    expect(communityId).toBeTruthy();
    await sam.startThread('Tomato varieties', 'Which ones did well on the allotment this year?');
    await sam.startThread('Autumn swap', 'Saturday the 14th at the community hall, from ten.');

    const alex = await Member.arrive(app.browser, app.host.url);
    await alex.chooseName('Alex Chen');
    await sam.openSection('Home');
    await alex.joinWith(await sam.inviteCode(), 'Seed Library');
    await alex.openSection('Threads');
    await expect.poll(() => alex.page.getByText('Autumn swap').first().isVisible(), { timeout: 30_000 }).toBe(true);
    // Alex has everything; Sam's disk damages one of Sam's saved changes, and every signed copy of
    // Sam's changes, while Alex is offline.
    await setWorkingOffline(alex, true);
    expect(await flipBitInSavedChange(sam, communityId!)).toBeGreaterThan(3);
    await sam.page.reload();
    await sam.expectCommunityHome('Seed Library');
    await expect.poll(() => statusText(sam)).toContain('One saved change was damaged and set aside on this device (kept, not deleted).');
    const missing = await statusText(sam);
    expect(missing).toMatch(/(One later change|\d+ later changes) could not be applied, because (it builds|they build) on it\./);
    expect(missing).not.toContain('everything else is here');
    expect(missing).toContain('Hearth asks for a fresh copy as soon as another member’s device is online.');
    await sam.screenshot('damaged-storage-banner.png');

    // Alex comes back online: Sam's first sync asks for what did not load, and Alex's copy fills it.
    await setWorkingOffline(alex, false);
    await expect
      .poll(() => statusText(sam), { timeout: 60_000 })
      .toMatch(/A member’s copy filled the gap: (the change that waited is|all \d+ changes that waited are) applied now\./);
    await sam.openSection('Threads');
    await expect.poll(() => sam.page.getByText('Autumn swap').first().isVisible(), { timeout: 10_000 }).toBe(true);
    await sam.openSection('Home');
    await sam.screenshot('damaged-storage-filled.png');
    expect(sam.errors).toEqual([]);
    await alex.leave();
    await sam.leave();
  });
});
