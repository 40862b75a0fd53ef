// Where a dragged card or column lands on a board: the arithmetic of a drag, apart from rendering and
// from dnd-kit, so it runs (and is tested) in Node. The canvas feeds it lanes of card ids and the ids
// the pointer or keyboard is over; the drop it computes becomes one moveCard/moveColumn command,
// which turns the index into a fractional position (shared/boards/order.ts).

/** The lane of cards whose column was deleted (see shared/boards/queries.ts). It takes no drops. */
export const UNSORTED = 'unsorted';

/** The card ids of each lane (the Unsorted lane and every column, by column id), in shown order. */
export type Lanes = Readonly<Record<string, readonly string[]>>;

/** An empty lane is a drop target of its own, named so it cannot clash with a card id. */
export const laneDropId = (laneId: string) => `lane:${laneId}`;

/** The lane a card is in, or the lane a lane target names; null for anything else. */
export function laneOf(lanes: Lanes, id: string): string | null {
  if (id.startsWith('lane:')) return id.slice('lane:'.length);
  for (const [laneId, ids] of Object.entries(lanes)) if (ids.includes(id)) return laneId;
  return null;
}

/** True when the dragged card's top edge is past the middle of the card it is over: it goes after it. */
export function isBelowMiddle(draggedTop: number, over: { readonly top: number; readonly height: number }): boolean {
  return draggedTop > over.top + over.height / 2;
}

/**
 * While a card is dragged over another lane, it moves into that lane's list (before the card it is
 * over, after it when below its middle, at the end of an empty lane), so the lane makes room. Within
 * its own lane the sortable list only shifts cards visually, and no card goes back to Unsorted: then
 * the lanes are unchanged (null).
 */
export function dragOverLanes(lanes: Lanes, cardId: string, overId: string, below: boolean): Lanes | null {
  const from = laneOf(lanes, cardId);
  const to = laneOf(lanes, overId);
  if (!from || !to || from === to || to === UNSORTED) return null;
  const target = lanes[to] ?? [];
  const overIndex = target.indexOf(overId);
  const index = overIndex >= 0 ? overIndex + (below ? 1 : 0) : target.length;
  return {
    ...lanes,
    [from]: (lanes[from] ?? []).filter((id) => id !== cardId),
    [to]: [...target.slice(0, index), cardId, ...target.slice(index)],
  };
}

/** Where a dropped card lands: the column, its index there, and the column's shown ids after the drop. */
export interface CardDrop {
  readonly columnId: string;
  readonly index: number;
  readonly shown: readonly string[];
}

/**
 * The landing of a card dropped over `overId` (null: dropped over nothing, or the drag was cancelled),
 * from the lanes as the drag left them. A card still in Unsorted was not dropped on a column: no move.
 */
export function cardDrop(lanes: Lanes, cardId: string, overId: string | null): CardDrop | null {
  if (overId === null) return null;
  const columnId = laneOf(lanes, cardId);
  if (!columnId || columnId === UNSORTED) return null;
  let shown = lanes[columnId] ?? [];
  const overIndex = shown.indexOf(overId);
  const fromIndex = shown.indexOf(cardId);
  if (overIndex >= 0 && overIndex !== fromIndex) shown = moveItem(shown, fromIndex, overIndex);
  return { columnId, index: shown.indexOf(cardId), shown };
}

/**
 * With a filter on, a lane shows only some cards; the drop goes right after the shown card it
 * follows (or before the one it precedes), among all of the column's cards (`all`, in order).
 */
export function indexAmongAll(all: readonly string[], shown: readonly string[], index: number): number {
  const moving = shown[index];
  const others = all.filter((id) => id !== moving);
  const before = shown[index - 1];
  if (before !== undefined && others.includes(before)) return others.indexOf(before) + 1;
  const after = shown[index + 1];
  if (after !== undefined && others.includes(after)) return others.indexOf(after);
  return others.length;
}

/** The index a dragged column moves to when dropped on another column; null when it stays. */
export function columnDrop(order: readonly string[], columnId: string, overColumnId: string | null): number | null {
  if (overColumnId === null || overColumnId === columnId) return null;
  const index = order.indexOf(overColumnId);
  return index >= 0 ? index : null;
}

/** Where a card is for announcements: its lane, its 1-based place (the card it is over takes), the lane's size. */
export function cardPosition(
  lanes: Lanes,
  cardId: string,
  overId?: string,
): { readonly laneId: string; readonly position: number; readonly count: number } | null {
  const laneId = laneOf(lanes, cardId);
  if (!laneId) return null;
  const ids = lanes[laneId] ?? [];
  const overIndex = overId === undefined ? -1 : ids.indexOf(overId);
  return { laneId, position: (overIndex >= 0 ? overIndex : ids.indexOf(cardId)) + 1, count: ids.length };
}

/** The list with the item at `from` moved to `to` (what dnd-kit's arrayMove does, without React). */
function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  if (item !== undefined) moved.splice(to, 0, item);
  return moved;
}
