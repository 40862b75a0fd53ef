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
});
