// Running a live session: starting and ending it, the current item, the shared timer, the speaking
// queue and attendance. README.md says why each piece of run state has the shape it has.
import type * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { ID_PATTERN } from '../ids.js';
import { orderHands, type SessionView } from './queries.js';
import { SESSION_LIMITS, runStateSchema, type RunState } from './schema.js';
import { agendaRecord, nested, requireSession } from './session-records.js';
import { extendedTimer, nowInClockOf, pausedTimer, startedTimer, type ClockReading } from './timer.js';
import { CommandError, parse, requireId, transact } from '../doc/records.js';

/** A member acting in run mode, with this device's clock (defaults: doc.clientID and Date.now()). */
export interface RunActor extends Actor {
  readonly clock?: ClockReading;
}

function clockOf(doc: Y.Doc, actor: RunActor): ClockReading {
  return actor.clock ?? { client: doc.clientID, now: actor.now ?? Date.now() };
}

function requireLive(view: SessionView): void {
  if (view.status === 'planned') throw new CommandError('Start the session first.');
  if (view.status === 'ended') throw new CommandError('This session has ended.');
}

function writeRun(record: Y.Map<unknown>, run: RunState): void {
  record.set('run', parse(runStateSchema, run));
}

function freshRun(itemId: string | null, minutes: number, clock: ClockReading, by: string, running: boolean): RunState {
  return {
    itemId,
    durationMs: itemId === null ? 0 : minutes * 60_000,
    elapsedMs: 0,
    startedAt: running && itemId !== null ? clock.now : null,
    clock: clock.client,
    by,
    at: clock.now,
  };
}

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
  if (!Number.isInteger(minutes) || minutes === 0 || Math.abs(minutes) > SESSION_LIMITS.maxMinutes)
    throw new CommandError('Extend by a whole number of minutes.');
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
