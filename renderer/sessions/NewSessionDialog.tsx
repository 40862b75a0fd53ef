// Planning a new session: a title, when, a template to start from (with how many hot seats, for the
// mastermind format), and whether it continues a series (so it checks in on the last one's commitments).
// The community's own saved formats can be deleted from here, after a confirmation; Hearth's cannot.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Trash2 } from 'lucide-react';
import type { SeriesSummary } from '../../shared/sessions/queries.js';
import { SESSION_LIMITS, sessionTitleSchema, type TemplateItem } from '../../shared/sessions/schema.js';
import {
  DEFAULT_HOT_SEATS,
  expandTemplate,
  hasHotSeats,
  type HotSeatOptions,
  type SessionTemplate,
} from '../../shared/sessions/templates.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { formatMinutes, fromLocalInput, toLocalInput } from './format.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';

export interface NewSessionInput {
  readonly title: string;
  readonly scheduledAt: number;
  readonly agenda: readonly TemplateItem[];
  readonly seriesId: string | undefined;
}

export function NewSessionDialog({
  open,
  templates,
  series,
  memberCount,
  onClose,
  onCreate,
  onDeleteTemplate,
}: {
  open: boolean;
  templates: readonly SessionTemplate[];
  series: readonly SeriesSummary[];
  memberCount: number;
  onClose: () => void;
  onCreate: (input: NewSessionInput) => void;
  onDeleteTemplate: (templateId: string) => void;
}) {
  const titleId = useId();
  const [deleting, setDeleting] = useState<SessionTemplate | null>(null);
  return (
    <>
      <Dialog open={open} onClose={onClose} labelledBy={titleId}>
        <NewSessionForm
          titleId={titleId}
          templates={templates}
          series={series}
          memberCount={memberCount}
          onClose={onClose}
          onCreate={onCreate}
          onAskDelete={setDeleting}
        />
      </Dialog>
      {/* Beside the planning dialog, not inside it: React hands a nested dialog's cancel and close
          events to its parents too, so Escape here would also close the planning dialog. */}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the format “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete format"
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) onDeleteTemplate(deleting.id);
        }}
      >
        <p>It goes from everyone’s list of formats. Sessions already planned from it keep their agenda.</p>
      </ConfirmDialog>
    </>
  );
}

function nextHour(): number {
  const at = new Date(Date.now() + 60 * 60_000);
  at.setMinutes(0, 0, 0);
  return at.getTime();
}

function NewSessionForm({
  titleId,
  templates,
  series,
  memberCount,
  onClose,
  onCreate,
  onAskDelete,
}: {
  titleId: string;
  templates: readonly SessionTemplate[];
  series: readonly SeriesSummary[];
  memberCount: number;
  onClose: () => void;
  onCreate: (input: NewSessionInput) => void;
  onAskDelete: (template: SessionTemplate) => void;
}) {
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(() => toLocalInput(nextHour()));
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? 'blank');
  const [seats, setSeats] = useState(String(Math.max(1, Math.min(SESSION_LIMITS.hotSeats, memberCount || DEFAULT_HOT_SEATS.seats))));
  const [seatMinutes, setSeatMinutes] = useState(String(DEFAULT_HOT_SEATS.minutes));
  const [seriesId, setSeriesId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { title: useId(), when: useId(), seats: useId(), minutes: useId(), series: useId(), error: useId() };
  const template = templates.find((candidate) => candidate.id === templateId) ?? templates[0];
  const withSeats = template ? hasHotSeats(template.items) : false;
  const hotSeats: HotSeatOptions = { seats: Number(seats), minutes: Number(seatMinutes) };
  const agenda = useMemo(
    () =>
      template
        ? expandTemplate(
            template.items,
            Number.isInteger(hotSeats.seats) && hotSeats.seats > 0 ? hotSeats : { seats: 1, minutes: hotSeats.minutes || 1 },
          )
        : [],
    [template, hotSeats.seats, hotSeats.minutes],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = sessionTitleSchema.safeParse(
      title || (seriesId ? (series.find((entry) => entry.seriesId === seriesId)?.title ?? '') : (template?.name ?? '')),
    );
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check the title.');
    const scheduledAt = fromLocalInput(when);
    if (scheduledAt === null) return setError('Pick a date and time for the session.');
    if (withSeats) {
      if (!Number.isInteger(hotSeats.seats) || hotSeats.seats < 1 || hotSeats.seats > SESSION_LIMITS.hotSeats)
        return setError(`Have between 1 and ${SESSION_LIMITS.hotSeats} hot seats.`);
      if (!Number.isInteger(hotSeats.minutes) || hotSeats.minutes < 1 || hotSeats.minutes > SESSION_LIMITS.maxMinutes)
        return setError(`Give each hot seat between 1 and ${SESSION_LIMITS.maxMinutes} minutes.`);
    }
    try {
      onCreate({ title: parsed.data, scheduledAt, agenda, seriesId: seriesId || undefined });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <form className="dialog-form new-session" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="Plan a session"
        lede="Start from a format; you can change every agenda item before and during the session."
        onClose={onClose}
      />
      <fieldset className="template-grid">
        <legend className="label">Format</legend>
        {templates.map((candidate) => (
          <div key={candidate.id} className="template-choice">
            {/* Checked by the template in use, not the id picked: a picked format a member deletes meanwhile falls back to the first. */}
            <label className={candidate.builtIn ? 'template-option' : 'template-option saved'}>
              <input
                type="radio"
                name="template"
                value={candidate.id}
                checked={candidate.id === template?.id}
                onChange={() => setTemplateId(candidate.id)}
              />
              <span className="template-name">{candidate.name}</span>
              <span className="template-description">{candidate.description}</span>
            </label>
            {candidate.builtIn ? null : (
              <button
                type="button"
                className="icon-button small danger delete-template"
                aria-label={`Delete format ${candidate.name}`}
                title="Delete this format"
                onClick={() => onAskDelete(candidate)}
              >
                <Trash2 size={14} aria-hidden="true" />
              </button>
            )}
          </div>
        ))}
      </fieldset>
      {withSeats ? (
        <div className="two-fields">
          <div className="field">
            <label htmlFor={ids.seats}>Hot seats</label>
            <input
              id={ids.seats}
              className="input"
              type="number"
              min={1}
              max={SESSION_LIMITS.hotSeats}
              value={seats}
              onChange={(event) => setSeats(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.minutes}>Minutes each</label>
            <input
              id={ids.minutes}
              className="input"
              type="number"
              min={1}
              max={SESSION_LIMITS.maxMinutes}
              value={seatMinutes}
              onChange={(event) => setSeatMinutes(event.target.value)}
            />
          </div>
        </div>
      ) : null}
      <div className="two-fields">
        <div className="field">
          <label htmlFor={ids.title}>Title</label>
          <input
            id={ids.title}
            className="input"
            placeholder={template?.name ?? 'e.g. March mastermind'}
            maxLength={SESSION_LIMITS.titleChars + 20}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.when}>When</label>
          <input id={ids.when} className="input" type="datetime-local" value={when} onChange={(event) => setWhen(event.target.value)} />
        </div>
      </div>
      {series.length > 0 ? (
        <div className="field">
          <label htmlFor={ids.series}>Series</label>
          <select id={ids.series} className="select" value={seriesId} onChange={(event) => setSeriesId(event.target.value)}>
            <option value="">A new series</option>
            {series.map((entry) => (
              <option key={entry.seriesId} value={entry.seriesId}>
                Continue “{entry.title}” ({entry.sessions} {entry.sessions === 1 ? 'session' : 'sessions'})
              </option>
            ))}
          </select>
          <span className="hint">A session that continues a series opens with a check-in on the last session’s commitments.</span>
        </div>
      ) : null}
      <p className="agenda-preview" aria-label="Agenda preview">
        {agenda.length === 0
          ? 'An empty agenda.'
          : `${agenda.length} items, ${formatMinutes(agenda.reduce((sum, item) => sum + item.minutes, 0))}: ${agenda.map((item) => item.title).join(' · ')}`}
      </p>
      {error ? (
        <p className="error-text" id={ids.error} role="alert">
          {error}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel="Plan session" />
    </form>
  );
}
