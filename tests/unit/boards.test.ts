import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  addChecklistItem,
  addColumn,
  addComment,
  createBoard,
  deleteBoard,
  deleteCard,
  deleteColumn,
  deleteComment,
  moveCard,
  moveColumn,
  removeChecklistItem,
  renameBoard,
  renameColumn,
  setCardAssignee,
  setCardLabel,
  updateCard,
  updateChecklistItem,
} from '../../shared/boards/commands.js';
import { boardsMap, cardsMap, columnsMap } from '../../shared/boards/doc.js';
import { cardsForSearch, countBoards, listBoards, readBoard, readCard, readMyCards, type BoardView } from '../../shared/boards/queries.js';
import { CommandError, LOCAL_ORIGIN } from '../../shared/doc/records.js';

const ADA = 'member000000ada';
const GRACE = 'member00000grace';
const NOW = 1_700_000_000_000;

function titles(view: BoardView | null): string[][] {
  return view ? view.columns.map((column) => column.cards.map((card) => card.title)) : [];
}

function newBoard(doc = new Y.Doc(), name = 'Launch plan') {
  const boardId = createBoard(doc, { name, by: ADA, now: NOW });
  const columns = readBoard(doc, boardId)!.columns.map((column) => column.column.id);
  return { doc, boardId, todo: columns[0]!, doing: columns[1]!, done: columns[2]! };
}

describe('boards', () => {
  it('creates a board with To do, Doing and Done, and lists it with its counts', () => {
    const { doc, boardId } = newBoard();
    const view = readBoard(doc, boardId)!;
    expect(view.board).toEqual({ id: boardId, name: 'Launch plan', createdAt: NOW, createdBy: ADA });
    expect(view.columns.map((column) => column.column.name)).toEqual(['To do', 'Doing', 'Done']);
    expect(view.problems).toEqual([]);
    createBoard(doc, { name: 'Second', by: ADA, now: NOW + 1, columns: ['Ideas'] });
    expect(listBoards(doc).map((board) => [board.name, board.columnCount, board.cardCount])).toEqual([
      ['Launch plan', 3, 0],
      ['Second', 1, 0],
    ]);
    expect(countBoards(doc)).toBe(2);
  });

  it('runs every command in one transaction with the local origin', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    const { boardId, todo } = newBoard(doc);
    const cardId = addCard(doc, { boardId, columnId: todo, title: 'Write the brief', by: ADA });
    updateCard(doc, cardId, { description: 'One page' });
    setCardAssignee(doc, cardId, GRACE, true);
    setCardLabel(doc, cardId, 'Urgent', true);
    addChecklistItem(doc, cardId, 'Draft');
    addComment(doc, cardId, { authorId: ADA, body: 'On it' });
    moveCard(doc, cardId, readBoard(doc, boardId)!.columns[1]!.column.id, 0);
    deleteCard(doc, cardId);
    expect(origins).toHaveLength(9);
    expect(origins.every((origin) => origin === LOCAL_ORIGIN)).toBe(true);
  });

  it('renames and deletes a board with its columns and cards', () => {
    const { doc, boardId, todo } = newBoard();
    addCard(doc, { boardId, columnId: todo, title: 'A', by: ADA });
    renameBoard(doc, boardId, '  Autumn launch ');
    expect(readBoard(doc, boardId)!.board.name).toBe('Autumn launch');
    expect(() => renameBoard(doc, boardId, ' ')).toThrow(/Give the board a name/);
    deleteBoard(doc, boardId);
    expect(readBoard(doc, boardId)).toBeNull();
    expect([boardsMap(doc).size, columnsMap(doc).size, cardsMap(doc).size]).toEqual([0, 0, 0]);
    expect(() => renameBoard(doc, boardId, 'Again')).toThrow(/no longer exists/);
  });

  it('refuses bad input with a clear message and leaves the document untouched', () => {
    const doc = new Y.Doc();
    expect(() => createBoard(doc, { name: '', by: ADA })).toThrow(/Give the board a name/);
    expect(() => createBoard(doc, { name: 'x'.repeat(81), by: ADA })).toThrow(/under 80 characters/);
    expect(() => createBoard(doc, { name: 'Board', by: 'NOT AN ID' })).toThrow(CommandError);
    expect(() => createBoard(doc, { name: 'Board', by: ADA, columns: ['Fine', ''] })).toThrow(/Give the column a name/);
    expect(boardsMap(doc).size).toBe(0);
    const { boardId, todo } = newBoard(doc);
    expect(() => addCard(doc, { boardId, columnId: todo, title: '   ', by: ADA })).toThrow(/Give the card a title/);
    expect(() => addCard(doc, { boardId, columnId: 'nosuchcolumn0000', title: 'x', by: ADA })).toThrow(/column no longer exists/);
    const cardId = addCard(doc, { boardId, columnId: todo, title: 'Card', by: ADA });
    expect(() => updateCard(doc, cardId, { dueDate: '2025-02-30' })).toThrow(/does not exist/);
    expect(() => updateCard(doc, cardId, { dueDate: 'tomorrow' })).toThrow(/Use a date like/);
    expect(() => updateCard(doc, cardId, { description: 'x'.repeat(10_001) })).toThrow(/under 10,000 characters/);
    expect(() => setCardLabel(doc, cardId, '   ', true)).toThrow(/needs a word/);
    expect(() => addComment(doc, cardId, { authorId: ADA, body: '  ' })).toThrow(/Write something/);
    expect(() => addChecklistItem(doc, cardId, '')).toThrow(/Write what needs doing/);
    expect(readCard(doc, cardId)!.card).toMatchObject({
      title: 'Card',
      description: '',
      dueDate: null,
      labels: [],
      comments: [],
      checklist: [],
    });
  });
});

describe('columns', () => {
  it('adds, renames, reorders and removes columns', () => {
    const { doc, boardId, todo, done } = newBoard();
    const review = addColumn(doc, { boardId, name: 'Review', index: 2 });
    expect(readBoard(doc, boardId)!.columns.map((column) => column.column.name)).toEqual(['To do', 'Doing', 'Review', 'Done']);
    renameColumn(doc, review, 'In review');
    moveColumn(doc, done, 0);
    expect(readBoard(doc, boardId)!.columns.map((column) => column.column.name)).toEqual(['Done', 'To do', 'Doing', 'In review']);
    moveColumn(doc, done, 99);
    expect(readBoard(doc, boardId)!.columns.map((column) => column.column.name)).toEqual(['To do', 'Doing', 'In review', 'Done']);
    expect(deleteColumn(doc, review)).toEqual({ movedTo: todo, cardsMoved: 0 });
    expect(readBoard(doc, boardId)!.columns.map((column) => column.column.name)).toEqual(['To do', 'Doing', 'Done']);
    expect(() => renameColumn(doc, review, 'Back')).toThrow(/column no longer exists/);
  });

  it('moves a deleted column’s cards to the end of the first remaining column, in their order', () => {
    const { doc, boardId, todo, doing } = newBoard();
    addCard(doc, { boardId, columnId: todo, title: 'Existing', by: ADA });
    for (const title of ['One', 'Two', 'Three']) addCard(doc, { boardId, columnId: doing, title, by: ADA });
    expect(deleteColumn(doc, doing)).toEqual({ movedTo: todo, cardsMoved: 3 });
    expect(titles(readBoard(doc, boardId))).toEqual([['Existing', 'One', 'Two', 'Three'], []]);
  });

  it('keeps the cards of the last column under Unsorted, and lets them be moved back', () => {
    const doc = new Y.Doc();
    const boardId = createBoard(doc, { name: 'Solo', by: ADA, columns: ['Only'] });
    const only = readBoard(doc, boardId)!.columns[0]!.column.id;
    const cardId = addCard(doc, { boardId, columnId: only, title: 'Survivor', by: ADA });
    expect(deleteColumn(doc, only)).toEqual({ movedTo: null, cardsMoved: 0 });
    const view = readBoard(doc, boardId)!;
    expect(view.columns).toEqual([]);
    expect(view.unsorted.map((card) => card.title)).toEqual(['Survivor']);
    const fresh = addColumn(doc, { boardId, name: 'Fresh' });
    moveCard(doc, cardId, fresh, 0);
    expect(titles(readBoard(doc, boardId))).toEqual([['Survivor']]);
    expect(readBoard(doc, boardId)!.unsorted).toEqual([]);
  });
});

describe('cards', () => {
  it('adds cards at the end or at an index, and moves them within and across columns', () => {
    const { doc, boardId, todo, doing } = newBoard();
    const ids = ['A', 'B', 'C'].map((title) => addCard(doc, { boardId, columnId: todo, title, by: ADA }));
    addCard(doc, { boardId, columnId: todo, title: 'First', by: ADA, index: 0 });
    expect(titles(readBoard(doc, boardId))[0]).toEqual(['First', 'A', 'B', 'C']);
    moveCard(doc, ids[2]!, todo, 1);
    expect(titles(readBoard(doc, boardId))[0]).toEqual(['First', 'C', 'A', 'B']);
    moveCard(doc, ids[0]!, doing, 0);
    moveCard(doc, ids[1]!, doing, 0);
    expect(titles(readBoard(doc, boardId))).toEqual([['First', 'C'], ['B', 'A'], []]);
    const location = readCard(doc, ids[0]!)!;
    expect(location.column?.name).toBe('Doing');
    expect(location.board.id).toBe(boardId);
  });

  it('does not write when a card is dropped where it already is', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Stay', by: ADA });
    addCard(doc, { boardId, columnId: todo, title: 'Other', by: ADA });
    let updates = 0;
    doc.on('update', () => (updates += 1));
    moveCard(doc, id, todo, 0);
    expect(updates).toBe(0);
  });

  it('keeps cards on their board', () => {
    const { doc, boardId, todo } = newBoard();
    const other = newBoard(doc, 'Other');
    const id = addCard(doc, { boardId, columnId: todo, title: 'Mine', by: ADA });
    expect(() => moveCard(doc, id, other.todo, 0)).toThrow(/stay on their board/);
    expect(() => addCard(doc, { boardId, columnId: other.todo, title: 'x', by: ADA })).toThrow(/another board/);
  });

  it('edits title, description and due date, and clears the due date', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Draft', by: ADA, now: NOW });
    updateCard(doc, id, { title: ' Final ', description: 'Line one\nLine two', dueDate: '2025-03-31' }, NOW + 5);
    expect(readCard(doc, id)!.card).toMatchObject({
      title: 'Final',
      description: 'Line one\nLine two',
      dueDate: '2025-03-31',
      updatedAt: NOW + 5,
    });
    updateCard(doc, id, { dueDate: null }, NOW + 6);
    expect(readCard(doc, id)!.card.dueDate).toBeNull();
    updateCard(doc, id, { dueDate: '' }, NOW + 7);
    expect(readCard(doc, id)!.card.updatedAt).toBe(NOW + 6);
  });

  it('assigns and unassigns members, and labels cards (trimmed, lower-case, one of each)', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Task', by: ADA });
    setCardAssignee(doc, id, GRACE, true);
    setCardAssignee(doc, id, ADA, true);
    setCardAssignee(doc, id, ADA, true);
    setCardLabel(doc, id, ' Design ', true);
    setCardLabel(doc, id, 'design', true);
    setCardLabel(doc, id, 'Urgent', true);
    expect(readCard(doc, id)!.card).toMatchObject({ assignees: [ADA, GRACE].sort(), labels: ['design', 'urgent'] });
    setCardAssignee(doc, id, GRACE, false);
    setCardLabel(doc, id, 'URGENT', false);
    expect(readCard(doc, id)!.card).toMatchObject({ assignees: [ADA], labels: ['design'] });
    expect(() => setCardAssignee(doc, id, 'Bad Id', true)).toThrow(/not a valid member id/);
    for (let index = 1; index < 10; index += 1) setCardLabel(doc, id, `label ${index}`, true);
    expect(() => setCardLabel(doc, id, 'one too many', true)).toThrow(/up to 10 labels/);
  });

  it('keeps a checklist in order, ticks, rewords and removes items', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Task', by: ADA });
    const first = addChecklistItem(doc, id, 'Outline');
    const second = addChecklistItem(doc, id, 'Draft');
    addChecklistItem(doc, id, 'Send');
    updateChecklistItem(doc, id, second, { done: true });
    updateChecklistItem(doc, id, first, { text: 'Outline the talk' });
    expect(readCard(doc, id)!.card.checklist.map((item) => [item.text, item.done])).toEqual([
      ['Outline the talk', false],
      ['Draft', true],
      ['Send', false],
    ]);
    removeChecklistItem(doc, id, first);
    expect(readCard(doc, id)!.card.checklist.map((item) => item.text)).toEqual(['Draft', 'Send']);
    expect(() => updateChecklistItem(doc, id, first, { done: true })).toThrow(/no longer exists/);
  });

  it('keeps comments oldest first and lets only their author delete them', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Task', by: ADA });
    const later = addComment(doc, id, { authorId: GRACE, body: 'Second', now: NOW + 2 });
    addComment(doc, id, { authorId: ADA, body: ' First ', now: NOW + 1 });
    expect(readCard(doc, id)!.card.comments.map((comment) => comment.body)).toEqual(['First', 'Second']);
    expect(() => deleteComment(doc, id, later, ADA)).toThrow(/Only the person who wrote/);
    deleteComment(doc, id, later, GRACE);
    expect(readCard(doc, id)!.card.comments.map((comment) => comment.body)).toEqual(['First']);
  });

  it('deletes a card', () => {
    const { doc, boardId, todo } = newBoard();
    const id = addCard(doc, { boardId, columnId: todo, title: 'Gone', by: ADA });
    deleteCard(doc, id);
    expect(readCard(doc, id)).toBeNull();
    expect(() => deleteCard(doc, id)).toThrow(/card no longer exists/);
  });
});

describe('board queries', () => {
  function seeded() {
    const setup = newBoard();
    const { doc, boardId, todo, doing } = setup;
    const a = addCard(doc, { boardId, columnId: todo, title: 'Ada’s design task', by: ADA });
    const b = addCard(doc, { boardId, columnId: doing, title: 'Grace’s task', by: ADA });
    const c = addCard(doc, { boardId, columnId: doing, title: 'Shared urgent task', by: ADA });
    setCardAssignee(doc, a, ADA, true);
    setCardLabel(doc, a, 'design', true);
    setCardAssignee(doc, b, GRACE, true);
    setCardAssignee(doc, c, ADA, true);
    setCardAssignee(doc, c, GRACE, true);
    setCardLabel(doc, c, 'urgent', true);
    return { ...setup, a, b, c };
  }

  it('filters a board by assignee and by label, and lists every label', () => {
    const { doc, boardId } = seeded();
    expect(titles(readBoard(doc, boardId, { assigneeId: GRACE }))).toEqual([[], ['Grace’s task', 'Shared urgent task'], []]);
    expect(titles(readBoard(doc, boardId, { label: 'design' }))).toEqual([['Ada’s design task'], [], []]);
    expect(titles(readBoard(doc, boardId, { assigneeId: ADA, label: 'urgent' }))).toEqual([[], ['Shared urgent task'], []]);
    const view = readBoard(doc, boardId, { label: 'design' })!;
    expect(view.labels).toEqual(['design', 'urgent']);
    expect(view.totalCards).toBe(3);
  });

  it('gathers “my cards” across boards, soonest due first', () => {
    const { doc, a, c } = seeded();
    const other = newBoard(doc, 'Side project');
    const d = addCard(doc, { boardId: other.boardId, columnId: other.done, title: 'Other board card', by: ADA });
    setCardAssignee(doc, d, ADA, true);
    updateCard(doc, d, { dueDate: '2025-01-10' });
    updateCard(doc, c, { dueDate: '2025-02-01' });
    const mine = readMyCards(doc, ADA);
    expect(mine.map((entry) => entry.card.id)).toEqual([d, c, a]);
    expect(mine.map((entry) => [entry.board.name, entry.column?.name])).toEqual([
      ['Side project', 'Done'],
      ['Launch plan', 'Doing'],
      ['Launch plan', 'To do'],
    ]);
    expect(readMyCards(doc, 'nobody000000000')).toEqual([]);
  });

  it('turns cards into plain text for search', () => {
    const { doc, a } = seeded();
    addChecklistItem(doc, a, 'Pick the palette');
    addComment(doc, a, { authorId: GRACE, body: 'Try warm colours' });
    updateCard(doc, a, { description: 'Landing page' }, NOW + 9);
    const item = cardsForSearch(doc).find((entry) => entry.id === a)!;
    expect(item).toMatchObject({ title: 'Ada’s design task', updatedAt: NOW + 9 });
    expect(item.text.split('\n')).toEqual(['Landing page', 'design', 'Pick the palette', 'Try warm colours']);
    expect(Object.keys(item).sort()).toEqual(['boardId', 'id', 'text', 'title', 'updatedAt']);
  });

  it('skips and reports records of an unknown shape, and keeps every card it can show', () => {
    const { doc, boardId, todo, a } = seeded();
    boardsMap(doc).set('brokenboard0001', 'not a board');
    columnsMap(doc).set(
      'brokencolumn001',
      new Y.Map([
        ['id', 'brokencolumn001'],
        ['boardId', boardId],
        ['name', 42],
      ]) as Y.Map<unknown>,
    );
    cardsMap(doc).set('junkcard0000001', { title: 'a plain object, not a Y.Map' });
    const mismatched = new Y.Map<unknown>();
    cardsMap(doc).set('mismatched00001', mismatched);
    mismatched.set('id', 'someotherid0001');
    // A card a peer moved into a column this version cannot read still shows, under Unsorted.
    const stray = addCard(doc, { boardId, columnId: todo, title: 'Stray', by: ADA });
    (cardsMap(doc).get(stray) as Y.Map<unknown>).set('place', { columnId: 'brokencolumn001', position: 'a0' });
    // A damaged place, assignee, label, checklist item and comment each hide only themselves.
    const record = cardsMap(doc).get(a) as Y.Map<unknown>;
    (record.get('assignees') as Y.Map<unknown>).set('NOT AN ID', true);
    (record.get('labels') as Y.Map<unknown>).set('UPPER', true);
    (record.get('checklist') as Y.Map<unknown>).set('item00000000001', { id: 'item00000000001', text: 7 });
    (record.get('comments') as Y.Map<unknown>).set('comment00000001', { id: 'comment00000001' });
    const damaged = addCard(doc, { boardId, columnId: todo, title: 'Damaged place', by: ADA });
    (cardsMap(doc).get(damaged) as Y.Map<unknown>).set('place', { columnId: todo, position: '!!' });

    const view = readBoard(doc, boardId)!;
    expect(view.unsorted.map((card) => card.title).sort()).toEqual(['Damaged place', 'Stray']);
    expect(view.columns.flatMap((column) => column.cards).find((card) => card.id === a)).toMatchObject({
      assignees: [ADA],
      labels: ['design'],
      checklist: [],
      comments: [],
    });
    expect(view.problems.map((problem) => problem.where).sort()).toEqual(
      [
        'boards.brokenboard0001',
        'boardColumns.brokencolumn001',
        'boardCards.junkcard0000001',
        'boardCards.mismatched00001',
        `boardCards.${a}.assignees.NOT AN ID`,
        `boardCards.${a}.labels.UPPER`,
        `boardCards.${a}.checklist.item00000000001`,
        `boardCards.${a}.comments.comment00000001`,
        `boardCards.${damaged}.place`,
      ].sort(),
    );
    expect(listBoards(doc).map((board) => board.name)).toEqual(['Launch plan']);
    // Commands refuse to edit what they cannot read instead of making it worse.
    (cardsMap(doc).get(damaged) as Y.Map<unknown>).set('checklist', 'not a map');
    expect(() => addChecklistItem(doc, damaged, 'x')).toThrow(/cannot change/);
    expect(() => updateCard(doc, 'junkcard0000001', { title: 'x' })).toThrow(/no longer exists/);
  });

  it('returns nothing for a board that does not exist, and never throws on garbage at the top level', () => {
    const doc = new Y.Doc();
    expect(readBoard(doc, 'nosuchboard00000')).toBeNull();
    expect(readCard(doc, 'nosuchcard000000')).toBeNull();
    boardsMap(doc).set('x', null);
    expect(listBoards(doc)).toEqual([]);
    expect(countBoards(doc)).toBe(0);
  });
});
