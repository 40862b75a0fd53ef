// The community's events: what is coming up (each at its next occurrence, in this member's own time
// zone), RSVPs, exporting one event or the whole calendar as .ics, and past events.
import { useMemo, useState } from 'react';
import { CalendarDays, CalendarPlus, Download, Pencil, Repeat, Trash2 } from 'lucide-react';
import type { CommunityView } from '../../shared/community/queries.js';
import type { HostApi } from '../../shared/host-api.js';
import { createEvent, deleteEvent, setRsvp, updateEvent } from '../../shared/events/commands.js';
import { eventsToIcs, icsFileName } from '../../shared/events/ics.js';
import { listEvents, type EventView } from '../../shared/events/queries.js';
import { RECURRENCE_LABELS, RSVP_ANSWERS, RSVP_LABELS, type EventFields, type RsvpAnswer } from '../../shared/events/schema.js';
import type { SessionSummary } from '../../shared/sessions/queries.js';
import { errorMessage } from '../../shared/errors.js';
import type { OpenCommunity } from '../communities/community-registry.js';
import type { Profile } from '../profile/profile.js';
import { Avatar } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { EmptyState } from '../ui/EmptyState.js';
import { SkippedRecords } from '../ui/SkippedRecords.js';
import { useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { formatTime, localTimeZone } from '../sessions/format.js';
import { EventDialog } from './EventDialog.js';
import './events.css';

export interface EventsTabProps {
  readonly community: OpenCommunity;
  readonly view: CommunityView;
  readonly profile: Profile;
  readonly host: HostApi;
  readonly sessions: readonly SessionSummary[];
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
}

/** "Tue 4 Mar · 19:00–20:30" in this member's zone; the end's date too when it is another day. */
export function describeOccurrence(start: number, end: number): string {
  const day = (at: number) => new Date(at).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return day(start) === day(end)
    ? `${day(start)} · ${formatTime(start)}–${formatTime(end)}`
    : `${day(start)} ${formatTime(start)} – ${day(end)} ${formatTime(end)}`;
}

export function EventsTab({ community, view, profile, host, sessions, onMessage }: EventsTabProps) {
  const doc = community.doc;
  const me = profile.memberId;
  const now = useNow();
  const list = useDocQuery(doc, (current) => listEvents(current, now), [now]);
  const [editing, setEditing] = useState<EventFields | 'new' | null>(null);
  const [deleting, setDeleting] = useState<EventView | null>(null);
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = (memberId: string) => (memberId === me ? 'you' : (names.get(memberId) ?? 'a former member'));
  const calendarName = view.meta?.name ?? community.entry.name;

  async function exportIcs(events: readonly EventFields[], title: string) {
    const text = eventsToIcs(events, { name: calendarName });
    const result = await host.saveFile({
      suggestedName: icsFileName(title),
      data: new TextEncoder().encode(text),
      filters: [{ name: 'Calendar', extensions: ['ics'] }],
    });
    if (result.saved)
      onMessage(`Saved ${result.name}. Open it to add ${events.length === 1 ? 'the event' : 'the events'} to your calendar.`);
  }

  return (
    <div className="card events-tab">
      <header className="list-header">
        <div>
          <h2>Events</h2>
          <p className="muted">Times are shown in your time zone ({localTimeZone().replace(/_/g, ' ')}).</p>
        </div>
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={list.upcoming.length + list.past.length === 0}
            onClick={() => void exportIcs([...list.upcoming, ...list.past], calendarName)}
          >
            <Download size={15} aria-hidden="true" /> Export calendar
          </button>
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            <CalendarPlus size={16} aria-hidden="true" /> Schedule an event
          </button>
        </div>
      </header>
      <SkippedRecords problems={list.problems} what="event" />
      {list.upcoming.length === 0 && list.past.length === 0 ? (
        <EmptyState big icon={<CalendarDays size={28} />} title="No events yet">
          Schedule the group’s gatherings — once or every week or month — and see who is coming. Everyone sees them in their own time zone.
        </EmptyState>
      ) : (
        <>
          <ul className="event-list" aria-label="Upcoming events">
            {list.upcoming.map((event) => (
              <EventCard
                key={event.id}
                event={event}
                me={me}
                nameOf={nameOf}
                displayName={(memberId) => names.get(memberId) ?? 'A former member'}
                sessionTitle={sessions.find((session) => session.id === event.sessionId)?.title ?? null}
                onRsvp={(answer) => {
                  try {
                    setRsvp(doc, event.id, event.next!.date, answer, { by: me });
                  } catch (error) {
                    onMessage(errorMessage(error), 'danger');
                  }
                }}
                onExport={() => void exportIcs([event], event.title)}
                onEdit={() => setEditing(event)}
                onDelete={() => setDeleting(event)}
              />
            ))}
          </ul>
          {list.upcoming.length === 0 ? <p className="list-empty">Nothing coming up.</p> : null}
          {list.past.length > 0 ? (
            <details className="past-events">
              <summary>Past events ({list.past.length})</summary>
              <ul className="past-list">
                {list.past.map((event) => (
                  <li key={event.id}>
                    <span className="past-title">{event.title}</span>
                    <span className="muted">{new Date(event.start).toLocaleDateString(undefined, { dateStyle: 'medium' })}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
      <EventDialog
        open={editing !== null}
        initial={editing === 'new' ? null : editing}
        sessions={sessions}
        onClose={() => setEditing(null)}
        onSave={(input) => {
          if (editing === 'new') createEvent(doc, { ...input, by: me });
          else if (editing) updateEvent(doc, editing.id, input, { by: me });
          setEditing(null);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.title ?? ''}”?`}
        confirmLabel="Delete event"
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          try {
            if (deleting) deleteEvent(doc, deleting.id);
          } catch (error) {
            onMessage(errorMessage(error), 'danger');
          }
        }}
      >
        It goes from everyone’s list, with its RSVPs{deleting?.recurrence !== 'none' ? ', for every occurrence' : ''}. This cannot be
        undone.
      </ConfirmDialog>
    </div>
  );
}

/** The wall-clock time of an instant in the event's own zone, in this member's locale. */
function zoneTime(at: number, timeZone: string): string {
  return new Date(at).toLocaleTimeString(undefined, { timeZone, hour: '2-digit', minute: '2-digit' });
}

/** "Jon Bell is going", "You and Jon Bell are going", "Ada, Jon Bell and 3 more are going". */
function goingText(memberIds: readonly string[], me: string, nameOf: (memberId: string) => string): string {
  const ordered = [...memberIds.filter((id) => id === me), ...memberIds.filter((id) => id !== me)];
  const names = ordered.map(nameOf);
  const shown = names.length > 3 ? [...names.slice(0, 2), `${names.length - 2} more`] : names;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
  const sentence = `${list} ${shown.length === 1 && ordered[0] !== me ? 'is' : 'are'} going`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function EventCard({
  event,
  me,
  nameOf,
  displayName,
  sessionTitle,
  onRsvp,
  onExport,
  onEdit,
  onDelete,
}: {
  event: EventView;
  me: string;
  nameOf: (memberId: string) => string;
  displayName: (memberId: string) => string;
  sessionTitle: string | null;
  onRsvp: (answer: RsvpAnswer | null) => void;
  onExport: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const next = event.next!;
  const mine: RsvpAnswer | null = RSVP_ANSWERS.find((answer) => event.rsvps[answer].includes(me)) ?? null;
  const otherZone = event.timeZone !== localTimeZone();
  const start = new Date(next.start);
  return (
    <li className="event-card">
      <span className="event-date" aria-hidden="true">
        <span className="month">{start.toLocaleDateString(undefined, { month: 'short' })}</span>
        <span className="day">{start.getDate()}</span>
      </span>
      <div className="event-main">
        <h3 className="event-title">{event.title}</h3>
        <p className="event-when">
          {describeOccurrence(next.start, next.end)}
          {event.recurrence !== 'none' ? (
            <span className="repeat">
              <Repeat size={12} aria-hidden="true" /> {RECURRENCE_LABELS[event.recurrence].toLowerCase()}
            </span>
          ) : null}
        </p>
        {otherZone ? (
          <p className="event-zone">
            {zoneTime(next.start, event.timeZone)}–{zoneTime(next.end, event.timeZone)} in {event.timeZone.replace(/_/g, ' ')}, where it is
            planned
          </p>
        ) : null}
        {sessionTitle ? <p className="event-session">For the session “{sessionTitle}”</p> : null}
        {event.description ? <p className="event-description">{event.description}</p> : null}
        <div className="rsvp-row">
          <div className="segmented" role="group" aria-label={`Your answer for ${event.title}`}>
            {RSVP_ANSWERS.map((answer) => (
              <button
                key={answer}
                type="button"
                className={`segment ${answer}`}
                aria-pressed={mine === answer}
                onClick={() => onRsvp(mine === answer ? null : answer)}
              >
                {RSVP_LABELS[answer]}
                <span className="segment-count">{event.rsvps[answer].length}</span>
              </button>
            ))}
          </div>
          {event.rsvps.yes.length > 0 ? (
            <span className="going" aria-label={`Going: ${event.rsvps.yes.map((memberId) => displayName(memberId)).join(', ')}`}>
              {event.rsvps.yes.slice(0, 6).map((memberId) => (
                <span key={memberId} title={displayName(memberId)}>
                  <Avatar id={memberId} name={displayName(memberId)} size="sm" />
                </span>
              ))}
              <span className="going-text">{goingText(event.rsvps.yes, me, nameOf)}</span>
            </span>
          ) : null}
        </div>
      </div>
      <div className="event-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Export ${event.title} as .ics`}
          title="Add to calendar (.ics)"
          onClick={onExport}
        >
          <Download size={16} aria-hidden="true" />
        </button>
        <button type="button" className="icon-button" aria-label={`Edit ${event.title}`} title="Edit" onClick={onEdit}>
          <Pencil size={16} aria-hidden="true" />
        </button>
        <button type="button" className="icon-button" aria-label={`Delete ${event.title}`} title="Delete" onClick={onDelete}>
          <Trash2 size={16} aria-hidden="true" />
        </button>
      </div>
    </li>
  );
}
