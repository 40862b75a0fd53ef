// Founding, joining and opening a community (shared/community/lifecycle.ts), the one implementation the
// app's registry and headless peers share, over each store a device uses: in memory, IndexedDB
// (fake-indexeddb) and files.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import { conductHash, memberAccess } from '../../shared/community/access.js';
import { foundCommunity, joinCommunity, openCommunity } from '../../shared/community/lifecycle.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId } from '../../shared/community/log/write.js';
import { readCommunity } from '../../shared/community/queries.js';
import { generateIdentity } from '../../shared/identity/identity.js';
import { MemoryStore } from '../../shared/store/memory-store.js';
import type { CommunityStore } from '../../shared/store/store.js';
import { FileStore } from '../../electron/store/file-store.js';
import { DexieStore } from '../../renderer/store/dexie-store.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Each store kind, with a way to open the same storage again as a restart would. */
const stores: { label: string; make: () => () => CommunityStore }[] = [
  {
    label: 'MemoryStore',
    make: () => {
      const store = new MemoryStore();
      return () => store;
    },
  },
  {
    label: 'DexieStore on fake-indexeddb',
    make: () => {
      const indexedDB = new IDBFactory();
      return () => new DexieStore({ name: 'hearth-lifecycle', indexedDB, IDBKeyRange });
    },
  },
  {
    label: 'FileStore',
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'hearth-lifecycle-'));
      folders.push(dir);
      return () => new FileStore(dir);
    },
  },
];

const CONDUCT = 'Be kind. What is said in the circle stays in the circle.';

describe.each(stores)('found, join and open over $label', ({ make }) => {
  it('founds a signed community whose founder owns it and has accepted the code of conduct they wrote; it opens again as it was', async () => {
    const reopen = make();
    const founder = await generateIdentity();
    const { communityId, nonce } = await foundingId(founder);
    const opened = await openCommunity({ store: reopen(), communityId });
    const meta = await foundCommunity(opened.doc, founder, {
      communityId,
      nonce,
      name: 'Tuesday Circle',
      purpose: 'Weekly accountability',
      kind: 'mastermind',
      codeOfConduct: CONDUCT,
      founder: { id: founder.memberId, displayName: 'Ada' },
    });
    await opened.persisted.close();

    const again = await openCommunity({ store: reopen(), communityId });
    expect(again.report.setAside).toBe(0);
    expect(readCommunity(again.doc).meta).toMatchObject({
      id: communityId,
      name: 'Tuesday Circle',
      codeOfConduct: CONDUCT,
      createdAt: meta.createdAt,
    });
    const membership = await readMembership(again.doc, communityId);
    expect(membership.signed).toBe(true);
    expect(membership.roles.get(founder.memberId)).toBe('owner');
    expect(memberAccess(membership, founder.memberId, await conductHash(CONDUCT))).toEqual({ kind: 'member' });
    await again.persisted.close();
  });

  it('joins: the member record and a signed join that makes them a member in every app', async () => {
    const founder = await generateIdentity();
    const joiner = await generateIdentity();
    const { communityId, nonce } = await foundingId(founder);
    const source = new Y.Doc();
    await foundCommunity(source, founder, {
      communityId,
      nonce,
      name: 'Clay Club',
      purpose: '',
      kind: 'hobby',
      founder: { id: founder.memberId, displayName: 'Ada' },
    });

    const reopen = make();
    const opened = await openCommunity({ store: reopen(), communityId });
    // What the founder's device would send on the first sync.
    Y.applyUpdate(opened.doc, Y.encodeStateAsUpdate(source));
    await joinCommunity(opened.doc, joiner, { communityId, member: { id: joiner.memberId, displayName: 'Bo' } });
    await opened.persisted.close();

    const again = await openCommunity({ store: reopen(), communityId });
    expect(
      readCommunity(again.doc)
        .members.map((member) => member.displayName)
        .sort(),
    ).toEqual(['Ada', 'Bo']);
    expect((await readMembership(again.doc, communityId)).roles.get(joiner.memberId)).toBe('member');
    await again.persisted.close();
  });

  it('starts sync only once the stored state is in the doc, and hands back what it started', async () => {
    const reopen = make();
    const founder = await generateIdentity();
    const { communityId, nonce } = await foundingId(founder);
    const first = await openCommunity({ store: reopen(), communityId });
    await foundCommunity(first.doc, founder, {
      communityId,
      nonce,
      name: 'Run Club',
      purpose: '',
      kind: 'hobby',
      founder: { id: founder.memberId, displayName: 'Ada' },
    });
    await first.persisted.close();

    const seen: (string | null)[] = [];
    const opened = await openCommunity({
      store: reopen(),
      communityId,
      startSync: async ({ doc, report }) => {
        seen.push(readCommunity(doc).meta?.name ?? null);
        return { started: true, rowsRead: report.rowsRead };
      },
    });
    expect(seen).toEqual(['Run Club']);
    expect(opened.sync).toMatchObject({ started: true });
    expect(opened.sync?.rowsRead).toBeGreaterThan(0);
    await opened.persisted.close();
  });
});

describe('opening when the store cannot be read', () => {
  it('rethrows, starts no sync, and leaves the doc it was given usable', async () => {
    const store = new MemoryStore();
    await store.close();
    const doc = new Y.Doc();
    let started = false;
    await expect(
      openCommunity({
        store,
        communityId: 'community0000001',
        doc,
        startSync: async () => {
          started = true;
          return null;
        },
      }),
    ).rejects.toThrow(/closed/);
    expect(started).toBe(false);
    doc.getText('t').insert(0, 'still here');
    expect(doc.getText('t').toString()).toBe('still here');
  });
});
