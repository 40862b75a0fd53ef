// What every session command starts from: the session's record and its view, its nested maps, and
// agenda item records; one copy here, so every command refuses a gone or unreadable session alike.
import * as Y from 'yjs';
import { nestedOf, sessionRecord, type SessionNested } from './doc.js';
import { readSession, type SessionView } from './queries.js';
import type { AgendaKind } from './schema.js';
import { CommandError } from '../doc/records.js';

/** The session's record and its validated view; refuses sessions that are gone or unreadable. */
export function requireSession(doc: Y.Doc, sessionId: string): { record: Y.Map<unknown>; view: SessionView } {
  const record = sessionRecord(doc, sessionId);
  const view = record ? readSession(doc, sessionId) : null;
  if (!record || !view) throw new CommandError('That session no longer exists.');
  return { record, view };
}

export function nested(record: Y.Map<unknown>, key: SessionNested): Y.Map<unknown> {
  const map = nestedOf(record, key);
  if (!map) throw new CommandError('This session was saved in a shape this version of Hearth cannot change.');
  return map;
}

export function writeAgendaItem(
  agenda: Y.Map<unknown>,
  item: { id: string; title: string; kind: AgendaKind; minutes: number; position: string; done: boolean },
): void {
  const record = new Y.Map<unknown>();
  agenda.set(item.id, record);
  for (const [key, value] of Object.entries(item)) record.set(key, value);
}

export function agendaRecord(record: Y.Map<unknown>, itemId: string): Y.Map<unknown> {
  const value = nested(record, 'agenda').get(itemId);
  if (!(value instanceof Y.Map)) throw new CommandError('That agenda item no longer exists.');
  return value;
}
