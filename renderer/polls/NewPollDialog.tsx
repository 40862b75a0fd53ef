// Asking the group something: a question, one or several choices, or times to find one that suits
// everyone (each with a start and an end, in a time zone), and optionally when voting closes.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Plus, X } from 'lucide-react';
import { POLL_KINDS, POLL_KIND_LABELS, POLL_LIMITS, type PollKind } from '../../shared/polls/schema.js';
import type { NewOption } from '../../shared/polls/commands.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { fromLocalInput, localTimeZone, timeZones, toLocalInput } from '../sessions/format.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export interface PollInput {
  readonly question: string;
  readonly kind: PollKind;
  readonly options: readonly NewOption[];
  readonly closesAt: number | null;
  readonly timeZone: string | null;
}

const KIND_HINTS = {
  single: 'Each member picks one.',
  multiple: 'Each member picks any number.',
  schedule: 'Members answer yes, if need be, or no for each time.',
} as const;

export function NewPollDialog({ open, onClose, onCreate }: { open: boolean; onClose: () => void; onCreate: (input: PollInput) => void }) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      {open ? <PollForm titleId={titleId} onClose={onClose} onCreate={onCreate} /> : null}
    </Dialog>
  );
}

function slot(daysAhead: number): { start: string; end: string } {
  const at = new Date(Date.now() + daysAhead * 24 * 60 * 60_000);
  at.setHours(18, 0, 0, 0);
  return { start: toLocalInput(at.getTime()), end: toLocalInput(at.getTime() + 90 * 60_000) };
}

function PollForm({ titleId, onClose, onCreate }: { titleId: string; onClose: () => void; onCreate: (input: PollInput) => void }) {
  const [question, setQuestion] = useState('');
  const [kind, setKind] = useState<PollKind>('single');
  const [labels, setLabels] = useState(['', '']);
  const [slots, setSlots] = useState(() => [slot(7), slot(8)]);
  const [timeZone, setTimeZone] = useState(localTimeZone());
  const [closes, setCloses] = useState('');
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);
  const ids = { question: useId(), closes: useId(), zone: useId() };
  const count = kind === 'schedule' ? slots.length : labels.length;

  function submit(event: FormEvent) {
    event.preventDefault();
    const closesAt = closes ? fromLocalInput(closes) : null;
    if (closes && closesAt === null) return setError('Pick a date and time for the poll to close, or leave it empty.');
    const options: NewOption[] =
      kind === 'schedule'
        ? slots.map((entry) => ({ start: entry.start, end: entry.end }))
        : labels.filter((label) => label.trim() !== '').map((label) => ({ label }));
    try {
      onCreate({ question, kind, options, closesAt, timeZone: kind === 'schedule' ? timeZone : null });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="New poll"
        lede="Results show live; everyone can change their vote until the poll closes."
        onClose={onClose}
      />
      <div className="field">
        <label htmlFor={ids.question}>Question</label>
        <input
          id={ids.question}
          className="input"
          autoFocus
          maxLength={POLL_LIMITS.questionChars + 20}
          placeholder="e.g. Which book do we read next?"
          value={question}
          onChange={(event) => (setQuestion(event.target.value), setError(null))}
        />
      </div>
      <fieldset className="kind-grid poll-kinds">
        <legend className="visually-hidden">Kind of poll</legend>
        {POLL_KINDS.map((option) => (
          <label key={option} className="kind-option">
            <input type="radio" name="poll-kind" checked={kind === option} onChange={() => setKind(option)} />
            <span>
              {POLL_KIND_LABELS[option]}
              <span className="hint">{KIND_HINTS[option]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {kind === 'schedule' ? (
        <div className="field">
          <span className="label">Times to choose from</span>
          <ul className="option-editor">
            {slots.map((entry, index) => (
              <li key={index}>
                <input
                  className="input compact"
                  type="datetime-local"
                  aria-label={`Time ${index + 1} starts`}
                  value={entry.start}
                  onChange={(event) => setSlots(slots.map((other, at) => (at === index ? { ...other, start: event.target.value } : other)))}
                />
                <span className="muted">to</span>
                <input
                  className="input compact"
                  type="datetime-local"
                  aria-label={`Time ${index + 1} ends`}
                  value={entry.end}
                  onChange={(event) => setSlots(slots.map((other, at) => (at === index ? { ...other, end: event.target.value } : other)))}
                />
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Remove time ${index + 1}`}
                  disabled={slots.length <= POLL_LIMITS.minOptions}
                  onClick={() => setSlots(slots.filter((_, at) => at !== index))}
                >
                  <X size={14} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
          <div className="row">
            <button
              type="button"
              className="button small"
              disabled={count >= POLL_LIMITS.maxOptions}
              onClick={() => setSlots([...slots, slot(7 + slots.length)])}
            >
              <Plus size={14} aria-hidden="true" /> Add a time
            </button>
            <label className="visually-hidden" htmlFor={ids.zone}>
              Time zone
            </label>
            <select id={ids.zone} className="select compact" value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : (
        <div className="field">
          <span className="label">Options</span>
          <ul className="option-editor">
            {labels.map((label, index) => (
              <li key={index}>
                <input
                  className="input compact"
                  aria-label={`Option ${index + 1}`}
                  placeholder={`Option ${index + 1}`}
                  value={label}
                  onChange={(event) => (setLabels(labels.map((other, at) => (at === index ? event.target.value : other))), setError(null))}
                />
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Remove option ${index + 1}`}
                  disabled={labels.length <= POLL_LIMITS.minOptions}
                  onClick={() => setLabels(labels.filter((_, at) => at !== index))}
                >
                  <X size={14} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button small add-option"
            disabled={count >= POLL_LIMITS.maxOptions}
            onClick={() => setLabels([...labels, ''])}
          >
            <Plus size={14} aria-hidden="true" /> Add an option
          </button>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.closes}>Closes (optional)</label>
        <input id={ids.closes} className="input" type="datetime-local" value={closes} onChange={(event) => setCloses(event.target.value)} />
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel="Start poll" />
    </form>
  );
}
