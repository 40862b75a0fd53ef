// Authorship in the UI comes from the device that signed the change, never from a field the writer
// filled in: a member's device writes records naming the owner (a card, a board, a comment, a thread,
// a note and its last edit), and the owner's queries name the member whose binding signed them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, addComment, createBoard, deleteComment } from '../../shared/boards/commands.js';
import { boardsMap } from '../../shared/boards/doc.js';
import { listBoards, readBoard, readCard } from '../../shared/boards/queries.js';
import { createNote, notesMap, recordNoteEdit } from '../../shared/notes/commands.js';
import { listNotes, readNote } from '../../shared/notes/queries.js';
import { createThread, threadsMap } from '../../shared/threads/commands.js';
import { listThreads, readThread } from '../../shared/threads/queries.js';
import { body, deliver, signedCommunity } from './signed-devices.js';

describe('authorship from the signer', () => {
  it('names the member who signed a card, its board and a comment, whatever their fields say', async () => {
    const { owner, member } = await signedCommunity();
    const olu = owner.identity.memberId;
    const mina = member.identity.memberId;
    // Mina's device writes a board, a card and a comment, each claiming Olu made it.
    const boardId = createBoard(member.doc, { name: 'Studio jobs', by: olu });
    const columnId = readBoard(member.doc, boardId)!.columns[0]!.column.id;
    const cardId = addCard(member.doc, { boardId, columnId, title: 'Clean the kiln', by: olu });
    const commentId = addComment(member.doc, cardId, { authorId: olu, body: 'I will do it' });
    await deliver(member, owner);

    expect(owner.changes.counters().refused).toBe(0);
    expect((boardsMap(owner.doc).get(boardId) as Y.Map<unknown>).get('createdBy')).toBe(olu);
    const card = readCard(owner.doc, cardId)!;
    expect(card.card.title).toBe('Clean the kiln');
    expect(card.card.createdBy).toBe(mina);
    expect(card.board.createdBy).toBe(mina);
    expect(card.card.comments).toEqual([expect.objectContaining({ id: commentId, authorId: mina, body: 'I will do it' })]);
    expect(listBoards(owner.doc).find((board) => board.id === boardId)?.createdBy).toBe(mina);
    expect(readBoard(owner.doc, boardId)!.columns[0]!.cards[0]!.createdBy).toBe(mina);
    // So the comment is Mina's to delete, not the owner's that it names.
    expect(() => deleteComment(owner.doc, cardId, commentId, olu)).toThrow(/Only the person who wrote a comment/);

    // Olu's own card reads as Olu's: the signer and the field agree.
    const own = addCard(owner.doc, { boardId, columnId, title: 'Order clay', by: olu });
    expect(readCard(owner.doc, own)!.card.createdBy).toBe(olu);
  });

  it('names the member who signed a thread, whatever its createdBy says', async () => {
    const { owner, member } = await signedCommunity();
    const olu = owner.identity.memberId;
    const mina = member.identity.memberId;
    // Her post is her own (a post under someone else's name is refused outright); the thread record
    // around it claims Olu started it.
    const { thread } = createThread(member.doc, { title: 'Firing schedule', body: body('Thursdays'), by: mina });
    (threadsMap(member.doc).get(thread.id) as Y.Map<unknown>).set('createdBy', olu);
    await deliver(member, owner);

    expect(owner.changes.counters().refused).toBe(0);
    expect((threadsMap(owner.doc).get(thread.id) as Y.Map<unknown>).get('createdBy')).toBe(olu);
    const summary = listThreads(owner.doc).threads.find((candidate) => candidate.id === thread.id)!;
    expect(summary.createdBy).toBe(mina);
    expect(summary.participantIds).toEqual([mina]);
    expect(readThread(owner.doc, thread.id)!.thread.createdBy).toBe(mina);
  });

  it('names who started a note and who last edited it from the signers, not the fields', async () => {
    const { owner, member } = await signedCommunity();
    const olu = owner.identity.memberId;
    const mina = member.identity.memberId;
    // Olu writes a note; Mina's device edits it, stamping the edit with Olu's name.
    const note = createNote(owner.doc, { title: 'Glaze recipes', by: olu, now: 1_000 });
    await deliver(owner, member);
    recordNoteEdit(member.doc, note.id, { by: olu, now: 2_000 });
    // And starts a note of her own that claims Olu started it.
    const forged = createNote(member.doc, { title: 'Studio rules', by: olu, now: 3_000 });
    await deliver(member, owner);

    const edited = notesMap(owner.doc).get(note.id) as Y.Map<unknown>;
    expect(edited.get('updatedBy')).toBe(olu);
    expect(readNote(owner.doc, note.id)).toMatchObject({ createdBy: olu, updatedBy: mina, updatedAt: 2_000 });
    expect(readNote(owner.doc, forged.id)).toMatchObject({ createdBy: mina, updatedBy: mina });
    expect(listNotes(owner.doc).notes.map((view) => [view.title, view.createdBy, view.updatedBy])).toEqual([
      ['Studio rules', mina, mina],
      ['Glaze recipes', olu, mina],
    ]);

    // Olu edits it again: the stamp is his, and so is the name beside it.
    recordNoteEdit(owner.doc, note.id, { by: olu, now: 4_000 });
    expect(readNote(owner.doc, note.id)).toMatchObject({ updatedBy: olu, updatedAt: 4_000 });
  });

  it('keeps the fields of records written before signed changes (no binding to read)', () => {
    const doc = new Y.Doc();
    const olu = 'olu0000000000001';
    const boardId = createBoard(doc, { name: 'Old board', by: olu });
    const columnId = readBoard(doc, boardId)!.columns[0]!.column.id;
    const cardId = addCard(doc, { boardId, columnId, title: 'Old card', by: olu });
    addComment(doc, cardId, { authorId: olu, body: 'Old comment' });
    const note = createNote(doc, { title: 'Old note', by: olu });
    expect(readCard(doc, cardId)!.card).toMatchObject({ createdBy: olu, comments: [expect.objectContaining({ authorId: olu })] });
    expect(readNote(doc, note.id)).toMatchObject({ createdBy: olu, updatedBy: olu });
  });
});
