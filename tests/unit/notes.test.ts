import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createNote,
  deleteNote,
  moveNote,
  noteBody,
  notesMap,
  recordNoteEdit,
  renameNote,
  restoreNote,
} from '../../shared/notes/commands.js';
import {
  listNotes,
  noteTree,
  notesForSearch,
  readNote,
  readNoteBody,
  trashedNotes,
  type NoteTreeNode,
} from '../../shared/notes/queries.js';
import { NOTE_LIMITS, newNoteMap } from '../../shared/notes/schema.js';
import { ADA, GRACE, T0, communityDoc, doc, originsOf, paragraph, text, writeBody } from './content-fixtures.js';
import { CommandError, LOCAL_ORIGIN } from '../../shared/doc/records.js';

const titlesOf = (nodes: readonly NoteTreeNode[]): unknown[] =>
  nodes.map((node) => (node.children.length ? [node.note.title, titlesOf(node.children)] : node.note.title));

describe('notes: commands', () => {
  it('creates a note in one local transaction, with an empty body the editor can bind to', () => {
    const community = communityDoc();
    let id = '';
    const origins = originsOf(community, () => {
      id = createNote(community, { title: '  Meeting notes ', by: ADA, now: T0 + 5 }).id;
    });
    expect(origins).toEqual([LOCAL_ORIGIN]);
    expect(noteBody(community, id)).toBeInstanceOf(Y.XmlFragment);
    expect(noteBody(community, id)!.length).toBe(0);
    expect(listNotes(community)).toEqual({
      notes: [
        {
          v: 1,
          id,
          title: 'Meeting notes',
          parentId: null,
          createdAt: T0 + 5,
          createdBy: ADA,
          updatedAt: T0 + 5,
          updatedBy: ADA,
          deletedAt: null,
          deletedBy: null,
          path: [],
          subPages: 0,
        },
      ],
      problems: [],
    });
  });

  it('refuses bad input with a clear message and changes nothing', () => {
    const community = communityDoc();
    expect(() => createNote(community, { title: '   ', by: ADA })).toThrow(/Give the note a title/);
    expect(() => createNote(community, { title: 'x'.repeat(NOTE_LIMITS.titleChars + 1), by: ADA })).toThrow(/under 200 characters/);
    expect(() => createNote(community, { title: 'Orphan', parentId: 'nosuchnote000000', by: ADA })).toThrow(/is gone/);
    expect(() => createNote(community, { title: 'Anonymous', by: 'not an id!' })).toThrow(CommandError);
    const { id } = createNote(community, { title: 'Kept', by: ADA });
    expect(() => createNote(community, { title: 'Twin', id, by: ADA })).toThrow(/already exists/);
    expect(() => renameNote(community, id, '', { by: ADA })).toThrow(/Give the note a title/);
    expect(() => renameNote(community, 'nosuchnote000000', 'New', { by: ADA })).toThrow(/gone/);
    expect(() => deleteNote(community, id, { by: '' })).toThrow(/member/);
    expect(listNotes(community).notes.map((note) => note.title)).toEqual(['Kept']);
  });

  it('renames a note and records who edited it last', () => {
    const community = communityDoc();
    const { id } = createNote(community, { title: 'Draft', by: ADA, now: T0 });
    expect(originsOf(community, () => renameNote(community, id, ' Agenda ', { by: GRACE, now: T0 + 10 }))).toEqual([LOCAL_ORIGIN]);
    expect(readNote(community, id)).toMatchObject({
      title: 'Agenda',
      updatedAt: T0 + 10,
      updatedBy: GRACE,
      createdBy: ADA,
      trashed: false,
    });
  });

  it('stamps the last edit of a body and lists the most recently edited first', () => {
    const community = communityDoc();
    const older = createNote(community, { title: 'Older', by: ADA, now: T0 });
    const newer = createNote(community, { title: 'Newer', by: ADA, now: T0 + 1 });
    expect(listNotes(community).notes.map((note) => note.title)).toEqual(['Newer', 'Older']);
    recordNoteEdit(community, older.id, { by: GRACE, now: T0 + 2 });
    expect(listNotes(community).notes.map((note) => [note.title, note.updatedBy])).toEqual([
      ['Older', GRACE],
      ['Newer', ADA],
    ]);
    expect(readNote(community, newer.id)?.updatedAt).toBe(T0 + 1);
  });

  it('nests pages, lists them as a tree sorted by title, and moves them', () => {
    const community = communityDoc();
    const handbook = createNote(community, { title: 'Handbook', by: ADA, now: T0 });
    const onboarding = createNote(community, { title: 'Onboarding', parentId: handbook.id, by: ADA, now: T0 + 1 });
    createNote(community, { title: 'Agenda', by: ADA, now: T0 + 2 });
    const faq = createNote(community, { title: 'FAQ', parentId: onboarding.id, by: ADA, now: T0 + 3 });
    expect(titlesOf(noteTree(community).roots)).toEqual(['Agenda', ['Handbook', [['Onboarding', ['FAQ']]]]]);
    expect(listNotes(community).notes.find((note) => note.id === faq.id)?.path).toEqual(['Handbook', 'Onboarding']);
    expect(listNotes(community).notes.find((note) => note.id === handbook.id)?.subPages).toBe(1);

    expect(originsOf(community, () => moveNote(community, faq.id, handbook.id, { by: GRACE, now: T0 + 4 }))).toEqual([LOCAL_ORIGIN]);
    expect(titlesOf(noteTree(community).roots)).toEqual(['Agenda', ['Handbook', ['FAQ', 'Onboarding']]]);
    moveNote(community, handbook.id, null, { by: GRACE });
    moveNote(community, onboarding.id, null, { by: GRACE });
    expect(titlesOf(noteTree(community).roots)).toEqual(['Agenda', ['Handbook', ['FAQ']], 'Onboarding']);
  });

  it('refuses to put a page inside itself or its own sub-pages, or deeper than the limit', () => {
    const community = communityDoc();
    const top = createNote(community, { title: 'Top', by: ADA });
    const middle = createNote(community, { title: 'Middle', parentId: top.id, by: ADA });
    expect(() => moveNote(community, top.id, top.id, { by: ADA })).toThrow(/inside itself/);
    expect(() => moveNote(community, top.id, middle.id, { by: ADA })).toThrow(/inside itself/);
    expect(() => moveNote(community, top.id, 'nosuchnote000000', { by: ADA })).toThrow(/gone/);

    let parentId: string = middle.id;
    for (let depth = 2; depth < NOTE_LIMITS.depth; depth += 1)
      parentId = createNote(community, { title: `Level ${depth}`, parentId, by: ADA }).id;
    expect(() => createNote(community, { title: 'Too deep', parentId, by: ADA })).toThrow(/at most 8 levels/);
    const other = createNote(community, { title: 'Other', by: ADA });
    createNote(community, { title: 'Other child', parentId: other.id, by: ADA });
    expect(() => moveNote(community, other.id, parentId, { by: ADA })).toThrow(/at most 8 levels/);
  });

  it('deletes into the trash with the sub-pages, and restores them all (undo)', () => {
    const community = communityDoc();
    const handbook = createNote(community, { title: 'Handbook', by: ADA, now: T0 });
    createNote(community, { title: 'Onboarding', parentId: handbook.id, by: ADA, now: T0 + 1 });
    createNote(community, { title: 'Agenda', by: ADA, now: T0 + 2 });
    expect(originsOf(community, () => deleteNote(community, handbook.id, { by: GRACE, now: T0 + 9 }))).toEqual([LOCAL_ORIGIN]);
    expect(listNotes(community).notes.map((note) => note.title)).toEqual(['Agenda']);
    expect(titlesOf(noteTree(community).roots)).toEqual(['Agenda']);
    expect(trashedNotes(community).map((note) => [note.title, note.deletedBy])).toEqual([['Handbook', GRACE]]);
    expect(readNote(community, handbook.id)?.trashed).toBe(true);
    expect(notesMap(community).size).toBe(3);

    restoreNote(community, handbook.id, { by: GRACE });
    expect(titlesOf(noteTree(community).roots)).toEqual(['Agenda', ['Handbook', ['Onboarding']]]);
    expect(trashedNotes(community)).toEqual([]);
  });

  it('restores a note to the top when the page it was under is in the trash', () => {
    const community = communityDoc();
    const parent = createNote(community, { title: 'Parent', by: ADA });
    const child = createNote(community, { title: 'Child', parentId: parent.id, by: ADA });
    deleteNote(community, child.id, { by: ADA });
    deleteNote(community, parent.id, { by: ADA });
    restoreNote(community, child.id, { by: ADA });
    expect(titlesOf(noteTree(community).roots)).toEqual(['Child']);
    expect(readNote(community, child.id)?.parentId).toBeNull();
  });

  it('breaks a loop that two members’ moves made, the same way on every peer', () => {
    const origin = communityDoc();
    const a = createNote(origin, { title: 'A', by: ADA, id: 'noteaaaaaaaaaaa1' });
    const b = createNote(origin, { title: 'B', by: ADA, id: 'notebbbbbbbbbbb2' });
    const peers = [0, 1].map(() => {
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(origin));
      return peer;
    });
    moveNote(peers[0]!, a.id, b.id, { by: ADA });
    moveNote(peers[1]!, b.id, a.id, { by: GRACE });
    Y.applyUpdate(peers[0]!, Y.encodeStateAsUpdate(peers[1]!));
    Y.applyUpdate(peers[1]!, Y.encodeStateAsUpdate(peers[0]!));
    for (const peer of peers) {
      expect(titlesOf(noteTree(peer).roots)).toEqual([['A', ['B']]]);
      expect(listNotes(peer).notes).toHaveLength(2);
    }
  });

  it('keeps showing a note while a peer’s rename is only half delivered', () => {
    const origin = communityDoc();
    const { id } = createNote(origin, { title: 'Draft', by: ADA });
    const [writer, reader] = [new Y.Doc(), new Y.Doc()];
    for (const peer of [writer, reader]) Y.applyUpdate(peer, Y.encodeStateAsUpdate(origin));
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    createNote(writer, { title: 'Something else', by: GRACE });
    renameNote(writer, id, 'Final', { by: GRACE });
    // Only the rename arrives: its deletion of "Draft" applies, its new title waits for what came before.
    Y.applyUpdate(reader, updates[1]!);
    expect(listNotes(reader)).toMatchObject({ notes: [{ id, title: 'Untitled' }], problems: [] });
    Y.applyUpdate(reader, updates[0]!);
    expect(readNote(reader, id)?.title).toBe('Final');
  });

  it('skips and reports notes of an unknown shape, and shows children of a broken page at the top', () => {
    const community = communityDoc();
    const kept = createNote(community, { title: 'Kept', by: ADA, now: T0 });
    const notes = notesMap(community);
    notes.set('plainobject00001', { id: 'plainobject00001', title: 'Not a map' });
    const noBody = new Y.Map<unknown>();
    noBody.set('id', 'nobody0000000001');
    notes.set('nobody0000000001', noBody);
    const fields = {
      v: 1,
      title: 'Broken',
      parentId: null,
      createdAt: T0,
      createdBy: ADA,
      updatedAt: T0,
      updatedBy: ADA,
      deletedAt: null,
      deletedBy: null,
    };
    notes.set('wrongid000000001', newNoteMap({ ...fields, id: 'someoneelse00001' }));
    notes.set('newer00000000001', newNoteMap({ ...fields, id: 'newer00000000001', v: 99 }));
    const badTitle = newNoteMap({ ...fields, id: 'badtitle00000001' });
    badTitle.set('title', 42);
    notes.set('badtitle00000001', badTitle);
    notes.set(
      'child00000000001',
      newNoteMap({ ...fields, id: 'child00000000001', title: 'Child of broken', parentId: 'badtitle00000001' }),
    );

    const list = listNotes(community);
    expect(list.notes.map((note) => note.title).sort()).toEqual(['Child of broken', 'Kept']);
    expect(list.problems.map((problem) => problem.where).sort()).toEqual([
      'notes.badtitle00000001',
      'notes.newer00000000001',
      'notes.nobody0000000001',
      'notes.plainobject00001',
      'notes.wrongid000000001',
    ]);
    expect(list.problems.find((problem) => problem.where === 'notes.newer00000000001')?.message).toMatch(/newer version/);
    expect(titlesOf(noteTree(community).roots)).toEqual(['Child of broken', 'Kept']);
    expect(() => renameNote(community, 'badtitle00000001', 'Fixed', { by: ADA })).toThrow(/could not be read/);
    expect(readNote(community, kept.id)?.title).toBe('Kept');
  });
});

describe('notes: bodies, search and export', () => {
  it('reads a body the editor wrote as plain text for search, leaving out the trash', () => {
    const community = communityDoc();
    const agenda = createNote(community, { title: 'Agenda', by: ADA, now: T0 });
    writeBody(
      noteBody(community, agenda.id)!,
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [text('Goals')] },
        paragraph(text('Ship the '), text('beta', 'bold'), text(' by Friday')),
        { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('Invite testers'))] }] },
      ),
    );
    const gone = createNote(community, { title: 'Gone', by: ADA });
    writeBody(noteBody(community, gone.id)!, doc(paragraph(text('secret'))));
    deleteNote(community, gone.id, { by: ADA });
    expect(notesForSearch(community)).toEqual({
      items: [{ id: agenda.id, title: 'Agenda', text: 'Goals\nShip the beta by Friday\nInvite testers', updatedAt: T0 }],
      problems: [],
    });
  });

  it('leaves out parts of a body it does not know, and reports them', () => {
    const community = communityDoc();
    const { id } = createNote(community, { title: 'Mixed', by: ADA });
    const body = noteBody(community, id)!;
    community.transact(() => {
      const paragraphElement = new Y.XmlElement('paragraph');
      paragraphElement.insert(0, [new Y.XmlText('kept')]);
      const script = new Y.XmlElement('script');
      script.insert(0, [new Y.XmlText('alert(1)')]);
      body.insert(0, [paragraphElement, script]);
    });
    const problems: { where: string; message: string }[] = [];
    expect(readNoteBody(community, id, problems)).toEqual(doc(paragraph(text('kept'))));
    expect(problems).toEqual([{ where: `notes.${id}.body`, message: '1 part(s) of an unknown kind were left out' }]);
  });

  it('reads a 1 MB body for search without trouble', () => {
    const community = communityDoc();
    const { id } = createNote(community, { title: 'Huge', by: ADA });
    const line = 'All work and no play makes Jack a dull boy. ';
    const paragraphs = Array.from({ length: 2_000 }, () => paragraph(text(line.repeat(12))));
    writeBody(noteBody(community, id)!, doc(...paragraphs));
    const started = performance.now();
    const { items } = notesForSearch(community);
    const elapsed = performance.now() - started;
    expect(items[0]!.text.length).toBeGreaterThan(1_000_000);
    expect(elapsed).toBeLessThan(2_000);
  });
});
