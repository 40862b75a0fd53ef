// Planning sessions: creating one (or the next of its series), editing when and who runs it, deleting
// it, and its hot-seat rotation. Each validates its input and runs in one transaction with the local
// origin; README.md says why the rotation is one value.
import * as Y from 'yjs';
import { checkActor, type Actor } from '../community/actor.js';
import { newId } from '../ids.js';
import { generateNKeysBetween } from 'fractional-indexing';
import { createNote } from '../notes/commands.js';
import { NOTE_LIMITS } from '../notes/schema.js';
import { sessionsMap } from './doc.js';
import { SESSION_LIMITS, SESSION_RECORD_VERSION, sessionTitleSchema, templateItemSchema, type TemplateItem } from './schema.js';
import { requireSession, writeAgendaItem } from './session-records.js';
import { CommandError, parse, requireId, transact } from '../doc/records.js';

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
  if (agenda.length > SESSION_LIMITS.itemsPerSession)
    throw new CommandError(`An agenda holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
  const seriesId = input.seriesId === undefined ? newId() : requireId(input.seriesId, 'series');
  const facilitatorId = requireId(input.facilitatorId ?? input.by, 'member');
  const hotSeatOrder = [...new Set(input.hotSeatOrder ?? [])].map((memberId) => requireId(memberId, 'member'));
  const id = input.id ?? newId();
  if (sessionsMap(doc).has(id)) throw new CommandError('A session with this id already exists.');
  const now = input.now ?? Date.now();
  const positions = generateNKeysBetween(null, null, agenda.length);
  transact(doc, () => {
    const noteId =
      input.withNotes === false
        ? null
        : createNote(doc, {
            title: `${title}, ${new Date(input.scheduledAt).toISOString().slice(0, 10)} — notes`.slice(0, NOTE_LIMITS.titleChars),
            by: input.by,
            now,
          }).id;
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
export function planNextInSeries(
  doc: Y.Doc,
  sessionId: string,
  actor: Actor & { readonly scheduledAt?: number; readonly id?: string },
): string {
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
