// One board as Kanban columns. Cards drag within and across columns and columns drag sideways, with
// the mouse or the keyboard (Space to pick up, arrows to move, Space to drop, Escape to cancel), and
// every step is announced to screen readers. The drag only rearranges a local copy; the drop is one
// moveCard/moveColumn command, so a peer's change during a drag is never overwritten by a stale list.
// Where a drop lands is worked out in board-drag.ts; this file renders and wires dnd-kit to it, and the
// forms that add to the board are in BoardForms.tsx. It stays one file over ~400 lines because the
// canvas and its lanes and cards share the drag ids, drag data and dnd-kit contexts they all read.
import { useMemo, useRef, useState, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  closestCorners,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type Active,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type Over,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  SortableContext,
  horizontalListSortingStrategy,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { AlertTriangle, GripVertical, Inbox, Pencil, Trash2 } from 'lucide-react';
import type * as Y from 'yjs';
import { deleteColumn, moveCard, moveColumn, renameColumn } from '../../shared/boards/commands.js';
import { columnCards, type BoardView, type Card } from '../../shared/boards/queries.js';
import { BOARD_LIMITS, type ColumnRecord } from '../../shared/boards/schema.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
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
} from './board-drag.js';
import { CardFace } from './CardFace.js';
import { AddCard, AddColumn, InlineTextForm } from './BoardForms.js';

const columnDragId = (columnId: string) => `column:${columnId}`;

type DragKind = 'card' | 'column';

interface DragData {
  readonly type: DragKind | 'lane';
  readonly id: string;
}

const dataOf = (item: Active | Over | null | undefined): DragData | undefined => item?.data.current as DragData | undefined;

export interface BoardCanvasProps {
  readonly doc: Y.Doc;
  readonly view: BoardView;
  readonly members: readonly MemberRecord[];
  readonly memberId: string;
  /** True while an assignee or label filter hides some cards. */
  readonly filtered: boolean;
  readonly onOpenCard: (cardId: string) => void;
  readonly onError: (message: string) => void;
}

export function BoardCanvas({ doc, view, members, memberId, filtered, onOpenCard, onError }: BoardCanvasProps) {
  const boardId = view.board.id;
  const cardsById = useMemo(
    () => new Map([...view.unsorted, ...view.columns.flatMap((column) => column.cards)].map((card) => [card.id, card])),
    [view],
  );
  const columnsById = useMemo(() => new Map(view.columns.map((column) => [column.column.id, column.column])), [view]);
  const baseLanes = useMemo<Lanes>(
    () =>
      Object.fromEntries([
        [UNSORTED, view.unsorted.map((card) => card.id)],
        ...view.columns.map((column) => [column.column.id, column.cards.map((card) => card.id)]),
      ]),
    [view],
  );
  const baseColumnOrder = useMemo(() => view.columns.map((column) => column.column.id), [view]);

  const [active, setActive] = useState<{ readonly type: DragKind; readonly id: string } | null>(null);
  const [dragLanes, setDragLanes] = useState<Lanes | null>(null);
  const lanes = dragLanes ?? baseLanes;
  // Announcements run outside React's render; they read the latest lanes through this ref.
  const lanesRef = useRef(lanes);
  lanesRef.current = lanes;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      // Enter opens a card; Space picks it up and drops it.
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const laneName = (laneId: string) => (laneId === UNSORTED ? 'Unsorted' : (columnsById.get(laneId)?.name ?? 'a removed column'));
  const cardName = (id: UniqueIdentifier) => `card “${cardsById.get(String(id))?.title ?? 'untitled'}”`;
  /** Where the card would land: within its lane, a sortable drag only shifts the others visually. */
  const cardPlace = (id: UniqueIdentifier, over?: Over | null) => {
    const place = cardPosition(lanesRef.current, String(id), over ? String(over.id) : undefined);
    return place ? `in ${laneName(place.laneId)}, position ${place.position} of ${place.count}` : '';
  };
  const columnPlace = (columnId: string) => `position ${baseColumnOrder.indexOf(columnId) + 1} of ${baseColumnOrder.length}`;

  const announcements: Announcements = {
    onDragStart: ({ active: dragged }) => {
      const data = dataOf(dragged);
      if (data?.type === 'column') return `Picked up column “${laneName(data.id)}”, ${columnPlace(data.id)}.`;
      return `Picked up ${cardName(dragged.id)}, ${cardPlace(dragged.id)}.`;
    },
    onDragOver: ({ active: dragged, over }) => {
      const data = dataOf(dragged);
      if (!over)
        return data?.type === 'column'
          ? 'The column is no longer over a place to drop it.'
          : `The ${cardName(dragged.id)} is no longer over a column.`;
      if (data?.type === 'column')
        return `Column “${laneName(data.id)}” is over position ${baseColumnOrder.indexOf(dataOf(over)?.id ?? '') + 1} of ${baseColumnOrder.length}.`;
      return `The ${cardName(dragged.id)} is ${cardPlace(dragged.id, over)}.`;
    },
    onDragEnd: ({ active: dragged, over }) => {
      const data = dataOf(dragged);
      if (data?.type === 'column')
        return over
          ? `Column “${laneName(data.id)}” was dropped at position ${baseColumnOrder.indexOf(dataOf(over)?.id ?? data.id) + 1}.`
          : 'The column was dropped where it was.';
      return over
        ? `The ${cardName(dragged.id)} was dropped ${cardPlace(dragged.id, over)}.`
        : `The ${cardName(dragged.id)} was dropped where it was.`;
    },
    onDragCancel: ({ active: dragged }) => {
      const data = dataOf(dragged);
      return data?.type === 'column'
        ? `Moving column “${laneName(data.id)}” was cancelled.`
        : `Moving the ${cardName(dragged.id)} was cancelled; it is back where it was.`;
    },
  };

  const collisionDetection: CollisionDetection = (args) => {
    const type = dataOf(args.active)?.type;
    if (type === 'column') {
      return closestCenter({
        ...args,
        droppableContainers: args.droppableContainers.filter((container) => dataOf(container as unknown as Over)?.type === 'column'),
      });
    }
    // Unsorted takes no drops: a card leaves it for a column, never the other way.
    const candidates = args.droppableContainers.filter((container) => {
      const data = dataOf(container as unknown as Over);
      if (data?.type === 'card') return laneOf(lanesRef.current, data.id) !== UNSORTED;
      return data?.type === 'lane' && data.id !== UNSORTED;
    });
    const within = pointerWithin({ ...args, droppableContainers: candidates });
    const overCard = within.find(
      (collision) =>
        dataOf(args.droppableContainers.find((container) => container.id === collision.id) as unknown as Over)?.type === 'card',
    );
    if (overCard) return [overCard];
    if (within.length > 0) return within;
    return closestCorners({ ...args, droppableContainers: candidates });
  };

  function onDragStart({ active: dragged }: DragStartEvent) {
    const data = dataOf(dragged);
    if (!data || data.type === 'lane') return;
    setActive({ type: data.type, id: data.id });
    if (data.type === 'card') setDragLanes(baseLanes);
  }

  function onDragOver({ active: dragged, over }: DragOverEvent) {
    if (dataOf(dragged)?.type !== 'card' || !over) return;
    const translated = dragged.rect.current.translated;
    const below = translated ? isBelowMiddle(translated.top, over.rect) : false;
    setDragLanes((current) => dragOverLanes(current ?? baseLanes, String(dragged.id), String(over.id), below) ?? current);
  }

  function finish() {
    setActive(null);
    setDragLanes(null);
  }

  function onDragEnd({ active: dragged, over }: DragEndEvent) {
    const data = dataOf(dragged);
    try {
      if (data?.type === 'column') {
        const overData = dataOf(over);
        const index = columnDrop(baseColumnOrder, data.id, overData?.type === 'column' ? overData.id : null);
        if (index !== null) moveColumn(doc, data.id, index);
        return;
      }
      if (data?.type !== 'card') return;
      const drop = cardDrop(lanesRef.current, String(dragged.id), over ? String(over.id) : null);
      if (!drop) return;
      const index = filtered
        ? indexAmongAll(
            columnCards(doc, boardId, drop.columnId).map((card) => card.id),
            drop.shown,
            drop.index,
          )
        : drop.index;
      moveCard(doc, String(dragged.id), drop.columnId, index);
    } catch (error) {
      onError(errorMessage(error));
    } finally {
      finish();
    }
  }

  const activeCard = active?.type === 'card' ? cardsById.get(active.id) : undefined;
  const activeColumn = active?.type === 'column' ? view.columns.find((column) => column.column.id === active.id) : undefined;
  const membersById = useMemo(() => new Map(members.map((member) => [member.id, member])), [members]);

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={finish}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            'To pick up a card or a column, press Space. While dragging, use the arrow keys to move it, Space to drop it where it is, or Escape to cancel. Press Enter on a card to open it.',
        },
      }}
    >
      <div className="kanban" role="region" aria-label={`Board ${view.board.name}`}>
        {(lanes[UNSORTED] ?? []).length > 0 ? (
          <UnsortedLane
            ids={lanes[UNSORTED] ?? []}
            cardsById={cardsById}
            membersById={membersById}
            dragKind={active?.type ?? null}
            onOpenCard={onOpenCard}
          />
        ) : null}
        <SortableContext items={baseColumnOrder.map(columnDragId)} strategy={horizontalListSortingStrategy}>
          {view.columns.map(({ column }) => (
            <ColumnLane
              key={column.id}
              doc={doc}
              boardId={boardId}
              column={column}
              ids={lanes[column.id] ?? []}
              cardsById={cardsById}
              membersById={membersById}
              memberId={memberId}
              dragKind={active?.type ?? null}
              activeId={active?.type === 'card' ? active.id : null}
              filtered={filtered}
              onOpenCard={onOpenCard}
              onError={onError}
            />
          ))}
        </SortableContext>
        <AddColumn doc={doc} boardId={boardId} columnCount={view.columns.length} onError={onError} />
      </div>
      <DragOverlay dropAnimation={null}>
        {activeCard ? (
          <div className="board-card overlay">
            <CardFace card={activeCard} membersById={membersById} />
          </div>
        ) : activeColumn ? (
          <div className="kanban-column overlay">
            <div className="column-header">
              <GripVertical size={16} aria-hidden="true" />
              <h3 className="column-title">{activeColumn.column.name}</h3>
              <span className="column-count">{activeColumn.cards.length}</span>
            </div>
            <div className="column-cards">
              {activeColumn.cards.slice(0, 6).map((card) => (
                <div key={card.id} className="board-card">
                  <CardFace card={card} membersById={membersById} />
                </div>
              ))}
            </div>
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

interface LaneProps {
  readonly ids: readonly string[];
  readonly cardsById: ReadonlyMap<string, Card>;
  readonly membersById: ReadonlyMap<string, MemberRecord>;
  readonly dragKind: DragKind | null;
  readonly onOpenCard: (cardId: string) => void;
}

function UnsortedLane({ ids, cardsById, membersById, dragKind, onOpenCard }: LaneProps) {
  const { setNodeRef } = useDroppable({
    id: laneDropId(UNSORTED),
    data: { type: 'lane', id: UNSORTED } satisfies DragData,
    disabled: true,
  });
  return (
    <section className="kanban-column unsorted" aria-label="Unsorted cards">
      <div className="column-header">
        <Inbox size={16} aria-hidden="true" />
        <h3 className="column-title">Unsorted</h3>
        <span className="column-count">{ids.length}</span>
      </div>
      <p className="column-note">
        <AlertTriangle size={14} aria-hidden="true" /> Their column was removed. Drag them into a column.
      </p>
      <SortableContext items={[...ids]} strategy={verticalListSortingStrategy}>
        <ul ref={setNodeRef} className="column-cards" aria-label="Cards in Unsorted">
          {ids.map((id) => {
            const card = cardsById.get(id);
            return card ? <SortableCard key={id} card={card} membersById={membersById} dragKind={dragKind} onOpen={onOpenCard} /> : null;
          })}
        </ul>
      </SortableContext>
    </section>
  );
}

function ColumnLane({
  doc,
  boardId,
  column,
  ids,
  cardsById,
  membersById,
  memberId,
  dragKind,
  activeId,
  filtered,
  onOpenCard,
  onError,
}: LaneProps & {
  doc: Y.Doc;
  boardId: string;
  column: ColumnRecord;
  memberId: string;
  activeId: string | null;
  filtered: boolean;
  onError: (message: string) => void;
}) {
  const sortable = useSortable({
    id: columnDragId(column.id),
    data: { type: 'column', id: column.id } satisfies DragData,
    disabled: { draggable: false, droppable: dragKind === 'card' },
    attributes: { roleDescription: 'column' },
  });
  // A lane with cards is reached through its cards; only an empty lane needs to be a target itself.
  // Keeping full lanes out keeps the keyboard's "nearest target" on the card above or beside.
  const lane = useDroppable({
    id: laneDropId(column.id),
    data: { type: 'lane', id: column.id } satisfies DragData,
    disabled: dragKind === 'column' || (dragKind === 'card' && ids.length > 0),
  });
  const holdsDraggedCard = activeId !== null && ids.includes(activeId);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const style: CSSProperties = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  const total = filtered ? columnCards(doc, boardId, column.id).length : ids.length;

  return (
    <section
      ref={sortable.setNodeRef}
      style={style}
      className={`kanban-column${sortable.isDragging ? ' placeholder' : ''}${dragKind === 'card' && (holdsDraggedCard || lane.isOver) ? ' drop-target' : ''}`}
      aria-label={`Column ${column.name}`}
    >
      <div className="column-header">
        <button
          type="button"
          ref={sortable.setActivatorNodeRef}
          className="icon-button drag-handle"
          aria-label={`Move column ${column.name}`}
          {...sortable.attributes}
          {...sortable.listeners}
        >
          <GripVertical size={16} aria-hidden="true" />
        </button>
        {renaming ? (
          <InlineTextForm
            label="Column name"
            initial={column.name}
            maxLength={BOARD_LIMITS.columnNameChars}
            submitLabel="Save"
            onCancel={() => setRenaming(false)}
            onSubmit={(name) => {
              renameColumn(doc, column.id, name);
              setRenaming(false);
            }}
          />
        ) : (
          <>
            <h3 className="column-title" title={column.name}>
              {column.name}
            </h3>
            <span className="column-count" aria-label={`${total} ${total === 1 ? 'card' : 'cards'}`}>
              {filtered ? `${ids.length}/${total}` : total}
            </span>
            <span className="column-actions">
              <button type="button" className="icon-button" aria-label={`Rename column ${column.name}`} onClick={() => setRenaming(true)}>
                <Pencil size={14} aria-hidden="true" />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete column ${column.name}`}
                onClick={() => setConfirmDelete(true)}
              >
                <Trash2 size={14} aria-hidden="true" />
              </button>
            </span>
          </>
        )}
      </div>
      <SortableContext items={[...ids]} strategy={verticalListSortingStrategy}>
        <ul ref={lane.setNodeRef} className="column-cards" aria-label={`Cards in ${column.name}`}>
          {ids.map((id) => {
            const card = cardsById.get(id);
            return card ? <SortableCard key={id} card={card} membersById={membersById} dragKind={dragKind} onOpen={onOpenCard} /> : null;
          })}
          {ids.length === 0 ? <li className="column-empty">{filtered && total > 0 ? 'No matching cards' : 'Drop cards here'}</li> : null}
        </ul>
      </SortableContext>
      <AddCard doc={doc} boardId={boardId} columnId={column.id} memberId={memberId} columnName={column.name} onError={onError} />
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete the column “${column.name}”?`}
        confirmLabel="Delete column"
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => {
          try {
            deleteColumn(doc, column.id);
          } catch (error) {
            onError(errorMessage(error));
          }
        }}
      >
        {total === 0
          ? 'The column is empty. This cannot be undone.'
          : `Its ${total === 1 ? 'card moves' : `${total} cards move`} to the first remaining column, or to Unsorted if none is left; no card is deleted.`}
      </ConfirmDialog>
    </section>
  );
}

function SortableCard({
  card,
  membersById,
  dragKind,
  onOpen,
}: {
  card: Card;
  membersById: ReadonlyMap<string, MemberRecord>;
  dragKind: DragKind | null;
  onOpen: (cardId: string) => void;
}) {
  const sortable = useSortable({
    id: card.id,
    data: { type: 'card', id: card.id } satisfies DragData,
    disabled: { draggable: false, droppable: dragKind === 'column' },
    attributes: { roleDescription: 'card' },
  });
  const style: CSSProperties = { transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition };
  const { onKeyDown, ...listeners } = sortable.listeners ?? {};
  return (
    <li ref={sortable.setNodeRef} style={style} className={`board-card-slot${sortable.isDragging ? ' placeholder' : ''}`}>
      <div
        className="board-card"
        {...sortable.attributes}
        {...listeners}
        onKeyDown={(event: ReactKeyboardEvent<HTMLDivElement>) => {
          if (event.key === 'Enter' && !sortable.isDragging) {
            event.preventDefault();
            onOpen(card.id);
            return;
          }
          (onKeyDown as ((event: ReactKeyboardEvent) => void) | undefined)?.(event);
        }}
        onClick={() => onOpen(card.id)}
      >
        <CardFace card={card} membersById={membersById} />
      </div>
    </li>
  );
}
