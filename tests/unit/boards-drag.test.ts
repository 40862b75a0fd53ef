// Where a dragged card lands (renderer/boards/board-drag.ts), as a table of drops, each then played on
// a real board document through moveCard, so the index the drag computes is the order members see.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, createBoard, moveCard } from '../../shared/boards/commands.js';
import { readBoard } from '../../shared/boards/queries.js';
import {
  UNSORTED,
  cardDrop,
  cardPosition,
  columnDrop,
  dragOverLanes,
  indexAmongAll,
  isBelowMiddle,
  laneDropId,
  laneOf,
  type Lanes,
} from '../../renderer/boards/board-drag.js';

const ADA = 'member000000ada';

/** The board every row starts from: To do a, b, c; Doing d; Done empty; u left in Unsorted. */
const START: Lanes = { [UNSORTED]: ['u'], todo: ['a', 'b', 'c'], doing: ['d'], done: [] };

interface Drop {
  readonly name: string;
  readonly card: string;
  /** What the card passes over on the way, in order (the canvas's onDragOver). */
  readonly via?: readonly { readonly over: string; readonly below?: boolean }[];
  /** What it is dropped over; null when dropped over nothing or the drag was cancelled (Escape). */
  readonly over: string | null;
  readonly lands: { readonly columnId: string; readonly index: number } | null;
  /** The columns as members see them afterwards (Unsorted left out: a real board has none here). */
  readonly board?: Readonly<Record<Column, readonly string[]>>;
}

const DROPS: readonly Drop[] = [
  {
    name: 'same column, down',
    card: 'a',
    over: 'c',
    lands: { columnId: 'todo', index: 2 },
    board: { todo: ['b', 'c', 'a'], doing: ['d'], done: [] },
  },
  {
    name: 'same column, up',
    card: 'c',
    over: 'a',
    lands: { columnId: 'todo', index: 0 },
    board: { todo: ['c', 'a', 'b'], doing: ['d'], done: [] },
  },
  {
    name: 'to another column, above its card',
    card: 'a',
    via: [{ over: 'd' }],
    over: 'a',
    lands: { columnId: 'doing', index: 0 },
    board: { todo: ['b', 'c'], doing: ['a', 'd'], done: [] },
  },
  {
    name: 'to another column, below the middle of its card',
    card: 'b',
    via: [{ over: 'd', below: true }],
    over: 'b',
    lands: { columnId: 'doing', index: 1 },
    board: { todo: ['a', 'c'], doing: ['d', 'b'], done: [] },
  },
  {
    name: 'into an empty column',
    card: 'c',
    via: [{ over: laneDropId('done') }],
    over: laneDropId('done'),
    lands: { columnId: 'done', index: 0 },
    board: { todo: ['a', 'b'], doing: ['d'], done: ['c'] },
  },
  {
    name: 'onto the Unsorted lane: refused, the card stays where it was',
    card: 'b',
    via: [{ over: laneDropId(UNSORTED) }, { over: 'u' }],
    over: laneDropId(UNSORTED),
    lands: { columnId: 'todo', index: 1 },
    board: { todo: ['a', 'b', 'c'], doing: ['d'], done: [] },
  },
  { name: 'cancelled after passing over another column', card: 'a', via: [{ over: 'd' }], over: null, lands: null },
  { name: 'dropped over nothing', card: 'b', over: null, lands: null },
  {
    name: 'dropped on itself',
    card: 'b',
    over: 'b',
    lands: { columnId: 'todo', index: 1 },
    board: { todo: ['a', 'b', 'c'], doing: ['d'], done: [] },
  },
  {
    name: 'out of Unsorted into a column',
    card: 'u',
    via: [{ over: 'd', below: true }],
    over: 'u',
    lands: { columnId: 'doing', index: 1 },
  },
  { name: 'still in Unsorted: no move', card: 'u', over: 'u', lands: null },
];

/** The drag as the canvas plays it: lanes rearranged on each pass, then the drop. */
function play(drop: Drop) {
  let lanes = START;
  for (const step of drop.via ?? []) lanes = dragOverLanes(lanes, drop.card, step.over, step.below ?? false) ?? lanes;
  return cardDrop(lanes, drop.card, drop.over);
}

type Column = 'todo' | 'doing' | 'done';

/** START's columns as a real board (Unsorted left out: only a peer's concurrent delete makes one). */
function startBoard() {
  const doc = new Y.Doc();
  const boardId = createBoard(doc, { name: 'Drag', by: ADA, now: 1, columns: ['todo', 'doing', 'done'] });
  const columnIds = new Map(readBoard(doc, boardId)!.columns.map((column) => [column.column.name as Column, column.column.id]));
  const cardIds = new Map<string, string>();
  for (const name of ['todo', 'doing', 'done'] as const) {
    for (const title of START[name] ?? [])
      cardIds.set(title, addCard(doc, { boardId, columnId: columnIds.get(name)!, title, by: ADA, now: 1 }));
  }
  return { doc, boardId, columnIds, cardIds };
}

describe('where a dragged card lands', () => {
  it.each(DROPS)('$name', (drop) => {
    const landing = play(drop);
    expect(landing && { columnId: landing.columnId, index: landing.index }).toEqual(drop.lands);
    if (!drop.board || !landing) return;
    const { doc, boardId, columnIds, cardIds } = startBoard();
    moveCard(doc, cardIds.get(drop.card)!, columnIds.get(landing.columnId as Column)!, landing.index);
    const seen = Object.fromEntries(
      readBoard(doc, boardId)!.columns.map((column) => [column.column.name, column.cards.map((card) => card.title)]),
    );
    expect(seen).toEqual(drop.board);
  });

  it('finds the lane of a card or of a lane target, and nothing else', () => {
    expect(laneOf(START, 'b')).toBe('todo');
    expect(laneOf(START, laneDropId('done'))).toBe('done');
    expect(laneOf(START, 'nowhere')).toBeNull();
  });

  it('goes after a card only once past its middle', () => {
    expect(isBelowMiddle(59, { top: 40, height: 40 })).toBe(false);
    expect(isBelowMiddle(61, { top: 40, height: 40 })).toBe(true);
  });

  it('leaves the lanes alone within one lane, and for an unknown card or target', () => {
    expect(dragOverLanes(START, 'a', 'c', true)).toBeNull();
    expect(dragOverLanes(START, 'zzz', 'd', false)).toBeNull();
    expect(dragOverLanes(START, 'a', 'zzz', false)).toBeNull();
  });

  it('tells where a card is for the announcements, counting the card it is over', () => {
    expect(cardPosition(START, 'b')).toEqual({ laneId: 'todo', position: 2, count: 3 });
    expect(cardPosition(START, 'a', 'c')).toEqual({ laneId: 'todo', position: 3, count: 3 });
    expect(cardPosition(START, 'zzz')).toBeNull();
  });
});

describe('a drop while a filter hides some cards', () => {
  const all = ['a', 'b', 'c', 'd', 'e'];
  it.each([
    { name: 'moved up among the shown: right after the shown card before it', shown: ['a', 'e', 'c'], index: 1, expected: 1 },
    { name: 'moved to the top: right before the shown card after it', shown: ['e', 'a', 'c'], index: 0, expected: 0 },
    { name: 'moved to the bottom: right after the last shown card', shown: ['c', 'e', 'a'], index: 2, expected: 4 },
    { name: 'the only card shown: at the end', shown: ['b'], index: 0, expected: 4 },
  ])('$name', ({ shown, index, expected }) => {
    expect(indexAmongAll(all, shown, index)).toBe(expected);
  });
});

describe('where a dragged column lands', () => {
  const order = ['todo', 'doing', 'done'];
  it.each([
    { name: 'onto an earlier column', over: 'todo' as string | null, expected: 0 as number | null },
    { name: 'onto a later column', over: 'done', expected: 2 },
    { name: 'onto itself: stays', over: 'doing', expected: null },
    { name: 'over nothing: stays', over: null, expected: null },
    { name: 'onto a column no longer there: stays', over: 'gone', expected: null },
  ])('$name', ({ over, expected }) => {
    expect(columnDrop(order, 'doing', over)).toBe(expected);
  });
});
