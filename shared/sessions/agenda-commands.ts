// Changes to a session's agenda: adding, editing, reordering, ticking off and removing items. Order is
// by fractional keys, so two members reordering at once converge.
import type * as Y from 'yjs';
import { newId } from '../ids.js';
import { placeAt } from '../boards/order.js';
import { SESSION_LIMITS, agendaTitleSchema, minutesSchema, type AgendaKind, AGENDA_KINDS } from './schema.js';
import { agendaRecord, nested, requireSession, writeAgendaItem } from './session-records.js';
import { CommandError, parse, transact } from '../doc/records.js';

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
  if (view.agenda.length >= SESSION_LIMITS.itemsPerSession)
    throw new CommandError(`An agenda holds up to ${SESSION_LIMITS.itemsPerSession} items.`);
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
