// Every change to sessions: planning (agenda, hot-seat order, templates), running (current item, timer,
// hands, attendance), and outcomes (action items that become board cards, check-ins next time). Each
// validates its input and runs in one transaction with the local origin; README.md says why each
// piece of run state has the shape it has.
import * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { ID_PATTERN, newId } from '../ids.js';
import { addCard, moveCard, setCardAssignee, updateCard } from '../boards/commands.js';
import { boardColumns, columnCards, readCard } from '../boards/queries.js';
import { placeAt } from '../boards/order.js';
import { generateNKeysBetween } from 'fractional-indexing';
import { createNote } from '../notes/commands.js';
import { NOTE_LIMITS } from '../notes/schema.js';
import { nestedOf, sessionRecord, sessionSettingsMap, sessionsMap, templatesMap, type SessionNested } from './doc.js';
import { orderHands, readSession, type SessionView } from './queries.js';
import {
  SESSION_LIMITS,
  SESSION_RECORD_VERSION,
  TEMPLATE_RECORD_VERSION,
  actionTextSchema,
  agendaTitleSchema,
  minutesSchema,
  runStateSchema,
  sessionTitleSchema,
  templateItemSchema,
  templateNameSchema,
  type AgendaKind,
  type CheckInStatus,
  type RunState,
  type TemplateItem,
  AGENDA_KINDS,
  CHECK_IN_STATUSES,
} from './schema.js';
import { dueDateSchema } from '../boards/schema.js';
import { extendedTimer, nowInClockOf, pausedTimer, startedTimer, type ClockReading } from './timer.js';
import { CommandError, parse, requireId, transact } from '../doc/records.js';

/** A member acting in run mode, with this device's clock (defaults: doc.clientID and Date.now()). */
export interface RunActor extends Actor {
  readonly clock?: ClockReading;
}

function clockOf(doc: Y.Doc, actor: RunActor): ClockReading {
  return actor.clock ?? { client: doc.clientID, now: actor.now ?? Date.now() };
}

/** The session's record and its validated view; refuses sessions that are gone or unreadable. */
function requireSession(doc: Y.Doc, sessionId: string): { record: Y.Map<unknown>; view: SessionView } {
  const record = sessionRecord(doc, sessionId);
  const view = record ? readSession(doc, sessionId) : null;
  if (!record || !view) throw new CommandError('That session no longer exists.');
  return { record, view };
}

function nested(record: Y.Map<unknown>, key: SessionNested): Y.Map<unknown> {
  const map = nestedOf(record, key);
  if (!map) throw new CommandError('This session was saved in a shape this version of Hearth cannot change.');
  return map;
}

function requireLive(view: SessionView): void {
  if (view.status === 'planned') throw new CommandError('Start the session first.');
  if (view.status === 'ended') throw new CommandError('This session has ended.');
}

function writeRun(record: Y.Map<unknown>, run: RunState): void {
  record.set('run', parse(runStateSchema, run));
}

function freshRun(itemId: string | null, minutes: number, clock: ClockReading, by: string, running: boolean): RunState {
  return { itemId, durationMs: itemId === null ? 0 : minutes * 60_000, elapsedMs: 0, startedAt: running && itemId !== null ? clock.now : null, clock: clock.client, by, at: clock.now };
}

// ---------- planning ----------

export interface NewSession extends Actor {
  readonly title: string;
  /** When it is planned for (epoch ms). */
  readonly scheduledAt: number;
  /** The agenda, already expanded from its template (templates.ts). */
  readonly agenda: readonly TemplateItem[];
  /** Continue an existing series; a new series starts when left out. */
  readonly seriesId?: string;
  /** Who runs it; the creator when left out. */
  readonly facilitatorId?: string;
  /** The hot-seat rotation to start with. */
  readonly hotSeatOrder?: readonly string[];
  /** A collaborative note for the session's live notes (default true). */
  readonly withNotes?: boolean;
  readonly id?: string;
}

export function createSession(doc: Y.Doc, input: NewSession): string {
  checkActor(input);
  const title = parse(sessionTitleSchema, input.title);
  if (!Number.isSafeInteger(input.scheduledAt) || input.scheduledAt < 0) throw new CommandError('Pick a date and time for the session.');
  const agenda = input.agenda.map((item) => parse(templateItemSchema, item));
  if (agenda.length > SESSION_LIMITS.itemsPerSession) throw new CommandError(`An agenda holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
  const seriesId = input.seriesId === undefined ? newId() : requireId(input.seriesId, 'series');
  const facilitatorId = requireId(input.facilitatorId ?? input.by, 'member');
  const hotSeatOrder = [...new Set(input.hotSeatOrder ?? [])].map((memberId) => requireId(memberId, 'member'));
  const id = input.id ?? newId();
  if (sessionsMap(doc).has(id)) throw new CommandError('A session with this id already exists.');
  const now = input.now ?? Date.now();
  const positions = generateNKeysBetween(null, null, agenda.length);
  transact(doc, () => {
    const noteId =
      input.withNotes === false ? null : createNote(doc, { title: `${title}, ${new Date(input.scheduledAt).toISOString().slice(0, 10)} — notes`.slice(0, NOTE_LIMITS.titleChars), by: input.by, now }).id;
    const record = new Y.Map<unknown>();
    sessionsMap(doc).set(id, record);
    const fields: Record<string, unknown> = {
      v: SESSION_RECORD_VERSION,
      id,
      title,
      seriesId,
      scheduledAt: input.scheduledAt,
      facilitatorId,
      noteId,
      startedAt: null,
      endedAt: null,
      createdAt: now,
      createdBy: input.by,
      run: null,
      speaker: null,
      hotSeatOrder,
    };
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
    const agendaMap = new Y.Map<unknown>();
    record.set('agenda', agendaMap);
    for (const key of ['hands', 'attendance', 'attendanceEdits', 'actions', 'checkIns'] as const) record.set(key, new Y.Map<unknown>());
    agenda.forEach((item, index) => writeAgendaItem(agendaMap, { id: newId(), ...item, position: positions[index]!, done: false }));
  });
  return id;
}

/** Plans the next session of the same series: the same title, agenda, facilitator and rotation, a week later unless told. */
export function planNextInSeries(doc: Y.Doc, sessionId: string, actor: Actor & { readonly scheduledAt?: number; readonly id?: string }): string {
  const { view } = requireSession(doc, sessionId);
  return createSession(doc, {
    by: actor.by,
    now: actor.now,
    id: actor.id,
    title: view.title,
    scheduledAt: actor.scheduledAt ?? view.scheduledAt + 7 * 24 * 60 * 60_000,
    agenda: view.agenda.map(({ title, kind, minutes }) => ({ title, kind, minutes })),
    seriesId: view.seriesId,
    facilitatorId: view.facilitatorId,
    hotSeatOrder: view.hotSeatOrder,
  });
}

export interface SessionEdit {
  readonly title?: string;
  readonly scheduledAt?: number;
  readonly facilitatorId?: string;
}

export function updateSession(doc: Y.Doc, sessionId: string, edit: SessionEdit): void {
  const { record } = requireSession(doc, sessionId);
  const changes: [string, unknown][] = [];
  if (edit.title !== undefined) changes.push(['title', parse(sessionTitleSchema, edit.title)]);
  if (edit.scheduledAt !== undefined) {
    if (!Number.isSafeInteger(edit.scheduledAt) || edit.scheduledAt < 0) throw new CommandError('Pick a date and time for the session.');
    changes.push(['scheduledAt', edit.scheduledAt]);
  }
  if (edit.facilitatorId !== undefined) changes.push(['facilitatorId', requireId(edit.facilitatorId, 'member')]);
  const changed = changes.filter(([key, value]) => record.get(key) !== value);
  if (changed.length > 0) transact(doc, () => changed.forEach(([key, value]) => record.set(key, value)));
}

/** Deletes a session. Its notes stay in Notes, and its action items stay on the board. */
export function deleteSession(doc: Y.Doc, sessionId: string): void {
  requireSession(doc, sessionId);
  transact(doc, () => sessionsMap(doc).delete(sessionId));
}

// ---------- agenda ----------

function writeAgendaItem(agenda: Y.Map<unknown>, item: { id: string; title: string; kind: AgendaKind; minutes: number; position: string; done: boolean }): void {
  const record = new Y.Map<unknown>();
  agenda.set(item.id, record);
  for (const [key, value] of Object.entries(item)) record.set(key, value);
}

function agendaRecord(record: Y.Map<unknown>, itemId: string): Y.Map<unknown> {
  const value = nested(record, 'agenda').get(itemId);
  if (!(value instanceof Y.Map)) throw new CommandError('That agenda item no longer exists.');
  return value;
}

export interface NewAgendaItem {
  readonly title: string;
  readonly minutes: number;
  readonly kind?: AgendaKind;
  /** Where in the agenda; at the end when left out. */
  readonly index?: number;
  readonly id?: string;
}

export function addAgendaItem(doc: Y.Doc, sessionId: string, input: NewAgendaItem): string {
  const { record, view } = requireSession(doc, sessionId);
  if (view.status === 'ended') throw new CommandError('This session has ended; plan the next one instead.');
  const title = parse(agendaTitleSchema, input.title);
  const minutes = parse(minutesSchema, input.minutes);
  const kind = input.kind ?? 'topic';
  if (!AGENDA_KINDS.includes(kind)) throw new CommandError('That is not a kind of agenda item.');
  if (view.agenda.length >= SESSION_LIMITS.itemsPerSession) throw new CommandError(`An agenda holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
  const id = input.id ?? newId();
  const agenda = nested(record, 'agenda');
  if (agenda.has(id)) throw new CommandError('An agenda item with this id already exists.');
  const placement = placeAt(view.agenda, input.index ?? view.agenda.length);
  transact(doc, () => {
    for (const rekey of placement.rekeyed) (agenda.get(rekey.id) as Y.Map<unknown> | undefined)?.set('position', rekey.position);
    writeAgendaItem(agenda, { id, title, kind, minutes, position: placement.position, done: false });
  });
  return id;
}

export interface AgendaItemEdit {
  readonly title?: string;
  readonly minutes?: number;
  readonly kind?: AgendaKind;
}

/** Changes an item's title, time box or kind; each merges on its own with a peer's edit of another. */
export function updateAgendaItem(doc: Y.Doc, sessionId: string, itemId: string, edit: AgendaItemEdit): void {
  const { record } = requireSession(doc, sessionId);
  const item = agendaRecord(record, itemId);
  const changes: [string, unknown][] = [];
  if (edit.title !== undefined) changes.push(['title', parse(agendaTitleSchema, edit.title)]);
  if (edit.minutes !== undefined) changes.push(['minutes', parse(minutesSchema, edit.minutes)]);
  if (edit.kind !== undefined) {
    if (!AGENDA_KINDS.includes(edit.kind)) throw new CommandError('That is not a kind of agenda item.');
    changes.push(['kind', edit.kind]);
  }
  const changed = changes.filter(([key, value]) => item.get(key) !== value);
  if (changed.length > 0) transact(doc, () => changed.forEach(([key, value]) => item.set(key, value)));
}

/** Puts an item at `index` among the other items; fractional keys, so concurrent moves converge. */
export function moveAgendaItem(doc: Y.Doc, sessionId: string, itemId: string, index: number): void {
  const { record, view } = requireSession(doc, sessionId);
  const item = agendaRecord(record, itemId);
  const others = view.agenda.filter((entry) => entry.id !== itemId);
  const at = Math.max(0, Math.min(Math.trunc(Number.isFinite(index) ? index : others.length), others.length));
  if (view.agenda.findIndex((entry) => entry.id === itemId) === at) return;
  const placement = placeAt(others, at);
  const agenda = nested(record, 'agenda');
  transact(doc, () => {
    for (const rekey of placement.rekeyed) (agenda.get(rekey.id) as Y.Map<unknown> | undefined)?.set('position', rekey.position);
    item.set('position', placement.position);
  });
}

export function setAgendaItemDone(doc: Y.Doc, sessionId: string, itemId: string, done: boolean): void {
  const { record } = requireSession(doc, sessionId);
  const item = agendaRecord(record, itemId);
  if (item.get('done') !== done) transact(doc, () => item.set('done', done));
}

export function removeAgendaItem(doc: Y.Doc, sessionId: string, itemId: string): void {
  const { record } = requireSession(doc, sessionId);
  agendaRecord(record, itemId);
  transact(doc, () => nested(record, 'agenda').delete(itemId));
}

// ---------- hot seats ----------

/** Sets who takes the hot seats, in order; the first sits in the first hot-seat item, and so on. */
export function setHotSeatOrder(doc: Y.Doc, sessionId: string, memberIds: readonly string[]): void {
  const { record } = requireSession(doc, sessionId);
  const order = [...new Set(memberIds.map((memberId) => requireId(memberId, 'member')))];
  if (order.length > 200) throw new CommandError('That is too many members for one rotation.');
  transact(doc, () => record.set('hotSeatOrder', order));
}

/** A fair shuffle of `memberIds` (Fisher–Yates), written as the rotation. `random` is for tests. */
export function shuffleHotSeats(doc: Y.Doc, sessionId: string, memberIds: readonly string[], random: () => number = Math.random): string[] {
  const order = [...new Set(memberIds)];
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  setHotSeatOrder(doc, sessionId, order);
  return order;
}

// ---------- running ----------

/** Starts the session on its first item not done yet, with that item's timer running. */
export function startSession(doc: Y.Doc, sessionId: string, actor: RunActor): void {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  if (view.status === 'live') return;
  if (view.status === 'ended') throw new CommandError('This session has ended; plan the next one instead.');
  const clock = clockOf(doc, actor);
  const first = view.agenda.find((item) => !item.done) ?? null;
  transact(doc, () => {
    record.set('startedAt', clock.now);
    writeRun(record, freshRun(first?.id ?? null, first?.minutes ?? 0, clock, actor.by, true));
  });
}

/**
 * Moves on from the item under way: marks it done and goes to the next item not done yet, its timer
 * running. The target is absolute ("go to item B"), never "one further": two facilitators who press
 * Next at the same moment both write "B", so one item is skipped by neither. The run state is written
 * whole, so if their presses differed the one Yjs keeps wins on every peer, and it names who made it.
 * Returns the new current item's id, or null when the agenda is finished.
 */
export function nextItem(doc: Y.Doc, sessionId: string, actor: RunActor): string | null {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  requireLive(view);
  const clock = clockOf(doc, actor);
  const currentId = view.run?.itemId ?? null;
  const at = currentId === null ? -1 : view.agenda.findIndex((item) => item.id === currentId);
  const next = view.agenda.slice(at + 1).find((item) => !item.done && item.id !== currentId) ?? null;
  transact(doc, () => {
    if (at >= 0) agendaRecord(record, currentId!).set('done', true);
    writeRun(record, freshRun(next?.id ?? null, next?.minutes ?? 0, clock, actor.by, true));
  });
  return next?.id ?? null;
}

/** Jumps to a particular item (e.g. back to one that needs more time), its timer fresh and running. */
export function goToItem(doc: Y.Doc, sessionId: string, itemId: string, actor: RunActor): void {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  requireLive(view);
  const item = view.agenda.find((entry) => entry.id === itemId);
  if (!item) throw new CommandError('That agenda item no longer exists.');
  const clock = clockOf(doc, actor);
  transact(doc, () => {
    if (item.done) agendaRecord(record, itemId).set('done', false);
    writeRun(record, freshRun(itemId, item.minutes, clock, actor.by, true));
  });
}

function changeTimer(doc: Y.Doc, sessionId: string, actor: RunActor, change: (run: RunState, clock: ClockReading) => RunState): void {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  requireLive(view);
  if (!view.run || view.run.itemId === null) throw new CommandError('There is no agenda item under way.');
  const clock = clockOf(doc, actor);
  const changed = change(view.run, clock);
  // `at` is read in the timer's own clock, like `startedAt`, so every device can place it in its own.
  const next = { ...changed, by: actor.by, at: nowInClockOf(changed, clock) };
  transact(doc, () => writeRun(record, next));
}

export function startTimer(doc: Y.Doc, sessionId: string, actor: RunActor): void {
  changeTimer(doc, sessionId, actor, (run, clock) => startedTimer(run, clock));
}

export function pauseTimer(doc: Y.Doc, sessionId: string, actor: RunActor): void {
  changeTimer(doc, sessionId, actor, (run, clock) => pausedTimer(run, clock));
}

/** Adds time to the item under way (whole minutes; negative takes time off, never below zero). */
export function extendTimer(doc: Y.Doc, sessionId: string, minutes: number, actor: RunActor): void {
  if (!Number.isInteger(minutes) || minutes === 0 || Math.abs(minutes) > SESSION_LIMITS.maxMinutes) throw new CommandError('Extend by a whole number of minutes.');
  changeTimer(doc, sessionId, actor, (run) => extendedTimer(run, minutes * 60_000));
}

/** Restarts the item under way from its full time box, paused. */
export function resetTimer(doc: Y.Doc, sessionId: string, actor: RunActor): void {
  const { view } = requireSession(doc, sessionId);
  const minutes = view.current?.minutes ?? 0;
  changeTimer(doc, sessionId, actor, (run) => ({ ...run, durationMs: minutes * 60_000, elapsedMs: 0, startedAt: null }));
}

/** Ends the session: the timer stops, hands are cleared, and it shows under past sessions. */
export function endSession(doc: Y.Doc, sessionId: string, actor: RunActor): void {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  if (view.status === 'ended') return;
  if (view.status === 'planned') throw new CommandError('This session has not started.');
  const clock = clockOf(doc, actor);
  transact(doc, () => {
    record.set('endedAt', clock.now);
    if (view.run) writeRun(record, { ...pausedTimer(view.run, clock), by: actor.by, at: nowInClockOf(view.run, clock) });
    record.set('speaker', null);
    const hands = nested(record, 'hands');
    for (const key of [...hands.keys()]) hands.delete(key);
  });
}

// ---------- speaking queue ----------

/**
 * Raises a member's hand. Hands are keyed by member, so a member is in the queue once however many
 * devices raise it. The ticket is one more than any hand this device can see: whoever raised after
 * seeing another hand queues behind it, whatever the clocks say; hands raised unaware of each other
 * share a ticket and go by when they were raised, then by id.
 */
export function raiseHand(doc: Y.Doc, sessionId: string, actor: Actor): void {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  requireLive(view);
  const hands = nested(record, 'hands');
  if (hands.has(actor.by)) return;
  const ticket = view.hands.reduce((max, hand) => Math.max(max, hand.ticket), 0) + 1;
  transact(doc, () => hands.set(actor.by, { memberId: actor.by, ticket, raisedAt: actor.now ?? Date.now() }));
}

export function lowerHand(doc: Y.Doc, sessionId: string, memberId: string): void {
  const { record } = requireSession(doc, sessionId);
  const hands = nested(record, 'hands');
  if (hands.has(memberId)) transact(doc, () => hands.delete(memberId));
}

/** The facilitator gives the floor to the first hand in the queue; returns who, or null if none is up. */
export function callNextSpeaker(doc: Y.Doc, sessionId: string, actor: Actor): string | null {
  checkActor(actor);
  const { record, view } = requireSession(doc, sessionId);
  requireLive(view);
  const first = orderHands(view.hands)[0] ?? null;
  transact(doc, () => {
    if (first) nested(record, 'hands').delete(first.memberId);
    record.set('speaker', first ? { memberId: first.memberId, since: actor.now ?? Date.now(), by: actor.by } : null);
  });
  return first?.memberId ?? null;
}

export function clearSpeaker(doc: Y.Doc, sessionId: string): void {
  const { record } = requireSession(doc, sessionId);
  if (record.get('speaker') !== null) transact(doc, () => record.set('speaker', null));
}

// ---------- attendance ----------

/**
 * Records members seen present (through presence) during a live session. Only first sightings are
 * written, so every device that sees the same people writes each of them at most once.
 */
export function recordPresence(doc: Y.Doc, sessionId: string, memberIds: readonly string[], now = Date.now()): number {
  const { record, view } = requireSession(doc, sessionId);
  if (view.status !== 'live') return 0;
  const attendance = nested(record, 'attendance');
  const fresh = [...new Set(memberIds)].filter((memberId) => ID_PATTERN.test(memberId) && !attendance.has(memberId));
  if (fresh.length > 0) transact(doc, () => fresh.forEach((memberId) => attendance.set(memberId, { firstSeenAt: now })));
  return fresh.length;
}

/** Marks a member present or absent by hand; a hand-made mark wins over what presence recorded. */
export function setAttendance(doc: Y.Doc, sessionId: string, memberId: string, present: boolean, actor: Actor): void {
  checkActor(actor);
  const { record } = requireSession(doc, sessionId);
  requireId(memberId, 'member');
  transact(doc, () => nested(record, 'attendanceEdits').set(memberId, { present, by: actor.by, at: actor.now ?? Date.now() }));
}

// ---------- action items ----------

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
  if (view.actions.length >= SESSION_LIMITS.actionsPerSession) throw new CommandError(`A session holds up to ${SESSION_LIMITS.actionsPerSession} action items.`);
  const boardId = sessionSettingsMap(doc).get('actionBoardId');
  const column = typeof boardId === 'string' ? boardColumns(doc, boardId)[0] : undefined;
  if (typeof boardId !== 'string' || !column) throw new CommandError('Choose the board that action items go on first.');
  const id = input.id ?? newId();
  const actions = nested(record, 'actions');
  if (actions.has(id)) throw new CommandError('An action item with this id already exists.');
  const now = input.now ?? Date.now();
  const day = new Date(view.scheduledAt).toISOString().slice(0, 10);
  transact(doc, () => {
    const cardId = addCard(doc, { boardId, columnId: column.id, title: text, by: input.by, now, description: `Committed in the session “${view.title}” (${day}).` });
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
  if (actor.by !== entry.action.ownerId && actor.by !== view.facilitatorId) throw new CommandError('Only the person who made the commitment, or the facilitator, can check in on it.');
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
    } else if (status !== 'carried' && carried !== undefined && view.actions.some((action) => action.id === actionId && action.carriedFrom !== null)) {
      actions.delete(actionId);
    }
    if (status === 'done' && card && lastColumn && card.column?.id !== lastColumn.id) {
      moveCard(doc, card.card.id, lastColumn.id, columnCards(doc, card.board.id, lastColumn.id).length, now);
    }
  });
}

// ---------- templates ----------

export interface NewTemplate extends Actor {
  readonly name: string;
  readonly items: readonly TemplateItem[];
  readonly id?: string;
}

/** Saves an agenda as one of the community's own templates. */
export function saveTemplate(doc: Y.Doc, input: NewTemplate): string {
  checkActor(input);
  const name = parse(templateNameSchema, input.name);
  const items = input.items.map((item) => parse(templateItemSchema, item));
  if (items.length === 0) throw new CommandError('Add agenda items before saving it as a template.');
  if (items.length > SESSION_LIMITS.itemsPerSession) throw new CommandError(`A template holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
  if (templatesMap(doc).size >= SESSION_LIMITS.templates) throw new CommandError(`A community keeps up to ${SESSION_LIMITS.templates} templates.`);
  const id = input.id ?? newId();
  transact(doc, () => templatesMap(doc).set(id, { v: TEMPLATE_RECORD_VERSION, id, name, items, createdAt: input.now ?? Date.now(), createdBy: input.by }));
  return id;
}

export function deleteTemplate(doc: Y.Doc, templateId: string): void {
  if (!templatesMap(doc).has(templateId)) throw new CommandError('That template no longer exists.');
  transact(doc, () => templatesMap(doc).delete(templateId));
}
