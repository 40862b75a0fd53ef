// The Sessions section as the community home lists it: its tab, its count, and its card across the top
// of home — a live session to join, the next session, the next event with this member's RSVP, and the
// open polls — and its page (sessions, events and polls).
import type { ReactNode } from 'react';
import { BarChart3, CalendarClock, CalendarDays, ChevronRight, Plus, Radio } from 'lucide-react';
import { listEvents } from '../../shared/events/queries.js';
import { listPolls } from '../../shared/polls/queries.js';
import { countSessions, listSessions } from '../../shared/sessions/queries.js';
import type { SectionDefinition, SectionProps } from '../communities/section-types.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { describeOccurrence } from '../events/EventsTab.js';
import { formatMinutes, formatWhen } from './format.js';
import { requestSessions, type SessionsIntent } from './intent.js';
import { SessionsPanel } from './SessionsPanel.js';
import '../ui/home-list.css';
import './sessions.css';

function SessionsHomeCard({ community, profile, openSection }: SectionProps) {
  const doc = community.doc;
  const now = useNow();
  const sessions = useDocQuery(doc, (current) => listSessions(current));
  const events = useDocQuery(doc, (current) => listEvents(current, now).upcoming, [now]);
  const polls = useDocQuery(doc, (current) => listPolls(current, profile.memberId, now).polls.filter((poll) => poll.open), [
    profile.memberId,
    now,
  ]);
  const go = (intent: Omit<SessionsIntent, 'communityId'>) => {
    requestSessions({ communityId: community.id, ...intent });
    openSection('sessions');
  };
  const live = sessions.find((session) => session.status === 'live');
  const next = sessions.find((session) => session.status === 'planned');
  const event = events[0];

  if (sessions.length === 0 && events.length === 0 && polls.length === 0) {
    return (
      <EmptyState
        icon={<CalendarClock size={20} />}
        title="No sessions scheduled"
        action={
          <button
            type="button"
            className="button tight"
            style={{ justifySelf: 'start', marginTop: 4 }}
            onClick={() => go({ tab: 'sessions', create: true })}
          >
            <Plus size={15} aria-hidden="true" /> Plan a session
          </button>
        }
      >
        Run live meetings with an agenda, a shared timer, hot seats and action items; schedule events and ask the group in polls.
      </EmptyState>
    );
  }
  const myRsvp = event ? (['yes', 'maybe', 'no'] as const).find((answer) => event.rsvps[answer].includes(profile.memberId)) : undefined;
  return (
    <div className="sessions-home">
      {live ? (
        <button type="button" className="live-strip" onClick={() => go({ tab: 'sessions', sessionId: live.id })}>
          <span className="live-badge">
            <Radio size={13} aria-hidden="true" /> Live now
          </span>
          <span className="live-strip-title">{live.title}</span>
          {live.currentTitle ? <span className="live-strip-meta">{live.currentTitle}</span> : null}
          <span className="live-strip-join">
            Join <ChevronRight size={15} aria-hidden="true" />
          </span>
        </button>
      ) : null}
      <div className="sessions-home-grid">
        <HomeColumn
          icon={<CalendarClock size={13} />}
          label="Next session"
          empty="Nothing planned"
          emptyAction="Plan a session"
          onEmpty={() => go({ tab: 'sessions', create: true })}
        >
          {next ? (
            <button type="button" className="home-item" onClick={() => go({ tab: 'sessions', sessionId: next.id })}>
              <span className="home-item-title">{next.title}</span>
              <span className="home-item-meta">
                {formatWhen(next.scheduledAt)} · {formatMinutes(next.totalMinutes)}
              </span>
            </button>
          ) : null}
        </HomeColumn>
        <HomeColumn
          icon={<CalendarDays size={13} />}
          label="Next event"
          empty="No events coming up"
          emptyAction="Schedule one"
          onEmpty={() => go({ tab: 'events' })}
        >
          {event?.next ? (
            <button type="button" className="home-item" onClick={() => go({ tab: 'events' })}>
              <span className="home-item-title">{event.title}</span>
              <span className="home-item-meta">
                {describeOccurrence(event.next.start, event.next.end)} · {event.rsvps.yes.length} going
                {myRsvp === 'yes' ? ' (you too)' : myRsvp ? '' : ' · you have not answered'}
              </span>
            </button>
          ) : null}
        </HomeColumn>
        <HomeColumn
          icon={<BarChart3 size={13} />}
          label={polls.length > 1 ? `${polls.length} open polls` : 'Open poll'}
          empty="No open polls"
          emptyAction="Ask the group"
          onEmpty={() => go({ tab: 'polls' })}
        >
          {polls[0] ? (
            <button type="button" className="home-item" onClick={() => go({ tab: 'polls' })}>
              <span className="home-item-title">{polls[0].question}</span>
              <span className="home-item-meta">
                {polls[0].voters.length} {polls[0].voters.length === 1 ? 'vote' : 'votes'}
                {polls[0].myBallot ? ' · you voted' : ' · you have not voted'}
              </span>
            </button>
          ) : null}
        </HomeColumn>
      </div>
    </div>
  );
}

function HomeColumn({
  icon,
  label,
  empty,
  emptyAction,
  onEmpty,
  children,
}: {
  icon: ReactNode;
  label: string;
  empty: string;
  emptyAction: string;
  onEmpty: () => void;
  children: ReactNode;
}) {
  return (
    <div className="home-column">
      <span className="home-column-label">
        <span aria-hidden="true">{icon}</span> {label}
      </span>
      {children ?? (
        <p className="home-column-empty">
          {empty}
          <button type="button" className="link-button" onClick={onEmpty}>
            {emptyAction}
          </button>
        </p>
      )}
    </div>
  );
}

export const sessionsSection: SectionDefinition = {
  id: 'sessions',
  label: 'Sessions',
  icon: <CalendarClock size={20} />,
  count: countSessions,
  HomeCard: SessionsHomeCard,
  Panel: SessionsPanel,
  // Run mode needs the width: the current item and notes beside the queue, rotation and attendance.
  fullWidth: true,
};
