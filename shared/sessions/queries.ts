// Reads of sessions: the list (live, upcoming, past), one session with everything run mode shows, the
// series a new session can continue, and the templates. Each returns plain, validated data; a record
// a peer wrote in a shape this version does not understand is skipped and reported, never thrown.
import * as Y from 'yjs';
import { compareOrdered } from '../boards/order.js';
import { nestedOf, sessionSettingsMap, sessionsMap, templatesMap, SESSION_NESTED } from './doc.js';
import {
  SESSION_RECORD_VERSION,
  actionItemSchema,
  agendaItemSchema,
  attendanceEditSchema,
  checkInSchema,
  handSchema,
  presenceRecordSchema,
  sessionFieldsSchema,
  templateRecordSchema,
  type ActionItemRecord,
  type AgendaItemRecord,
  type CheckInStatus,
  type HandRecord,
  type RunState,
  type SessionFields,
  type Speaker,
} from './schema.js';
import { BUILT_IN_TEMPLATES, type SessionTemplate } from './templates.js';
import {
  describeZodError,
  plainValue,
  type Read,
  readEntries,
  readRecordFields,
  type RecordType,
  type SchemaProblem,
} from '../doc/records.js';

export type SessionStatus = 'planned' | 'live' | 'ended';

export interface AgendaItem extends AgendaItemRecord {
  /** For hot-seat items: which hot seat this is (1, 2, …) and who sits in it, from the rotation order. */
  readonly seat: number | null;
  readonly hotSeatMemberId: string | null;
}

export interface AttendanceEntry {
  readonly memberId: string;
  readonly present: boolean;
  /** Where `present` comes from: seen in the session (presence), or set by hand. */
  readonly source: 'presence' | 'edit';
  readonly firstSeenAt: number | null;
}

export interface ActionItem extends ActionItemRecord {
  readonly sessionId: string;
}

export interface CheckInEntry {
  /** A commitment made in the previous session of the series. */
  readonly action: ActionItem;
  readonly status: CheckInStatus | null;
  readonly by: string | null;
  readonly at: number | null;
}

export interface SessionSummary {
  readonly id: string;
  readonly title: string;
  readonly seriesId: string;
  readonly scheduledAt: number;
  readonly facilitatorId: string;
  readonly status: SessionStatus;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly itemCount: number;
  readonly totalMinutes: number;
  readonly actionCount: number;
  /** The title of the item under way, for a live session. */
  readonly currentTitle: string | null;
}

export interface SessionView extends SessionSummary {
  readonly noteId: string | null;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly agenda: readonly AgendaItem[];
  /** The run state as stored (current item and timer); null before the session starts. */
  readonly run: RunState | null;
  /** The item under way; null when none is (not started, agenda finished, or the item was removed). */
  readonly current: AgendaItem | null;
  readonly speaker: Speaker | null;
  /** Raised hands in the order they are called: by ticket, then when raised, then by member id. */
  readonly hands: readonly HandRecord[];
  readonly hotSeatOrder: readonly string[];
  readonly attendance: readonly AttendanceEntry[];
  readonly actions: readonly ActionItem[];
  /** The previous session of the same series, whose commitments this one checks in on. */
  readonly previousSessionId: string | null;
  readonly checkIns: readonly CheckInEntry[];
  readonly problems: readonly SchemaProblem[];
}

export interface SeriesSummary {
  readonly seriesId: string;
  /** The title of its latest session. */
  readonly title: string;
  readonly sessions: number;
  readonly lastScheduledAt: number;
}

// Fields commands overwrite: while a peer's updates arrive out of order, an overwritten value can be
// deleted before its replacement arrives; it reads as its default for that moment instead of hiding
// the whole session.
const OVERWRITTEN_SESSION_FIELDS = { noteId: null, startedAt: null, endedAt: null, run: null, speaker: null, hotSeatOrder: [] };
const OVERWRITTEN_ITEM_FIELDS = { done: false };

const SESSION: RecordType<SessionFields> = {
  what: 'session',
  version: SESSION_RECORD_VERSION,
  schema: sessionFieldsSchema,
  nested: SESSION_NESTED,
  defaults: OVERWRITTEN_SESSION_FIELDS,
};

export function readSessionFields(value: unknown, key: string): Read<SessionFields> {
  return readRecordFields(value, key, SESSION);
}

function statusOf(fields: Pick<SessionFields, 'startedAt' | 'endedAt'>): SessionStatus {
  if (fields.endedAt !== null) return 'ended';
  return fields.startedAt !== null ? 'live' : 'planned';
}

function readAgenda(record: Y.Map<unknown>, fields: SessionFields, problems: SchemaProblem[]): AgendaItem[] {
  const items: AgendaItemRecord[] = readEntries(
    nestedOf(record, 'agenda'),
    agendaItemSchema,
    `sessions.${fields.id}.agenda`,
    problems,
    (item) => item.id,
    (value) => (value instanceof Y.Map ? { ...OVERWRITTEN_ITEM_FIELDS, ...value.toJSON() } : value),
  );
  items.sort(compareOrdered);
  let seat = 0;
  return items.map((item) => {
    if (item.kind !== 'hotSeat') return { ...item, seat: null, hotSeatMemberId: null };
    seat += 1;
    return { ...item, seat, hotSeatMemberId: fields.hotSeatOrder[seat - 1] ?? null };
  });
}

function readActions(record: Y.Map<unknown>, sessionId: string, problems: SchemaProblem[]): ActionItem[] {
  const actions: ActionItem[] = readEntries(
    nestedOf(record, 'actions'),
    actionItemSchema,
    `sessions.${sessionId}.actions`,
    problems,
    (item) => item.id,
  ).map((item) => ({ ...item, sessionId }));
  return actions.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Raised hands in calling order. Tickets are Lamport-style (see commands), so they respect causality. */
export function orderHands(hands: readonly HandRecord[]): HandRecord[] {
  return [...hands].sort(
    (a, b) => a.ticket - b.ticket || a.raisedAt - b.raisedAt || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
  );
}

interface Parsed {
  readonly record: Y.Map<unknown>;
  readonly fields: SessionFields;
}

function parseAll(doc: Y.Doc, problems: SchemaProblem[]): Parsed[] {
  const sessions: Parsed[] = [];
  for (const [key, value] of sessionsMap(doc).entries()) {
    const read = readSessionFields(value, key);
    if (read.ok) sessions.push({ record: value as Y.Map<unknown>, fields: read.value });
    else problems.push({ where: `sessions.${key}`, message: read.message });
  }
  return sessions;
}

function summarize({ record, fields }: Parsed, problems: SchemaProblem[]): SessionSummary & { agenda: AgendaItem[] } {
  const agenda = readAgenda(record, fields, problems);
  const status = statusOf(fields);
  const current = status === 'live' && fields.run?.itemId ? (agenda.find((item) => item.id === fields.run!.itemId) ?? null) : null;
  return {
    id: fields.id,
    title: fields.title,
    seriesId: fields.seriesId,
    scheduledAt: fields.scheduledAt,
    facilitatorId: fields.facilitatorId,
    status,
    startedAt: fields.startedAt,
    endedAt: fields.endedAt,
    itemCount: agenda.length,
    totalMinutes: agenda.reduce((sum, item) => sum + item.minutes, 0),
    actionCount: nestedOf(record, 'actions')?.size ?? 0,
    currentTitle: current?.title ?? null,
    agenda,
  };
}

const byTime = (a: { scheduledAt: number; id: string }, b: { scheduledAt: number; id: string }) =>
  a.scheduledAt - b.scheduledAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Live sessions first, then upcoming ones soonest first, then past ones latest first. */
export function listSessions(doc: Y.Doc, problems: SchemaProblem[] = []): SessionSummary[] {
  const summaries = parseAll(doc, problems).map((parsed) => {
    const { agenda: _agenda, ...summary } = summarize(parsed, []);
    return summary;
  });
  const rank = { live: 0, planned: 1, ended: 2 } as const;
  return summaries.sort((a, b) => rank[a.status] - rank[b.status] || (a.status === 'ended' ? byTime(b, a) : byTime(a, b)));
}

export function countSessions(doc: Y.Doc): number {
  try {
    return listSessions(doc).length;
  } catch {
    return 0;
  }
}

/** The session before `fields` in its series (by scheduled time, then id), if any. */
function previousInSeries(all: readonly Parsed[], fields: SessionFields): Parsed | null {
  let best: Parsed | null = null;
  for (const candidate of all) {
    if (candidate.fields.seriesId !== fields.seriesId || candidate.fields.id === fields.id) continue;
    if (byTime(candidate.fields, fields) >= 0) continue;
    if (!best || byTime(candidate.fields, best.fields) > 0) best = candidate;
  }
  return best;
}

export function readSession(doc: Y.Doc, sessionId: string): SessionView | null {
  const problems: SchemaProblem[] = [];
  const all = parseAll(doc, []);
  const parsed = all.find((candidate) => candidate.fields.id === sessionId);
  if (!parsed) return null;
  const { record, fields } = parsed;
  const summary = summarize(parsed, problems);
  const where = `sessions.${sessionId}`;

  const hands = orderHands(readEntries(nestedOf(record, 'hands'), handSchema, `${where}.hands`, problems, (hand) => hand.memberId));
  const seen = new Map<string, number>();
  for (const [memberId, value] of nestedOf(record, 'attendance')?.entries() ?? []) {
    const entry = presenceRecordSchema.safeParse(value);
    if (entry.success) seen.set(memberId, entry.data.firstSeenAt);
    else problems.push({ where: `${where}.attendance.${memberId}`, message: describeZodError(entry.error) });
  }
  const edits = new Map<string, boolean>();
  for (const [memberId, value] of nestedOf(record, 'attendanceEdits')?.entries() ?? []) {
    const entry = attendanceEditSchema.safeParse(value);
    if (entry.success) edits.set(memberId, entry.data.present);
    else problems.push({ where: `${where}.attendanceEdits.${memberId}`, message: describeZodError(entry.error) });
  }
  const attendance: AttendanceEntry[] = [...new Set([...seen.keys(), ...edits.keys()])].sort().map((memberId) => {
    const edit = edits.get(memberId);
    return {
      memberId,
      present: edit ?? seen.has(memberId),
      source: edit === undefined ? 'presence' : 'edit',
      firstSeenAt: seen.get(memberId) ?? null,
    };
  });

  const previous = previousInSeries(all, fields);
  const checkInRecords = new Map<string, { status: CheckInStatus; by: string; at: number }>();
  for (const [actionId, value] of nestedOf(record, 'checkIns')?.entries() ?? []) {
    const entry = checkInSchema.safeParse(value);
    if (entry.success) checkInRecords.set(actionId, entry.data);
    else problems.push({ where: `${where}.checkIns.${actionId}`, message: describeZodError(entry.error) });
  }
  const checkIns: CheckInEntry[] = previous
    ? readActions(previous.record, previous.fields.id, problems).map((action) => {
        const entry = checkInRecords.get(action.id);
        return { action, status: entry?.status ?? null, by: entry?.by ?? null, at: entry?.at ?? null };
      })
    : [];

  return {
    ...summary,
    noteId: fields.noteId,
    createdAt: fields.createdAt,
    createdBy: fields.createdBy,
    run: fields.run,
    current:
      summary.status === 'live' && fields.run?.itemId ? (summary.agenda.find((item) => item.id === fields.run!.itemId) ?? null) : null,
    speaker: summary.status === 'live' ? fields.speaker : null,
    hands: summary.status === 'live' ? hands : [],
    hotSeatOrder: fields.hotSeatOrder,
    attendance,
    actions: readActions(record, sessionId, problems),
    previousSessionId: previous?.fields.id ?? null,
    checkIns,
    problems,
  };
}

/** Series that a new session can continue, the most recently scheduled first. */
export function listSeries(doc: Y.Doc): SeriesSummary[] {
  const bySeries = new Map<string, { title: string; sessions: number; lastScheduledAt: number; lastId: string }>();
  for (const { fields } of parseAll(doc, [])) {
    const entry = bySeries.get(fields.seriesId);
    if (!entry) {
      bySeries.set(fields.seriesId, { title: fields.title, sessions: 1, lastScheduledAt: fields.scheduledAt, lastId: fields.id });
      continue;
    }
    entry.sessions += 1;
    if (byTime(fields, { scheduledAt: entry.lastScheduledAt, id: entry.lastId }) > 0)
      Object.assign(entry, { title: fields.title, lastScheduledAt: fields.scheduledAt, lastId: fields.id });
  }
  return [...bySeries.entries()]
    .map(([seriesId, entry]) => ({ seriesId, title: entry.title, sessions: entry.sessions, lastScheduledAt: entry.lastScheduledAt }))
    .sort((a, b) => b.lastScheduledAt - a.lastScheduledAt || (a.seriesId < b.seriesId ? -1 : 1));
}

/** Built-in templates first, then the community's own, by name. */
export function listTemplates(doc: Y.Doc, problems: SchemaProblem[] = []): SessionTemplate[] {
  // Templates are plain JSON values, not maps: read as entries (they are never edited in place).
  const saved: SessionTemplate[] = readEntries(
    templatesMap(doc),
    templateRecordSchema,
    'sessionTemplates',
    problems,
    (template) => template.id,
    plainValue,
  ).map((template) => ({
    id: template.id,
    name: template.name,
    description: `${template.items.length} items, saved by the community`,
    items: template.items,
    builtIn: false,
  }));
  return [...BUILT_IN_TEMPLATES, ...saved.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))];
}

/** The board that action items become cards on, if one was chosen (it may since have been deleted). */
export function readActionBoardId(doc: Y.Doc): string | null {
  const value = sessionSettingsMap(doc).get('actionBoardId');
  return typeof value === 'string' ? value : null;
}
