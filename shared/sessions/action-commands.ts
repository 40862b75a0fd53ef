// A session's outcomes: the board action items go on, action items that become board cards with an
// owner, and the check-in on the previous session's commitments.
import type * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { newId } from '../ids.js';
import { addCard, moveCard, setCardAssignee, updateCard } from '../boards/commands.js';
import { boardColumns, columnCards, readCard } from '../boards/queries.js';
import { dueDateSchema } from '../boards/schema.js';
import { sessionSettingsMap } from './doc.js';
import { SESSION_LIMITS, actionTextSchema, type CheckInStatus, CHECK_IN_STATUSES } from './schema.js';
import { nested, requireSession } from './session-records.js';
import { CommandError, parse, requireId, transact } from '../doc/records.js';

/** Chooses the board that action items become cards on, for the whole community. */
export function setActionBoard(doc: Y.Doc, boardId: string): void {
  requireId(boardId, 'board');
  if (boardColumns(doc, boardId).length === 0) throw new CommandError('That board has no columns to put action items in.');
  transact(doc, () => sessionSettingsMap(doc).set('actionBoardId', boardId));
}

export interface NewActionItem extends Actor {
  readonly text: string;
  readonly ownerId: string;
  /** A day like 2025-03-31, or null. */
  readonly dueDate: string | null;
  readonly id?: string;
}

/**
 * Records a commitment made in the session and, in the same transaction, puts it as a card in the
 * first column of the community's action board, assigned to its owner with its due date.
 */
export function addActionItem(doc: Y.Doc, sessionId: string, input: NewActionItem): string {
  checkActor(input);
  const { record, view } = requireSession(doc, sessionId);
  const text = parse(actionTextSchema, input.text);
  const ownerId = requireId(input.ownerId, 'member');
  const dueDate = input.dueDate === null || input.dueDate === '' ? null : parse(dueDateSchema, input.dueDate);
  if (view.actions.length >= SESSION_LIMITS.actionsPerSession)
    throw new CommandError(`A session holds up to ${SESSION_LIMITS.actionsPerSession} action items.`);
  const boardId = sessionSettingsMap(doc).get('actionBoardId');
  const column = typeof boardId === 'string' ? boardColumns(doc, boardId)[0] : undefined;
  if (typeof boardId !== 'string' || !column) throw new CommandError('Choose the board that action items go on first.');
  const id = input.id ?? newId();
  const actions = nested(record, 'actions');
  if (actions.has(id)) throw new CommandError('An action item with this id already exists.');
  const now = input.now ?? Date.now();
  const day = new Date(view.scheduledAt).toISOString().slice(0, 10);
  transact(doc, () => {
    const cardId = addCard(doc, {
      boardId,
      columnId: column.id,
      title: text,
      by: input.by,
      now,
      description: `Committed in the session “${view.title}” (${day}).`,
    });
    setCardAssignee(doc, cardId, ownerId, true, now);
    if (dueDate) updateCard(doc, cardId, { dueDate }, now);
    actions.set(id, { id, text, ownerId, dueDate, boardId, cardId, carriedFrom: null, createdAt: now, createdBy: input.by });
  });
  return id;
}

/** Removes an action item from the session; its card stays on the board. */
export function removeActionItem(doc: Y.Doc, sessionId: string, actionId: string): void {
  const { record } = requireSession(doc, sessionId);
  const actions = nested(record, 'actions');
  if (!actions.has(actionId)) throw new CommandError('That action item no longer exists.');
  transact(doc, () => actions.delete(actionId));
}

/**
 * Checks in on a commitment from the previous session of the series: done, not done, or carried over
 * (then it joins this session's commitments under the same id, with the same card, so checking in
 * twice from two devices carries it once). Done moves its card to the board's last column. Only its
 * owner or this session's facilitator may check in on it.
 */
export function checkIn(doc: Y.Doc, sessionId: string, actionId: string, status: CheckInStatus, actor: Actor): void {
  checkActor(actor);
  if (!CHECK_IN_STATUSES.includes(status)) throw new CommandError('Mark it done, not done, or carried over.');
  const { record, view } = requireSession(doc, sessionId);
  const entry = view.checkIns.find((candidate) => candidate.action.id === actionId);
  if (!entry) throw new CommandError('That commitment is not from the previous session of this series.');
  if (actor.by !== entry.action.ownerId && actor.by !== view.facilitatorId)
    throw new CommandError('Only the person who made the commitment, or the facilitator, can check in on it.');
  const now = actor.now ?? Date.now();
  const actions = nested(record, 'actions');
  const card = entry.action.cardId ? readCard(doc, entry.action.cardId) : null;
  const lastColumn = card ? boardColumns(doc, card.board.id).at(-1) : undefined;
  transact(doc, () => {
    nested(record, 'checkIns').set(actionId, { status, by: actor.by, at: now });
    const carried = actions.get(actionId);
    if (status === 'carried' && carried === undefined) {
      const { sessionId: from, ...action } = entry.action;
      actions.set(actionId, { ...action, carriedFrom: action.carriedFrom ?? from });
    } else if (
      status !== 'carried' &&
      carried !== undefined &&
      view.actions.some((action) => action.id === actionId && action.carriedFrom !== null)
    ) {
      actions.delete(actionId);
    }
    if (status === 'done' && card && lastColumn && card.column?.id !== lastColumn.id) {
      moveCard(doc, card.card.id, lastColumn.id, columnCards(doc, card.board.id, lastColumn.id).length, now);
    }
  });
}
