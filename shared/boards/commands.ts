// Every change to boards, columns and cards: each validates its input and runs in one transaction
// with the local origin. UI code changes boards only through these. One file (~400 lines once
// formatted) because card moves, column moves and their fractional re-keying share private helpers.
import * as Y from 'yjs';
import { newId } from '../ids.js';
import { boardsMap, cardsMap, columnsMap, recordIn } from './doc.js';
import { generateNKeysBetween } from 'fractional-indexing';
import { placeAt, positionAtEnd, type Ordered } from './order.js';
import { boardColumns, columnCards, readCard, type Card } from './queries.js';
import {
  BOARD_LIMITS,
  DEFAULT_COLUMNS,
  boardNameSchema,
  cardDescriptionSchema,
  cardTitleSchema,
  checklistItemSchema,
  checklistTextSchema,
  columnNameSchema,
  commentBodySchema,
  dueDateSchema,
  labelSchema,
  placeSchema,
  type CardPlace,
  BOARD_RECORD_VERSION,
  CARD_RECORD_VERSION,
  COLUMN_RECORD_VERSION,
} from './schema.js';
import { CommandError, parse, requireId, transact } from '../doc/records.js';

function requireBoard(doc: Y.Doc, boardId: string): Y.Map<unknown> {
  const board = recordIn(boardsMap(doc), boardId);
  if (!board) throw new CommandError('That board no longer exists.');
  return board;
}

function requireColumn(doc: Y.Doc, columnId: string): { record: Y.Map<unknown>; boardId: string } {
  const column = recordIn(columnsMap(doc), columnId);
  const boardId = column?.get('boardId');
  if (!column || typeof boardId !== 'string' || !recordIn(boardsMap(doc), boardId)) throw new CommandError('That column no longer exists.');
  return { record: column, boardId };
}

/** The card's Y.Map and its validated view; refuses cards that are gone or unreadable. */
function requireCard(doc: Y.Doc, cardId: string): { record: Y.Map<unknown>; card: Card } {
  const record = recordIn(cardsMap(doc), cardId);
  const location = record ? readCard(doc, cardId) : null;
  if (!record || !location) throw new CommandError('That card no longer exists.');
  return { record, card: location.card };
}

/** A nested map of a card; a card whose nested map a peer replaced with something else is not edited. */
function nested(record: Y.Map<unknown>, key: 'assignees' | 'labels' | 'checklist' | 'comments'): Y.Map<unknown> {
  const map = record.get(key);
  if (!(map instanceof Y.Map)) throw new CommandError('This card was saved in a shape this version of Hearth cannot change.');
  return map;
}

function setPlace(record: Y.Map<unknown>, place: CardPlace): void {
  record.set('place', { columnId: place.columnId, position: place.position });
}

function applyRekeys(doc: Y.Doc, rekeyed: readonly Ordered[], kind: 'card' | 'column', columnId?: string): void {
  for (const { id, position } of rekeyed) {
    if (kind === 'column') recordIn(columnsMap(doc), id)?.set('position', position);
    else if (columnId) recordIn(cardsMap(doc), id)?.set('place', { columnId, position });
  }
}

// ---------- boards ----------

export interface NewBoard {
  readonly name: string;
  readonly by: string;
  /** Column names; To do / Doing / Done when left out. */
  readonly columns?: readonly string[];
  readonly now?: number;
  readonly id?: string;
}

/** Creates a board with its first columns; returns the board's id. */
export function createBoard(doc: Y.Doc, input: NewBoard): string {
  const name = parse(boardNameSchema, input.name);
  const by = requireId(input.by, 'member');
  const id = input.id ?? newId();
  const columnNames = (input.columns ?? DEFAULT_COLUMNS).map((column) => parse(columnNameSchema, column));
  if (columnNames.length > BOARD_LIMITS.columnsPerBoard)
    throw new CommandError(`A board holds up to ${BOARD_LIMITS.columnsPerBoard} columns.`);
  if (boardsMap(doc).has(id)) throw new CommandError('A board with this id already exists.');
  transact(doc, () => {
    const board = new Y.Map<unknown>();
    boardsMap(doc).set(id, board);
    board.set('v', BOARD_RECORD_VERSION);
    board.set('id', id);
    board.set('name', name);
    board.set('createdAt', input.now ?? Date.now());
    board.set('createdBy', by);
    const positions = generateNKeysBetween(null, null, columnNames.length);
    columnNames.forEach((columnName, index) =>
      writeColumn(doc, { id: newId(), boardId: id, name: columnName, position: positions[index]! }),
    );
  });
  return id;
}

export function renameBoard(doc: Y.Doc, boardId: string, name: string): void {
  const board = requireBoard(doc, boardId);
  const parsed = parse(boardNameSchema, name);
  transact(doc, () => {
    if (board.get('name') !== parsed) board.set('name', parsed);
  });
}

/** Deletes a board with its columns and cards. */
export function deleteBoard(doc: Y.Doc, boardId: string): void {
  requireBoard(doc, boardId);
  transact(doc, () => {
    for (const [key, column] of [...columnsMap(doc).entries()]) {
      if (column instanceof Y.Map && column.get('boardId') === boardId) columnsMap(doc).delete(key);
    }
    for (const [key, card] of [...cardsMap(doc).entries()]) {
      if (card instanceof Y.Map && card.get('boardId') === boardId) cardsMap(doc).delete(key);
    }
    boardsMap(doc).delete(boardId);
  });
}

// ---------- columns ----------

function writeColumn(doc: Y.Doc, column: { id: string; boardId: string; name: string; position: string }): void {
  const record = new Y.Map<unknown>();
  columnsMap(doc).set(column.id, record);
  record.set('v', COLUMN_RECORD_VERSION);
  for (const [key, value] of Object.entries(column)) record.set(key, value);
}

export interface NewColumn {
  readonly boardId: string;
  readonly name: string;
  /** Where among the board's columns; at the end when left out. */
  readonly index?: number;
  readonly id?: string;
}

export function addColumn(doc: Y.Doc, input: NewColumn): string {
  requireBoard(doc, input.boardId);
  const name = parse(columnNameSchema, input.name);
  const siblings = boardColumns(doc, input.boardId);
  if (siblings.length >= BOARD_LIMITS.columnsPerBoard)
    throw new CommandError(`A board holds up to ${BOARD_LIMITS.columnsPerBoard} columns.`);
  const id = input.id ?? newId();
  if (columnsMap(doc).has(id)) throw new CommandError('A column with this id already exists.');
  const placement = placeAt(siblings, input.index ?? siblings.length);
  transact(doc, () => {
    applyRekeys(doc, placement.rekeyed, 'column');
    writeColumn(doc, { id, boardId: input.boardId, name, position: placement.position });
  });
  return id;
}

export function renameColumn(doc: Y.Doc, columnId: string, name: string): void {
  const { record } = requireColumn(doc, columnId);
  const parsed = parse(columnNameSchema, name);
  transact(doc, () => {
    if (record.get('name') !== parsed) record.set('name', parsed);
  });
}

/** Puts a column at `index` among the board's other columns. */
export function moveColumn(doc: Y.Doc, columnId: string, index: number): void {
  const { record, boardId } = requireColumn(doc, columnId);
  const others = boardColumns(doc, boardId).filter((column) => column.id !== columnId);
  const placement = placeAt(others, index);
  transact(doc, () => {
    applyRekeys(doc, placement.rekeyed, 'column');
    record.set('position', placement.position);
  });
}

export interface DeletedColumn {
  /** Where the column's cards went; null when no other column was left (they show under Unsorted). */
  readonly movedTo: string | null;
  readonly cardsMoved: number;
}

/**
 * Deletes a column. Its cards are not deleted: they move to the end of the board's first remaining
 * column. A card a peer moves into the column at the same time ends up under Unsorted (see queries).
 */
export function deleteColumn(doc: Y.Doc, columnId: string): DeletedColumn {
  const { boardId } = requireColumn(doc, columnId);
  const target = boardColumns(doc, boardId).find((column) => column.id !== columnId) ?? null;
  const cards = columnCards(doc, boardId, columnId);
  transact(doc, () => {
    if (target) {
      const siblings: Ordered[] = columnCards(doc, boardId, target.id).map((card) => ({ id: card.id, position: card.place!.position }));
      for (const card of cards) {
        const position = positionAtEnd(siblings);
        siblings.push({ id: card.id, position });
        recordIn(cardsMap(doc), card.id)?.set('place', { columnId: target.id, position });
      }
    }
    columnsMap(doc).delete(columnId);
  });
  return { movedTo: target?.id ?? null, cardsMoved: target ? cards.length : 0 };
}

// ---------- cards ----------

export interface NewCard {
  readonly boardId: string;
  readonly columnId: string;
  readonly title: string;
  readonly by: string;
  readonly description?: string;
  /** Where in the column; at the end when left out. */
  readonly index?: number;
  readonly now?: number;
  readonly id?: string;
}

export function addCard(doc: Y.Doc, input: NewCard): string {
  const title = parse(cardTitleSchema, input.title);
  const description = parse(cardDescriptionSchema, input.description ?? '');
  const by = requireId(input.by, 'member');
  const column = requireColumn(doc, input.columnId);
  if (column.boardId !== input.boardId) throw new CommandError('That column belongs to another board.');
  const id = input.id ?? newId();
  if (cardsMap(doc).has(id)) throw new CommandError('A card with this id already exists.');
  const siblings = columnCards(doc, input.boardId, input.columnId).map((card) => ({ id: card.id, position: card.place!.position }));
  const placement = placeAt(siblings, input.index ?? siblings.length);
  const now = input.now ?? Date.now();
  transact(doc, () => {
    applyRekeys(doc, placement.rekeyed, 'card', input.columnId);
    const card = new Y.Map<unknown>();
    cardsMap(doc).set(id, card);
    card.set('v', CARD_RECORD_VERSION);
    card.set('id', id);
    card.set('boardId', input.boardId);
    setPlace(card, parse(placeSchema, { columnId: input.columnId, position: placement.position }));
    card.set('title', title);
    card.set('description', description);
    card.set('dueDate', null);
    card.set('assignees', new Y.Map());
    card.set('labels', new Y.Map());
    card.set('checklist', new Y.Map());
    card.set('comments', new Y.Map());
    card.set('createdAt', now);
    card.set('createdBy', by);
    card.set('updatedAt', now);
  });
  return id;
}

export interface CardEdit {
  readonly title?: string;
  readonly description?: string;
  /** A day like 2025-03-31, or null to clear it. */
  readonly dueDate?: string | null;
}

/** Changes some of a card's title, description and due date; each field merges on its own. */
export function updateCard(doc: Y.Doc, cardId: string, edit: CardEdit, now = Date.now()): void {
  const { record } = requireCard(doc, cardId);
  const changes: [string, unknown][] = [];
  if (edit.title !== undefined) changes.push(['title', parse(cardTitleSchema, edit.title)]);
  if (edit.description !== undefined) changes.push(['description', parse(cardDescriptionSchema, edit.description)]);
  if (edit.dueDate !== undefined)
    changes.push(['dueDate', edit.dueDate === null || edit.dueDate === '' ? null : parse(dueDateSchema, edit.dueDate)]);
  const changed = changes.filter(([key, value]) => record.get(key) !== value);
  if (changed.length === 0) return;
  transact(doc, () => {
    for (const [key, value] of changed) record.set(key, value);
    record.set('updatedAt', now);
  });
}

/** Adds or removes one assignee; two members assigning different people at once both count. */
export function setCardAssignee(doc: Y.Doc, cardId: string, memberId: string, assigned: boolean, now = Date.now()): void {
  const { record } = requireCard(doc, cardId);
  requireId(memberId, 'member');
  const assignees = nested(record, 'assignees');
  if (assignees.has(memberId) === assigned) return;
  transact(doc, () => {
    if (assigned) assignees.set(memberId, true);
    else assignees.delete(memberId);
    record.set('updatedAt', now);
  });
}

/** Adds or removes one label (labels are lower-cased and trimmed). */
export function setCardLabel(doc: Y.Doc, cardId: string, label: string, on: boolean, now = Date.now()): void {
  const { record, card } = requireCard(doc, cardId);
  const parsed = parse(labelSchema, label);
  const labels = nested(record, 'labels');
  if (labels.has(parsed) === on) return;
  if (on && card.labels.length >= BOARD_LIMITS.labelsPerCard)
    throw new CommandError(`A card holds up to ${BOARD_LIMITS.labelsPerCard} labels.`);
  transact(doc, () => {
    if (on) labels.set(parsed, true);
    else labels.delete(parsed);
    record.set('updatedAt', now);
  });
}

/**
 * Puts a card at `index` in a column of its board (index among that column's other cards, as shown
 * without a filter). Only `place` changes, in one write, so concurrent moves resolve to one of them.
 */
export function moveCard(doc: Y.Doc, cardId: string, toColumnId: string, index: number, now = Date.now()): void {
  const { record, card } = requireCard(doc, cardId);
  const column = requireColumn(doc, toColumnId);
  if (column.boardId !== card.boardId) throw new CommandError('Cards stay on their board; that column belongs to another one.');
  const inColumn = columnCards(doc, card.boardId, toColumnId);
  const siblings = inColumn
    .filter((sibling) => sibling.id !== cardId)
    .map((sibling) => ({ id: sibling.id, position: sibling.place!.position }));
  const at = Math.max(0, Math.min(index, siblings.length));
  if (inColumn.findIndex((sibling) => sibling.id === cardId) === at) return;
  const placement = placeAt(siblings, at);
  transact(doc, () => {
    applyRekeys(doc, placement.rekeyed, 'card', toColumnId);
    setPlace(record, { columnId: toColumnId, position: placement.position });
    record.set('updatedAt', now);
  });
}

export function deleteCard(doc: Y.Doc, cardId: string): void {
  requireCard(doc, cardId);
  transact(doc, () => cardsMap(doc).delete(cardId));
}

// ---------- checklist ----------

export function addChecklistItem(doc: Y.Doc, cardId: string, text: string, now = Date.now()): string {
  const { record, card } = requireCard(doc, cardId);
  const parsed = parse(checklistTextSchema, text);
  if (card.checklist.length >= BOARD_LIMITS.checklistItemsPerCard)
    throw new CommandError(`A checklist holds up to ${BOARD_LIMITS.checklistItemsPerCard} items.`);
  const checklist = nested(record, 'checklist');
  const id = newId();
  const item = parse(checklistItemSchema, { id, text: parsed, done: false, position: positionAtEnd(card.checklist) });
  transact(doc, () => {
    checklist.set(id, item);
    record.set('updatedAt', now);
  });
  return id;
}

/** Ticks, unticks or rewords one checklist item. */
export function updateChecklistItem(
  doc: Y.Doc,
  cardId: string,
  itemId: string,
  edit: { readonly text?: string; readonly done?: boolean },
  now = Date.now(),
): void {
  const { record, card } = requireCard(doc, cardId);
  const item = card.checklist.find((candidate) => candidate.id === itemId);
  if (!item) throw new CommandError('That checklist item no longer exists.');
  const next = parse(checklistItemSchema, {
    ...item,
    ...(edit.text !== undefined ? { text: edit.text } : {}),
    ...(edit.done !== undefined ? { done: edit.done } : {}),
  });
  if (next.text === item.text && next.done === item.done) return;
  const checklist = nested(record, 'checklist');
  transact(doc, () => {
    checklist.set(itemId, next);
    record.set('updatedAt', now);
  });
}

export function removeChecklistItem(doc: Y.Doc, cardId: string, itemId: string, now = Date.now()): void {
  const { record } = requireCard(doc, cardId);
  const checklist = nested(record, 'checklist');
  if (!checklist.has(itemId)) return;
  transact(doc, () => {
    checklist.delete(itemId);
    record.set('updatedAt', now);
  });
}

// ---------- comments ----------

export function addComment(
  doc: Y.Doc,
  cardId: string,
  input: { readonly authorId: string; readonly body: string; readonly now?: number },
): string {
  const { record } = requireCard(doc, cardId);
  const body = parse(commentBodySchema, input.body);
  const authorId = requireId(input.authorId, 'member');
  const comments = nested(record, 'comments');
  const id = newId();
  const now = input.now ?? Date.now();
  transact(doc, () => {
    comments.set(id, { id, authorId, body, createdAt: now });
    record.set('updatedAt', now);
  });
  return id;
}

/** Deletes a comment; only its author may. */
export function deleteComment(doc: Y.Doc, cardId: string, commentId: string, byMemberId: string): void {
  const { record, card } = requireCard(doc, cardId);
  const comment = card.comments.find((candidate) => candidate.id === commentId);
  if (!comment) throw new CommandError('That comment no longer exists.');
  if (comment.authorId !== byMemberId) throw new CommandError('Only the person who wrote a comment can delete it.');
  const comments = nested(record, 'comments');
  transact(doc, () => comments.delete(commentId));
}
