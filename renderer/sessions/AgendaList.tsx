// A session's agenda: in planning, items are added, renamed, re-timed, reordered and removed; in run
// mode it shows what is done, what is under way and what comes next, and the facilitator can jump.
import { useId, useState, type FormEvent } from 'react';
import { ArrowDown, ArrowUp, Check, Circle, CirclePlay, Plus, Trash2 } from 'lucide-react';
import type * as Y from 'yjs';
import {
  addAgendaItem,
  moveAgendaItem,
  removeAgendaItem,
  setAgendaItemDone,
  updateAgendaItem,
} from '../../shared/sessions/agenda-commands.js';
import { goToItem } from '../../shared/sessions/run-commands.js';
import type { AgendaItem, SessionView } from '../../shared/sessions/queries.js';
import {
  AGENDA_KINDS,
  AGENDA_KIND_LABELS,
  SESSION_LIMITS,
  agendaTitleSchema,
  minutesSchema,
  type AgendaKind,
} from '../../shared/sessions/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { formatMinutes } from './format.js';

export interface AgendaListProps {
  readonly doc: Y.Doc;
  readonly session: SessionView;
  readonly mode: 'plan' | 'run' | 'summary';
  readonly canEdit: boolean;
  readonly me: string;
  readonly nameOf: (memberId: string) => string;
  readonly onError: (message: string) => void;
}

function itemLabel(item: AgendaItem, nameOf: (memberId: string) => string): string {
  return item.kind === 'hotSeat' && item.hotSeatMemberId ? `${item.title} · ${nameOf(item.hotSeatMemberId)}` : item.title;
}

export function AgendaList({ doc, session, mode, canEdit, me, nameOf, onError }: AgendaListProps) {
  const run = (change: () => void) => {
    try {
      change();
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  const currentId = session.current?.id ?? null;
  return (
    <div className="agenda">
      <ol className="agenda-list" aria-label="Agenda">
        {session.agenda.map((item, index) => {
          const current = item.id === currentId;
          const state = current ? 'current' : item.done ? 'done' : 'upcoming';
          return (
            <li key={item.id} className={`agenda-row ${state}`} aria-current={current ? 'step' : undefined}>
              <span className="agenda-status" aria-hidden="true">
                {mode === 'plan' ? (
                  <span className="agenda-number">{index + 1}</span>
                ) : item.done ? (
                  <Check size={15} />
                ) : current ? (
                  <CirclePlay size={15} />
                ) : (
                  <Circle size={15} />
                )}
              </span>
              {mode === 'plan' && canEdit ? (
                <ItemEditor key={`${item.title}|${item.minutes}`} doc={doc} sessionId={session.id} item={item} nameOf={nameOf} />
              ) : (
                <span className="agenda-title">
                  <span className="agenda-text">{itemLabel(item, nameOf)}</span>
                  <span className="visually-hidden">{item.done ? ', done' : current ? ', under way' : ''}</span>
                  {item.kind !== 'topic' ? <span className={`kind-chip ${item.kind}`}>{AGENDA_KIND_LABELS[item.kind]}</span> : null}
                </span>
              )}
              {mode !== 'plan' || !canEdit ? <span className="agenda-minutes">{formatMinutes(item.minutes)}</span> : null}
              {mode === 'plan' && canEdit ? (
                <span className="agenda-actions">
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Move ${item.title} up`}
                    disabled={index === 0}
                    onClick={() => run(() => moveAgendaItem(doc, session.id, item.id, index - 1))}
                  >
                    <ArrowUp size={15} aria-hidden="true" />
                  </button>
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Move ${item.title} down`}
                    disabled={index === session.agenda.length - 1}
                    onClick={() => run(() => moveAgendaItem(doc, session.id, item.id, index + 1))}
                  >
                    <ArrowDown size={15} aria-hidden="true" />
                  </button>
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Remove ${item.title}`}
                    onClick={() => run(() => removeAgendaItem(doc, session.id, item.id))}
                  >
                    <Trash2 size={15} aria-hidden="true" />
                  </button>
                </span>
              ) : null}
              {mode === 'run' && canEdit && !current ? (
                <span className="agenda-actions">
                  {item.done ? (
                    <button
                      type="button"
                      className="button ghost small"
                      onClick={() => run(() => setAgendaItemDone(doc, session.id, item.id, false))}
                    >
                      Reopen
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button ghost small"
                    aria-label={`Run now: ${item.title}`}
                    onClick={() => run(() => goToItem(doc, session.id, item.id, { by: me }))}
                  >
                    Run now
                  </button>
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      {session.agenda.length === 0 ? (
        <p className="agenda-empty">No agenda items yet.{canEdit && mode === 'plan' ? ' Add the first one below.' : ''}</p>
      ) : null}
      {canEdit && mode !== 'summary' ? <AddItemForm doc={doc} sessionId={session.id} onError={onError} /> : null}
    </div>
  );
}

/** Title, kind and time box of one item, saved as the member leaves each field. */
function ItemEditor({
  doc,
  sessionId,
  item,
  nameOf,
}: {
  doc: Y.Doc;
  sessionId: string;
  item: AgendaItem;
  nameOf: (memberId: string) => string;
}) {
  const [title, setTitle] = useState(item.title);
  const [minutes, setMinutes] = useState(String(item.minutes));
  const [error, setError] = useState<string | null>(null);
  const save = (edit: { title?: string; minutes?: number; kind?: AgendaKind }) => {
    try {
      updateAgendaItem(doc, sessionId, item.id, edit);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <span className="item-editor">
      <input
        className="input compact item-title-input"
        aria-label={`Title of agenda item ${item.title}`}
        value={title}
        maxLength={SESSION_LIMITS.itemTitleChars + 20}
        onChange={(event) => setTitle(event.target.value)}
        onBlur={() => (title.trim() === item.title ? setTitle(item.title) : save({ title }))}
        onKeyDown={(event) => event.key === 'Enter' && (event.target as HTMLInputElement).blur()}
      />
      {item.kind === 'hotSeat' ? (
        <span className="hot-seat-name">{item.hotSeatMemberId ? nameOf(item.hotSeatMemberId) : 'Open seat'}</span>
      ) : null}
      <select
        className="select compact"
        aria-label={`Kind of ${item.title}`}
        value={item.kind}
        onChange={(event) => save({ kind: event.target.value as AgendaKind })}
      >
        {AGENDA_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {AGENDA_KIND_LABELS[kind]}
          </option>
        ))}
      </select>
      <span className="minutes-field">
        <input
          className="input compact minutes-input"
          type="number"
          inputMode="numeric"
          aria-label={`Minutes for ${item.title}`}
          aria-invalid={error !== null}
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
          onBlur={() =>
            Number(minutes) === item.minutes ? undefined : save({ minutes: minutes.trim() === '' ? Number.NaN : Number(minutes) })
          }
          onKeyDown={(event) => event.key === 'Enter' && (event.target as HTMLInputElement).blur()}
        />
        <span className="unit">min</span>
      </span>
      {error ? (
        <span className="error-text item-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

function AddItemForm({ doc, sessionId, onError }: { doc: Y.Doc; sessionId: string; onError: (message: string) => void }) {
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('10');
  const [kind, setKind] = useState<AgendaKind>('topic');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedTitle = agendaTitleSchema.safeParse(title);
    const parsedMinutes = minutesSchema.safeParse(minutes.trim() === '' ? Number.NaN : Number(minutes));
    if (!parsedTitle.success) return setError(parsedTitle.error.issues[0]?.message ?? 'Check the title.');
    if (!parsedMinutes.success) return setError(parsedMinutes.error.issues[0]?.message ?? 'Check the time box.');
    try {
      addAgendaItem(doc, sessionId, { title: parsedTitle.data, minutes: parsedMinutes.data, kind });
      setTitle('');
      setError(null);
    } catch (caught) {
      onError(errorMessage(caught));
    }
  }
  return (
    <form className="add-item" onSubmit={submit} noValidate aria-label="Add an agenda item">
      <input
        className="input compact"
        aria-label="New agenda item"
        placeholder="Add an agenda item…"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        aria-describedby={error ? errorId : undefined}
      />
      <select
        className="select compact"
        aria-label="Kind of the new item"
        value={kind}
        onChange={(event) => setKind(event.target.value as AgendaKind)}
      >
        {AGENDA_KINDS.map((option) => (
          <option key={option} value={option}>
            {AGENDA_KIND_LABELS[option]}
          </option>
        ))}
      </select>
      <span className="minutes-field">
        <input
          className="input compact minutes-input"
          type="number"
          inputMode="numeric"
          aria-label="Minutes for the new item"
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
          aria-invalid={error !== null}
        />
        <span className="unit">min</span>
      </span>
      <button type="submit" className="button small">
        <Plus size={15} aria-hidden="true" /> Add
      </button>
      {error ? (
        <span className="error-text add-item-error" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
