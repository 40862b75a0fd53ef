// Where sessions live in a community's Y.Doc: the top-level maps and safe access to a session's nested maps.
import * as Y from 'yjs';
import { SESSION_TOP_LEVEL } from './schema.js';

export const SESSION_NESTED = ['agenda', 'hands', 'attendance', 'attendanceEdits', 'actions', 'checkIns'] as const;
export type SessionNested = (typeof SESSION_NESTED)[number];

export function sessionsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SESSION_TOP_LEVEL.sessions);
}

export function templatesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SESSION_TOP_LEVEL.templates);
}

export function sessionSettingsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SESSION_TOP_LEVEL.settings);
}

/** The session's Y.Map if it is one (a peer may have written anything there), else null. */
export function sessionRecord(doc: Y.Doc, sessionId: string): Y.Map<unknown> | null {
  const value = sessionsMap(doc).get(sessionId);
  return value instanceof Y.Map ? value : null;
}

/** A nested map of a session, or null when a peer replaced it with something else. */
export function nestedOf(record: Y.Map<unknown>, key: SessionNested): Y.Map<unknown> | null {
  const value = record.get(key);
  return value instanceof Y.Map ? value : null;
}
