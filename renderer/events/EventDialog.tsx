// Scheduling or editing an event: title, description, start and end in a time zone (the member's own
// by default), how often it repeats, and the session it is for. The shared command checks the times;
// what it refuses is shown here in its own words.
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { EventFields } from '../../shared/events/schema.js';
import { EVENT_LIMITS, RECURRENCES, RECURRENCE_LABELS, type Recurrence } from '../../shared/events/schema.js';
import type { SessionSummary } from '../../shared/sessions/queries.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { localTimeZone, timeZones, toLocalInput } from '../sessions/format.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export interface EventInput {
  readonly title: string;
  readonly description: string;
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
  readonly recurrence: Recurrence;
  readonly sessionId: string | null;
}

export function EventDialog({
  open,
  initial,
  sessions,
  onClose,
  onSave,
}: {
  open: boolean;
  initial: EventFields | null;
  sessions: readonly SessionSummary[];
  onClose: () => void;
  /** Throws (a CommandError) to refuse; the message is shown. */
  onSave: (input: EventInput) => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <EventForm key={initial?.id ?? 'new'} titleId={titleId} initial={initial} sessions={sessions} onClose={onClose} onSave={onSave} />
    </Dialog>
  );
}

function defaultStart(): string {
  const at = new Date(Date.now() + 24 * 60 * 60_000);
  at.setHours(18, 0, 0, 0);
  return toLocalInput(at.getTime());
}

function EventForm({
  titleId,
  initial,
  sessions,
  onClose,
  onSave,
}: {
  titleId: string;
  initial: EventFields | null;
  sessions: readonly SessionSummary[];
  onClose: () => void;
  onSave: (input: EventInput) => void;
}) {
  const start0 = initial?.start ?? defaultStart();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [start, setStart] = useState(start0);
  const [end, setEnd] = useState(initial?.end ?? toLocalInput(new Date(start0).getTime() + 90 * 60_000));
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? localTimeZone());
  const [recurrence, setRecurrence] = useState<Recurrence>(initial?.recurrence ?? 'none');
  const [sessionId, setSessionId] = useState(initial?.sessionId ?? '');
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);
  const ids = { title: useId(), description: useId(), start: useId(), end: useId(), zone: useId(), repeat: useId(), session: useId() };

  function submit(event: FormEvent) {
    event.preventDefault();
    try {
      onSave({ title, description, start, end, timeZone, recurrence, sessionId: sessionId || null });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  const clear = () => setError(null);

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title={initial ? 'Edit event' : 'Schedule an event'}
        lede="Members see it in their own time zone, and can add it to their calendar."
        onClose={onClose}
      />
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input
          id={ids.title}
          className="input"
          autoFocus
          maxLength={EVENT_LIMITS.titleChars + 20}
          placeholder="e.g. Spring meetup"
          value={title}
          onChange={(event) => (setTitle(event.target.value), clear())}
        />
      </div>
      <div className="two-fields">
        <div className="field">
          <label htmlFor={ids.start}>Starts</label>
          <input
            id={ids.start}
            className="input"
            type="datetime-local"
            value={start}
            onChange={(event) => (setStart(event.target.value), clear())}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.end}>Ends</label>
          <input
            id={ids.end}
            className="input"
            type="datetime-local"
            value={end}
            onChange={(event) => (setEnd(event.target.value), clear())}
            aria-invalid={error?.includes('ends') ?? false}
          />
        </div>
      </div>
      <div className="two-fields">
        <div className="field">
          <label htmlFor={ids.zone}>Time zone</label>
          <select id={ids.zone} className="select" value={timeZone} onChange={(event) => (setTimeZone(event.target.value), clear())}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.repeat}>Repeats</label>
          <select
            id={ids.repeat}
            className="select"
            value={recurrence}
            onChange={(event) => setRecurrence(event.target.value as Recurrence)}
          >
            {RECURRENCES.map((option) => (
              <option key={option} value={option}>
                {RECURRENCE_LABELS[option]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {sessions.length > 0 ? (
        <div className="field">
          <label htmlFor={ids.session}>Session</label>
          <select id={ids.session} className="select" value={sessionId} onChange={(event) => setSessionId(event.target.value)}>
            <option value="">Not linked to a session</option>
            {sessions.map((session) => (
              <option key={session.id} value={session.id}>
                {session.title} ({new Date(session.scheduledAt).toLocaleDateString()})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.description}>Description</label>
        <textarea
          id={ids.description}
          className="textarea"
          rows={3}
          maxLength={EVENT_LIMITS.descriptionChars + 100}
          placeholder="Where, what to bring, the link to join…"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel={initial ? 'Save' : 'Schedule event'} />
    </form>
  );
}
