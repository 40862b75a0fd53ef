// The Sessions section: live, upcoming and past sessions with the one that is open, and — as tabs
// beside them — the community's events and polls, since all three are about when the group meets.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { BarChart3, CalendarClock, CalendarDays, ChevronRight, Clock, Plus, Radio } from 'lucide-react';
import { countUpcomingEvents } from '../../shared/events/queries.js';
import { countOpenPolls } from '../../shared/polls/queries.js';
import { createSession } from '../../shared/sessions/session-commands.js';
import { deleteTemplate } from '../../shared/sessions/template-commands.js';
import { listSeries, listSessions, listTemplates, readSession, type SessionSummary } from '../../shared/sessions/queries.js';
import { errorMessage } from '../../shared/errors.js';
import { rememberBoard } from '../boards/BoardsPanel.js';
import type { SectionProps } from '../communities/section-types.js';
import { requestNote } from '../notes/note-intent.js';
import { EventsTab } from '../events/EventsTab.js';
import { PollsTab } from '../polls/PollsTab.js';
import { Avatar } from '../ui/Avatar.js';
import { EmptyState } from '../ui/EmptyState.js';
import { SkippedRecords } from '../ui/SkippedRecords.js';
import { Toast, type ToastMessage } from '../ui/Toast.js';
import { useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { formatMinutes, formatWhen } from './format.js';
import { takeSessionsIntent, type SessionsTab } from './intent.js';
import { NewSessionDialog } from './NewSessionDialog.js';
import { SessionPage } from './SessionPage.js';
import '../ui/controls.css';
import './sessions.css';
import { type SchemaProblem } from '../../shared/doc/records.js';

/** Where each community's Sessions section was left, so coming back lands there. */
const lastPlace = new Map<string, { tab: SessionsTab; sessionId: string | null }>();

export function SessionsPanel({ community, view, profile, host, openSection }: SectionProps) {
  const doc = community.doc;
  const me = profile.memberId;
  const intent = useRef(takeSessionsIntent(community.id));
  const remembered = lastPlace.get(community.id);
  const [tab, setTab] = useState<SessionsTab>(intent.current?.tab ?? remembered?.tab ?? 'sessions');
  const [openId, setOpenId] = useState<string | null>(
    intent.current ? (intent.current.sessionId ?? null) : (remembered?.sessionId ?? null),
  );
  const [creating, setCreating] = useState(intent.current?.create === true && intent.current.tab === 'sessions');
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismiss = useCallback(() => setToast(null), []);
  const onMessage = useCallback(
    (message: string, tone: 'neutral' | 'danger' = 'neutral') => setToast({ id: Date.now(), message, tone }),
    [],
  );
  const { sessions, problems } = useDocQuery(doc, (current) => {
    const found: SchemaProblem[] = [];
    return { sessions: listSessions(current, found), problems: found };
  });
  const session = useDocQuery(doc, (current) => (openId ? readSession(current, openId) : null), [openId]);
  const templates = useDocQuery(doc, (current) => listTemplates(current));
  const series = useDocQuery(doc, listSeries);

  useEffect(() => {
    intent.current = null;
  }, []);
  useEffect(() => {
    lastPlace.set(community.id, { tab, sessionId: openId });
  }, [community.id, tab, openId]);

  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = (memberId: string) => (memberId === me ? 'you' : (names.get(memberId) ?? 'a former member'));

  // What waits behind the other tabs, as on a board's tab: events still to come, polls still open.
  const now = useNow();
  const upcomingEvents = useDocQuery(doc, (current) => countUpcomingEvents(current, now), [now]);
  const openPolls = useDocQuery(doc, (current) => countOpenPolls(current, now), [now]);
  const tabs: { id: SessionsTab; label: string; icon: ReactNode; count?: number }[] = [
    { id: 'sessions', label: 'Sessions', icon: <CalendarClock size={15} /> },
    { id: 'events', label: 'Events', icon: <CalendarDays size={15} />, count: upcomingEvents },
    { id: 'polls', label: 'Polls', icon: <BarChart3 size={15} />, count: openPolls },
  ];

  return (
    <div className="sessions">
      <nav className="sessions-tabs" aria-label="Sessions, events and polls">
        {tabs.map((entry) => (
          <button
            key={entry.id}
            type="button"
            className="board-tab"
            aria-current={tab === entry.id ? 'page' : undefined}
            onClick={() => {
              setTab(entry.id);
              if (entry.id === 'sessions') setOpenId(null);
            }}
          >
            {entry.icon} {entry.label}
            {entry.count ? <span className="tab-count">{entry.count}</span> : null}
          </button>
        ))}
      </nav>

      {tab === 'events' ? (
        <EventsTab community={community} view={view} profile={profile} host={host} sessions={sessions} onMessage={onMessage} />
      ) : tab === 'polls' ? (
        <PollsTab community={community} view={view} profile={profile} onMessage={onMessage} onOpenEvents={() => setTab('events')} />
      ) : openId && session ? (
        <SessionPage
          key={session.id}
          community={community}
          session={session}
          me={me}
          myName={profile.displayName}
          members={view.members}
          host={host}
          onBack={() => setOpenId(null)}
          onOpen={setOpenId}
          onOpenNote={(noteId) => {
            requestNote({ communityId: community.id, noteId });
            openSection('notes');
          }}
          onOpenBoard={(boardId) => {
            rememberBoard(community.id, boardId);
            openSection('boards');
          }}
          onMessage={onMessage}
        />
      ) : (
        <>
          <SkippedRecords problems={problems} what="session" />
          <SessionList sessions={sessions} nameOf={nameOf} onOpen={setOpenId} onNew={() => setCreating(true)} />
        </>
      )}

      <NewSessionDialog
        open={creating}
        templates={templates}
        series={series}
        memberCount={view.members.length}
        onClose={() => setCreating(false)}
        onCreate={(input) => {
          const previous = input.seriesId
            ? sessions.filter((entry) => entry.seriesId === input.seriesId).sort((a, b) => b.scheduledAt - a.scheduledAt)[0]
            : undefined;
          const order = previous ? (readSession(doc, previous.id)?.hotSeatOrder ?? []) : view.members.map((member) => member.id);
          try {
            const id = createSession(doc, { ...input, by: me, hotSeatOrder: order });
            setCreating(false);
            setOpenId(id);
          } catch (error) {
            onMessage(errorMessage(error), 'danger');
          }
        }}
        onDeleteTemplate={(templateId) => {
          try {
            deleteTemplate(doc, templateId);
          } catch (error) {
            onMessage(errorMessage(error), 'danger');
          }
        }}
      />
      <Toast toast={toast} onDismiss={dismiss} />
    </div>
  );
}

function SessionList({
  sessions,
  nameOf,
  onOpen,
  onNew,
}: {
  sessions: readonly SessionSummary[];
  nameOf: (memberId: string) => string;
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const live = sessions.filter((session) => session.status === 'live');
  const planned = sessions.filter((session) => session.status === 'planned');
  const past = sessions.filter((session) => session.status === 'ended');
  if (sessions.length === 0) {
    return (
      <div className="card">
        <EmptyState
          big
          icon={<CalendarClock size={28} />}
          title="No sessions yet"
          action={
            <button type="button" className="button primary" style={{ marginTop: 12 }} onClick={onNew}>
              <Plus size={16} aria-hidden="true" /> Plan a session
            </button>
          }
        >
          Run the group’s meetings here: an agenda with time boxes, a timer everyone sees, hot seats, a speaking queue, live notes, and
          action items that land on a board.
        </EmptyState>
      </div>
    );
  }
  const row = (session: SessionSummary) => (
    <li key={session.id}>
      <button type="button" className={`session-row ${session.status}`} onClick={() => onOpen(session.id)}>
        <span className="session-date" aria-hidden="true">
          <span className="month">{new Date(session.scheduledAt).toLocaleDateString(undefined, { month: 'short' })}</span>
          <span className="day">{new Date(session.scheduledAt).getDate()}</span>
        </span>
        <span className="session-row-main">
          <span className="session-row-title">
            {session.title}
            {session.status === 'live' ? (
              <span className="live-badge">
                <Radio size={12} aria-hidden="true" /> Live
              </span>
            ) : null}
          </span>
          <span className="session-row-meta">
            <Clock size={12} aria-hidden="true" /> {formatWhen(session.scheduledAt)} · {session.itemCount} items,{' '}
            {formatMinutes(session.totalMinutes)} · facilitated by {nameOf(session.facilitatorId)}
            {session.status === 'live' && session.currentTitle ? ` · now: ${session.currentTitle}` : ''}
            {session.status === 'ended' && session.actionCount > 0
              ? ` · ${session.actionCount} action ${session.actionCount === 1 ? 'item' : 'items'}`
              : ''}
          </span>
        </span>
        <Avatar id={session.facilitatorId} name={nameOf(session.facilitatorId)} size="sm" />
        <ChevronRight size={16} aria-hidden="true" className="chevron" />
      </button>
    </li>
  );
  return (
    <div className="card session-list">
      <header className="list-header">
        <div>
          <h2>Sessions</h2>
          <p className="muted">Live meetings with an agenda, a shared timer and outcomes that stay.</p>
        </div>
        <button type="button" className="button primary" onClick={onNew}>
          <Plus size={16} aria-hidden="true" /> Plan a session
        </button>
      </header>
      {live.length > 0 ? (
        <section aria-label="Live now">
          <h3 className="list-group-title">Live now</h3>
          <ul className="session-rows">{live.map(row)}</ul>
        </section>
      ) : null}
      <section aria-label="Upcoming sessions">
        <h3 className="list-group-title">Upcoming</h3>
        {planned.length > 0 ? (
          <ul className="session-rows">{planned.map(row)}</ul>
        ) : (
          <p className="list-empty">Nothing planned. Plan the next session, or continue a series from a past one.</p>
        )}
      </section>
      {past.length > 0 ? (
        <section aria-label="Past sessions">
          <h3 className="list-group-title">Past</h3>
          <ul className="session-rows">{past.map(row)}</ul>
        </section>
      ) : null}
    </div>
  );
}
