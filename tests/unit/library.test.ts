import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { addFile, addHowTo, addLink, deleteResource, parseTags, setResourceTags, updateResource } from '../../shared/library/commands.js';
import { resourcesMap } from '../../shared/library/doc.js';
import { countResources, readLibrary, readResource, resourcesForSearch } from '../../shared/library/queries.js';
import { MAX_FILE_BYTES, formatBytes } from '../../shared/library/schema.js';
import { CommandError, LOCAL_ORIGIN } from '../../shared/doc/records.js';

const ADA = 'member000000ada';
const GRACE = 'member00000grace';
const HASH = 'a'.repeat(64);
const NOW = 1_700_000_000_000;

function seeded() {
  const doc = new Y.Doc();
  const link = addLink(doc, {
    url: 'https://example.com/guide',
    title: 'Watercolour basics',
    description: 'Start here',
    tags: ['Beginner', 'paint'],
    by: ADA,
    now: NOW,
  });
  const file = addFile(doc, {
    file: { hash: HASH, name: 'palette.pdf', size: 2_048, type: 'application/pdf' },
    tags: ['paint'],
    by: GRACE,
    now: NOW + 1,
  });
  const howto = addHowTo(doc, { title: 'Stretching paper', body: 'Soak, tape, dry flat.', tags: ['#Beginner'], by: ADA, now: NOW + 2 });
  return { doc, link, file, howto };
}

describe('library commands', () => {
  it('adds a link, a file and a how-to, each with who added it and when', () => {
    const { doc, link, file, howto } = seeded();
    expect(readResource(doc, link)).toEqual({
      id: link,
      kind: 'link',
      title: 'Watercolour basics',
      description: 'Start here',
      url: 'https://example.com/guide',
      tags: ['beginner', 'paint'],
      addedBy: ADA,
      addedAt: NOW,
      updatedAt: NOW,
    });
    expect(readResource(doc, file)).toMatchObject({
      kind: 'file',
      title: 'palette.pdf',
      file: { hash: HASH, name: 'palette.pdf', size: 2_048, type: 'application/pdf' },
      addedBy: GRACE,
    });
    expect(readResource(doc, howto)).toMatchObject({
      kind: 'howto',
      title: 'Stretching paper',
      body: 'Soak, tape, dry flat.',
      tags: ['beginner'],
    });
    expect(countResources(doc)).toBe(3);
  });

  it('runs each command in one transaction with the local origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    const id = addLink(doc, { url: 'https://example.com', by: ADA });
    updateResource(doc, id, { title: 'Example' });
    setResourceTags(doc, id, ['one']);
    deleteResource(doc, id);
    expect(origins).toEqual([LOCAL_ORIGIN, LOCAL_ORIGIN, LOCAL_ORIGIN, LOCAL_ORIGIN]);
  });

  it('refuses a javascript: link (and every other link Hearth would not open) with a clear message', () => {
    const doc = new Y.Doc();
    expect(() => addLink(doc, { url: 'javascript:alert(1)', by: ADA })).toThrow(/Links of the kind “javascript:” are not opened/);
    expect(() => addLink(doc, { url: ' JaVaScRiPt:alert(1)', by: ADA })).toThrow(CommandError);
    expect(() => addLink(doc, { url: 'file:///etc/passwd', by: ADA })).toThrow(/not opened/);
    expect(() => addLink(doc, { url: 'https://bank.example@evil.example', by: ADA })).toThrow(/user name or password/);
    expect(() => addLink(doc, { url: 'not a link', by: ADA })).toThrow(/not a valid link/);
    expect(() => addLink(doc, { url: '', by: ADA })).toThrow(/empty/);
    expect(resourcesMap(doc).size).toBe(0);
  });

  it('titles a link without one from its address, and a file from its name', () => {
    const doc = new Y.Doc();
    const link = addLink(doc, { url: 'https://www.example.com/guides/start/', by: ADA });
    const mail = addLink(doc, { url: 'mailto:club@example.com', title: '  ', by: ADA });
    expect(readResource(doc, link)?.title).toBe('example.com/guides/start');
    expect(readResource(doc, mail)?.title).toBe('club@example.com');
  });

  it('refuses a file over 25 MB, a bad hash and an empty how-to', () => {
    const doc = new Y.Doc();
    expect(() =>
      addFile(doc, { file: { hash: HASH, name: 'big.mov', size: MAX_FILE_BYTES + 1, type: 'video/quicktime' }, by: ADA }),
    ).toThrow(/Files up to 25 MB/);
    expect(() => addFile(doc, { file: { hash: 'nothex', name: 'x.txt', size: 1, type: 'text/plain' }, by: ADA })).toThrow(/SHA-256/);
    expect(() => addHowTo(doc, { title: 'Empty', body: '   ', by: ADA })).toThrow(/Write the how-to first/);
    expect(() => addHowTo(doc, { title: '', body: 'x', by: ADA })).toThrow(/Give it a title/);
    expect(() => addHowTo(doc, { title: 'x', body: 'y'.repeat(20_001), by: ADA })).toThrow(/under 20,000 characters/);
    expect(() => addLink(doc, { url: 'https://example.com', by: 'Not An Id' })).toThrow(/member id/);
    expect(resourcesMap(doc).size).toBe(0);
  });

  it('normalises tags and enforces their limits', () => {
    expect(parseTags([' Beginner ', '#beginner', 'Oil  paint', ''])).toEqual(['beginner', 'oil paint']);
    expect(() => parseTags(['x'.repeat(33)])).toThrow(/under 32 characters/);
    expect(() => parseTags(Array.from({ length: 13 }, (_, index) => `tag${index}`))).toThrow(/up to 12 tags/);
  });

  it('edits fields by kind, and refuses fields a kind does not have', () => {
    const { doc, link, file, howto } = seeded();
    updateResource(doc, link, { title: 'Better title', url: 'https://example.org/' }, NOW + 10);
    expect(readResource(doc, link)).toMatchObject({ title: 'Better title', url: 'https://example.org/', updatedAt: NOW + 10 });
    expect(() => updateResource(doc, link, { url: 'javascript:void(0)' })).toThrow(/not opened/);
    expect(() => updateResource(doc, file, { url: 'https://example.com' })).toThrow(/Only links/);
    expect(() => updateResource(doc, link, { body: 'x' })).toThrow(/Only how-tos/);
    updateResource(doc, howto, { body: 'Soak for ten minutes.' });
    expect(readResource(doc, howto)).toMatchObject({ body: 'Soak for ten minutes.' });
  });

  it('sets tags exactly, and keeps a tag a peer added at the same time', () => {
    const { doc, link } = seeded();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    setResourceTags(doc, link, ['paint', 'colour']);
    setResourceTags(peer, link, ['beginner', 'paint', 'video']);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    // Ada removed "beginner" and added "colour"; Grace added "video": all three changes survive.
    expect(readResource(doc, link)?.tags).toEqual(['colour', 'paint', 'video']);
    expect(readResource(peer, link)?.tags).toEqual(['colour', 'paint', 'video']);
  });

  it('deletes a resource', () => {
    const { doc, link } = seeded();
    deleteResource(doc, link);
    expect(readResource(doc, link)).toBeNull();
    expect(() => deleteResource(doc, link)).toThrow(/no longer exists/);
  });
});

describe('library queries', () => {
  it('filters by tag and kind, and sorts by date or title', () => {
    const { doc } = seeded();
    addLink(doc, { url: 'https://example.com/a', title: 'apple tutorial 10', by: ADA, now: NOW + 3 });
    addLink(doc, { url: 'https://example.com/b', title: 'Apple tutorial 9', by: ADA, now: NOW + 4 });
    const titles = (query: Parameters<typeof readLibrary>[1]) => readLibrary(doc, query).resources.map((resource) => resource.title);
    expect(titles({})).toEqual(['Apple tutorial 9', 'apple tutorial 10', 'Stretching paper', 'palette.pdf', 'Watercolour basics']);
    expect(titles({ sort: 'oldest' })).toEqual([
      'Watercolour basics',
      'palette.pdf',
      'Stretching paper',
      'apple tutorial 10',
      'Apple tutorial 9',
    ]);
    expect(titles({ sort: 'title' })).toEqual([
      'Apple tutorial 9',
      'apple tutorial 10',
      'palette.pdf',
      'Stretching paper',
      'Watercolour basics',
    ]);
    expect(titles({ tag: 'paint' })).toEqual(['palette.pdf', 'Watercolour basics']);
    expect(titles({ tag: 'beginner', kind: 'howto' })).toEqual(['Stretching paper']);
    expect(titles({ kind: 'file' })).toEqual(['palette.pdf']);
    const view = readLibrary(doc, { tag: 'paint' });
    expect(view.tags).toEqual([
      { tag: 'beginner', count: 2 },
      { tag: 'paint', count: 2 },
    ]);
    expect(view.total).toBe(5);
  });

  it('turns resources into plain text for search', () => {
    const { doc, link, file, howto } = seeded();
    const items = new Map(resourcesForSearch(doc).map((item) => [item.id, item]));
    expect(items.get(link)).toEqual({
      id: link,
      kind: 'link',
      title: 'Watercolour basics',
      text: 'Start here\nbeginner paint\nhttps://example.com/guide',
      updatedAt: NOW,
    });
    expect(items.get(file)?.text).toBe('paint\npalette.pdf');
    expect(items.get(howto)?.text).toBe('beginner\nSoak, tape, dry flat.');
  });

  it('skips and reports resources of an unknown shape, including a javascript: link written by a peer', () => {
    const { doc, link } = seeded();
    const evil = new Y.Map<unknown>();
    resourcesMap(doc).set('evillink0000001', evil);
    for (const [key, value] of Object.entries({
      id: 'evillink0000001',
      kind: 'link',
      title: 'Click me',
      description: '',
      url: 'javascript:alert(1)',
      addedBy: ADA,
      addedAt: 1,
      updatedAt: 1,
    }))
      evil.set(key, value);
    evil.set('tags', new Y.Map());
    resourcesMap(doc).set('plainobject0001', { id: 'plainobject0001', kind: 'howto' });
    const unknownKind = new Y.Map<unknown>();
    resourcesMap(doc).set('unknownkind0001', unknownKind);
    unknownKind.set('kind', 'podcast');
    const bigFile = new Y.Map<unknown>();
    resourcesMap(doc).set('bigfile00000001', bigFile);
    for (const [key, value] of Object.entries({
      id: 'bigfile00000001',
      kind: 'file',
      title: 'Huge',
      description: '',
      file: { hash: HASH, name: 'huge.bin', size: MAX_FILE_BYTES * 4, type: '' },
      addedBy: ADA,
      addedAt: 1,
      updatedAt: 1,
    }))
      bigFile.set(key, value);
    bigFile.set('tags', new Y.Map());
    ((resourcesMap(doc).get(link) as Y.Map<unknown>).get('tags') as Y.Map<unknown>).set('NOT NORMALISED', true);

    const view = readLibrary(doc);
    expect(view.resources.map((resource) => resource.kind).sort()).toEqual(['file', 'howto', 'link']);
    expect(view.resources.find((resource) => resource.id === link)?.tags).toEqual(['beginner', 'paint']);
    expect(view.problems.map((problem) => problem.where).sort()).toEqual(
      [
        'resources.bigfile00000001',
        'resources.evillink0000001',
        'resources.plainobject0001',
        'resources.unknownkind0001',
        `resources.${link}.tags.NOT NORMALISED`,
      ].sort(),
    );
    expect(view.problems.find((problem) => problem.where === 'resources.evillink0000001')?.message).toMatch(/javascript/);
    expect(readResource(doc, 'evillink0000001')).toBeNull();
    expect(countResources(doc)).toBe(3);
  });

  it('converges when members add, retag and delete resources at once, in any delivery order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 2 }), fc.constantFrom('add', 'tag', 'delete', 'edit'), fc.nat({ max: 20 })), { maxLength: 30 }),
        fc.integer(),
        (ops, seed) => {
          const { doc } = seeded();
          const peers = [0, 1, 2].map(() => {
            const peer = new Y.Doc();
            Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
            return peer;
          });
          ops.forEach(([peerIndex, op, n], step) => {
            const peer = peers[peerIndex]!;
            const ids = readLibrary(peer).resources.map((resource) => resource.id);
            const target = ids[n % Math.max(ids.length, 1)];
            if (op === 'add') addHowTo(peer, { title: `Tip ${step}`, body: 'Text', tags: [`t${n % 4}`], by: ADA, now: NOW + step });
            else if (target && op === 'tag') setResourceTags(peer, target, [`t${n % 4}`, `t${(n + 1) % 4}`]);
            else if (target && op === 'edit') updateResource(peer, target, { title: `Edited ${step}` });
            else if (target && op === 'delete') deleteResource(peer, target);
          });
          const updates = peers.map((peer) => Y.encodeStateAsUpdate(peer));
          let state = seed >>> 0 || 1;
          for (const peer of peers) {
            const order = [...updates, ...updates]
              .map((update) => ({ update, key: (state = (state * 48271) % 2147483647) }))
              .sort((a, b) => a.key - b.key);
            for (const { update } of order) Y.applyUpdate(peer, update);
          }
          const views = peers.map((peer) => readLibrary(peer, { sort: 'title' }));
          for (const view of views) expect(view).toEqual(views[0]);
          expect(views[0]!.problems).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('formats sizes as people read them', () => {
    expect([0, 1, 1023, 1024, 1536, 10 * 1024 * 1024, MAX_FILE_BYTES, 31.4 * 1024 * 1024].map(formatBytes)).toEqual([
      '0 bytes',
      '1 byte',
      '1023 bytes',
      '1 KB',
      '1.5 KB',
      '10 MB',
      '25 MB',
      '31 MB',
    ]);
  });
});
