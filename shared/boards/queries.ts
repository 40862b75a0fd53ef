// Reads of boards, columns and cards. Each returns plain, validated data; a record a peer wrote in a
// shape this version does not understand is skipped and reported in `problems`, never thrown.
//
// Where a card shows: in its column when `place.columnId` names a live column of its board, sorted by
// (position, id). Otherwise (its column was deleted, possibly while a peer was moving the card into
// it, or its place is damaged) it shows in the board's "Unsorted" lane, so no card is ever hidden.
import { memoByDoc } from '../doc-memo.js';
import * as Y from 'yjs';
import type { z } from 'zod';
import { ID_PATTERN } from '../ids.js';
import { creatorOf, verifiedAuthor } from '../sync/client-bindings.js';
import { boardsMap, cardsMap, columnsMap } from './doc.js';
import { compareOrdered, sortOrdered } from './order.js';
import {
  BOARD_TOP_LEVEL,
  BOARD_RECORD_VERSION,
  CARD_RECORD_VERSION,
  COLUMN_RECORD_VERSION,
  boardRecordSchema,
  cardCoreSchema,
  checklistItemSchema,
  columnRecordSchema,
  commentSchema,
  labelSchema,
  placeSchema,
  type BoardRecord,
  type CardComment,
  type CardPlace,
  type ChecklistItem,
  type ColumnRecord,
} from './schema.js';
import { checkRecord, describeZodError, ENTRY_KEY_MISMATCH, readVersioned, type SchemaProblem } from '../doc/records.js';

export interface Card {
  readonly id: string;
  readonly boardId: string;
  /** As stored; null when it was damaged. */
  readonly place: CardPlace | null;
  readonly title: string;
  readonly description: string;
  readonly dueDate: string | null;
  /** Member ids, sorted. */
  readonly assignees: readonly string[];
  /** Sorted. */
  readonly labels: readonly string[];
  /** In checklist order. */
  readonly checklist: readonly ChecklistItem[];
  /** Oldest first. */
  readonly comments: readonly CardComment[];
  readonly createdAt: number;
  /** Who made the card: the member its creating device signed as (the stored field only for cards from before signed changes). */
  readonly createdBy: string;
  readonly updatedAt: number;
}

export interface ColumnView {
  readonly column: ColumnRecord;
  readonly cards: readonly Card[];
}

export interface BoardSummary extends BoardRecord {
  readonly columnCount: number;
  readonly cardCount: number;
}

export interface BoardView {
  readonly board: BoardRecord;
  /** In board order, each with its cards in column order (after the filter, if any). */
  readonly columns: readonly ColumnView[];
  /** Cards whose column no longer exists, in (position, id) order. */
  readonly unsorted: readonly Card[];
  /** Every label used on the board, sorted; for the label filter. */
  readonly labels: readonly string[];
  /** Cards on the board before filtering. */
  readonly totalCards: number;
  readonly problems: readonly SchemaProblem[];
}

export interface CardFilter {
  /** Only cards assigned to this member. */
  readonly assigneeId?: string | null;
  /** Only cards with this label. */
  readonly label?: string | null;
}

export interface CardLocation {
  readonly card: Card;
  readonly board: BoardRecord;
  /** Null when the card shows under Unsorted. */
  readonly column: ColumnRecord | null;
}

export interface CardSearchItem {
  readonly id: string;
  readonly boardId: string;
  readonly title: string;
  readonly text: string;
  readonly updatedAt: number;
}

/** Everything on every board, parsed once; the queries below are views over it. */
interface BoardsSnapshot {
  readonly boards: Map<string, BoardRecord>;
  /** Live columns per board, in board order. */
  readonly columnsByBoard: Map<string, ColumnRecord[]>;
  readonly cardsByBoard: Map<string, Card[]>;
}

function snapshot(doc: Y.Doc, problems: SchemaProblem[]): BoardsSnapshot {
  const boards = new Map<string, BoardRecord>();
  for (const [key, value] of boardsMap(doc).entries()) {
    const record = parseRecord(`boards.${key}`, key, value, boardRecordSchema, BOARD_RECORD_VERSION, problems);
    if (record) boards.set(key, withVerifiedCreator(record, value));
  }
  const columnsByBoard = new Map<string, ColumnRecord[]>();
  for (const [key, value] of columnsMap(doc).entries()) {
    const record = parseRecord(`boardColumns.${key}`, key, value, columnRecordSchema, COLUMN_RECORD_VERSION, problems);
    // A column of a deleted board went with it; nothing to show or report.
    if (!record || !boards.has(record.boardId)) continue;
    pushTo(columnsByBoard, record.boardId, record);
  }
  for (const [boardId, columns] of columnsByBoard) columnsByBoard.set(boardId, sortOrdered(columns));
  const cardsByBoard = new Map<string, Card[]>();
  for (const [key, value] of cardsMap(doc).entries()) {
    const card = parseCard(key, value, problems);
    if (card && boards.has(card.boardId)) pushTo(cardsByBoard, card.boardId, card);
  }
  return { boards, columnsByBoard, cardsByBoard };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Board, column and card records, with their nested maps read as plain data (cards check theirs one by one). */
function parseRecord<T extends { id: string }>(
  where: string,
  key: string,
  value: unknown,
  schema: z.ZodType<T>,
  version: number,
  problems: SchemaProblem[],
): T | null {
  if (!(value instanceof Y.Map)) {
    problems.push({ where, message: 'not a record' });
    return null;
  }
  const fields = readVersioned(value.toJSON(), version, where.split('.')[0] ?? 'board');
  const read = fields.ok ? checkRecord(schema.safeParse(fields.fields), key, (record) => record.id) : fields;
  if (read.ok) return read.value;
  problems.push({ where, message: read.message });
  return null;
}

function parseCard(key: string, value: unknown, problems: SchemaProblem[]): Card | null {
  const where = `boardCards.${key}`;
  const core = parseRecord(where, key, value, cardCoreSchema, CARD_RECORD_VERSION, problems);
  if (!core) return null;
  const json = (value as Y.Map<unknown>).toJSON() as Record<string, unknown>;
  const place = placeSchema.safeParse(json.place);
  if (!place.success)
    problems.push({ where: `${where}.place`, message: `${describeZodError(place.error)}; the card is shown under Unsorted` });

  const assignees = keysWhere(json.assignees, (memberId) => ID_PATTERN.test(memberId), `${where}.assignees`, problems);
  const labels = keysWhere(json.labels, (label) => labelSchema.safeParse(label).data === label, `${where}.labels`, problems);
  const checklist = sortOrdered(entriesOf(json.checklist, checklistItemSchema, `${where}.checklist`, problems));
  const commentsMap = (value as Y.Map<unknown>).get('comments');
  const comments = entriesOf(json.comments, commentSchema, `${where}.comments`, problems)
    .map((comment) => {
      // A comment is a plain entry of the card's comments map: its author is whoever's device wrote that entry.
      const signer = commentsMap instanceof Y.Map && commentsMap.doc ? verifiedAuthor(commentsMap.doc, commentsMap, comment.id) : null;
      return signer && signer !== comment.authorId ? { ...comment, authorId: signer } : comment;
    })
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ...withVerifiedCreator(core, value),
    place: place.success ? place.data : null,
    assignees: assignees.sort(),
    labels: labels.sort(),
    checklist,
    comments,
  };
}

/**
 * A record's creator as the member whose device signed the change that made its Y.Map (the
 * `createdBy` field the writer filled in counts only for records from before signed changes).
 */
function withVerifiedCreator<T extends { readonly createdBy: string }>(record: T, value: unknown): T {
  const signer = value instanceof Y.Map ? creatorOf(value) : null;
  return signer && signer !== record.createdBy ? { ...record, createdBy: signer } : record;
}

/** Keys of a set-like map (`key → true`) that pass `accept`; anything else is reported. */
function keysWhere(value: unknown, accept: (key: string) => boolean, where: string, problems: SchemaProblem[]): string[] {
  if (!isPlainObject(value)) {
    problems.push({ where, message: 'not a set' });
    return [];
  }
  const keys: string[] = [];
  for (const [key, flag] of Object.entries(value)) {
    if (flag === true && accept(key)) keys.push(key);
    else problems.push({ where: `${where}.${key}`, message: 'not a valid entry' });
  }
  return keys;
}

function entriesOf<T extends { id: string }>(value: unknown, schema: z.ZodType<T>, where: string, problems: SchemaProblem[]): T[] {
  if (!isPlainObject(value)) {
    problems.push({ where, message: 'not a map' });
    return [];
  }
  const entries: T[] = [];
  for (const [key, entry] of Object.entries(value)) {
    const read = checkRecord(schema.safeParse(entry), key, (parsed) => parsed.id, ENTRY_KEY_MISMATCH);
    if (read.ok) entries.push(read.value);
    else problems.push({ where: `${where}.${key}`, message: read.message });
  }
  return entries;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits a board's cards into its live columns (in order) and the Unsorted lane. */
function layOut(columns: readonly ColumnRecord[], cards: readonly Card[]): { columns: ColumnView[]; unsorted: Card[] } {
  const byColumn = new Map<string, Card[]>(columns.map((column) => [column.id, []]));
  const unsorted: Card[] = [];
  for (const card of cards) {
    const lane = card.place ? byColumn.get(card.place.columnId) : undefined;
    if (lane) lane.push(card);
    else unsorted.push(card);
  }
  const order = (a: Card, b: Card) =>
    compareOrdered({ id: a.id, position: a.place?.position ?? '' }, { id: b.id, position: b.place?.position ?? '' });
  return {
    columns: columns.map((column) => ({ column, cards: byColumn.get(column.id)!.sort(order) })),
    unsorted: unsorted.sort(order),
  };
}

function matches(card: Card, filter: CardFilter): boolean {
  if (filter.assigneeId && !card.assignees.includes(filter.assigneeId)) return false;
  if (filter.label && !card.labels.includes(filter.label)) return false;
  return true;
}

/** Boards of the community, oldest first, with how many columns and cards each holds. */
export function listBoards(doc: Y.Doc, problems: SchemaProblem[] = []): BoardSummary[] {
  const { boards, columnsByBoard, cardsByBoard } = snapshot(doc, problems);
  return [...boards.values()]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .map((board) => ({
      ...board,
      columnCount: columnsByBoard.get(board.id)?.length ?? 0,
      cardCount: cardsByBoard.get(board.id)?.length ?? 0,
    }));
}

/** One board laid out for the UI, or null if it does not exist (deleted, or never synced here). */
export function readBoard(doc: Y.Doc, boardId: string, filter: CardFilter = {}): BoardView | null {
  const problems: SchemaProblem[] = [];
  const { boards, columnsByBoard, cardsByBoard } = snapshot(doc, problems);
  const board = boards.get(boardId);
  if (!board) return null;
  const cards = cardsByBoard.get(boardId) ?? [];
  const laidOut = layOut(
    columnsByBoard.get(boardId) ?? [],
    cards.filter((card) => matches(card, filter)),
  );
  const labels = [...new Set(cards.flatMap((card) => card.labels))].sort();
  return { board, columns: laidOut.columns, unsorted: laidOut.unsorted, labels, totalCards: cards.length, problems };
}

/** A card with its board and the column it shows in; null if it is gone or unreadable. */
export function readCard(doc: Y.Doc, cardId: string): CardLocation | null {
  const card = parseCard(cardId, cardsMap(doc).get(cardId), []);
  if (!card) return null;
  const boardMap = boardsMap(doc).get(card.boardId);
  const parsed = parseRecord('', card.boardId, boardMap, boardRecordSchema, BOARD_RECORD_VERSION, []);
  if (!parsed) return null;
  const board = withVerifiedCreator(parsed, boardMap);
  const column = card.place
    ? parseRecord('', card.place.columnId, columnsMap(doc).get(card.place.columnId), columnRecordSchema, COLUMN_RECORD_VERSION, [])
    : null;
  return { card, board, column: column && column.boardId === board.id ? column : null };
}

export type MyCard = CardLocation;

/**
 * Cards assigned to a member on every board: those with a due date first (soonest first), then the
 * rest by board and position on it.
 */
export function readMyCards(doc: Y.Doc, memberId: string, problems: SchemaProblem[] = []): MyCard[] {
  const { boards, columnsByBoard, cardsByBoard } = snapshot(doc, problems);
  const mine: (MyCard & { rank: number })[] = [];
  const boardOrder = [...boards.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const board of boardOrder) {
    const laidOut = layOut(columnsByBoard.get(board.id) ?? [], cardsByBoard.get(board.id) ?? []);
    const lanes: { column: ColumnRecord | null; cards: readonly Card[] }[] = [
      { column: null, cards: laidOut.unsorted },
      ...laidOut.columns,
    ];
    for (const lane of lanes) {
      for (const card of lane.cards) {
        if (card.assignees.includes(memberId)) mine.push({ card, board, column: lane.column, rank: mine.length });
      }
    }
  }
  return mine
    .sort((a, b) => {
      const dueA = a.card.dueDate ?? '\uffff';
      const dueB = b.card.dueDate ?? '\uffff';
      return dueA < dueB ? -1 : dueA > dueB ? 1 : a.rank - b.rank;
    })
    .map(({ card, board, column }) => ({ card, board, column }));
}

/** Cards as plain text for the search index: the title, and the words a member would look for. */
export function cardsForSearch(doc: Y.Doc): CardSearchItem[] {
  const { cardsByBoard } = snapshot(doc, []);
  return [...cardsByBoard.values()].flat().map((card) => ({
    id: card.id,
    boardId: card.boardId,
    title: card.title,
    text: [
      card.description,
      card.labels.join(' '),
      ...card.checklist.map((item) => item.text),
      ...card.comments.map((comment) => comment.body),
    ]
      .filter((part) => part.length > 0)
      .join('\n'),
    updatedAt: card.updatedAt,
  }));
}

/** How many boards the community holds; never throws. Kept per document until it changes. */
export const countBoards = memoByDoc((doc: Y.Doc): number => listBoards(doc).length, {
  roots: [BOARD_TOP_LEVEL.boards, BOARD_TOP_LEVEL.columns, BOARD_TOP_LEVEL.cards],
});

/** The cards of one column as the UI shows them (no filter), in order; used by commands to place cards. */
export function columnCards(doc: Y.Doc, boardId: string, columnId: string): Card[] {
  return (
    readBoard(doc, boardId)
      ?.columns.find((view) => view.column.id === columnId)
      ?.cards.slice() ?? []
  );
}

/** The live columns of one board, in order. */
export function boardColumns(doc: Y.Doc, boardId: string): ColumnRecord[] {
  return readBoard(doc, boardId)?.columns.map((view) => view.column) ?? [];
}
