// The panels about what a session commits to: action items (which become cards on the community's
// action board, chosen or made here) and the check-in on the last session's commitments.
import { useId, useState, type FormEvent } from 'react';
import { Check, ClipboardCheck, KanbanSquare, ListTodo, Plus, X } from 'lucide-react';
import type * as Y from 'yjs';
import { createBoard } from '../../shared/boards/commands.js';
import { listBoards } from '../../shared/boards/queries.js';
import { addActionItem, checkIn, removeActionItem, setActionBoard } from '../../shared/sessions/action-commands.js';
import { readActionBoardId } from '../../shared/sessions/queries.js';
import { CHECK_IN_LABELS, CHECK_IN_STATUSES, SESSION_LIMITS, actionTextSchema } from '../../shared/sessions/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { Panel, Person, attempt, type PanelProps } from './RunPanel.js';

// ---------- action items ----------

export function ActionItems({
  doc,
  session,
  me,
  members,
  nameOf,
  onError,
  onOpenBoard,
}: PanelProps & { onOpenBoard: (boardId: string) => void }) {
  const boards = useDocQuery(doc, (current) => listBoards(current));
  const boardId = useDocQuery(doc, readActionBoardId);
  const board = boards.find((candidate) => candidate.id === boardId) ?? null;
  const [text, setText] = useState('');
  const [ownerId, setOwnerId] = useState(me);
  const [dueDate, setDueDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = actionTextSchema.safeParse(text);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Write the commitment.');
    try {
      addActionItem(doc, session.id, { text: parsed.data, ownerId, dueDate: dueDate || null, by: me });
      setText('');
      setDueDate('');
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <Panel title="Action items" icon={<ListTodo size={15} />} count={session.actions.length}>
      {session.actions.length > 0 ? (
        <ul className="actions-list" aria-label="Action items">
          {session.actions.map((action) => (
            <li key={action.id}>
              <span className="action-text">{action.text}</span>
              <span className="action-meta">
                <Person id={action.ownerId} name={nameOf(action.ownerId)} />
                {action.dueDate ? (
                  <span className="due">
                    due {new Date(`${action.dueDate}T12:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}
                  </span>
                ) : null}
                {action.carriedFrom ? <span className="carried">carried over</span> : null}
              </span>
              {session.status !== 'ended' ? (
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Remove ${action.text}`}
                  title="Remove from the session (its card stays on the board)"
                  onClick={() => attempt(onError, () => removeActionItem(doc, session.id, action.id))}
                >
                  <X size={14} aria-hidden="true" />
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="panel-empty">Commitments made here become cards on the board, with their owner.</p>
      )}
      {board ? (
        <button type="button" className="link-button board-link" onClick={() => onOpenBoard(board.id)}>
          <KanbanSquare size={13} aria-hidden="true" /> Cards go to “{board.name}”
        </button>
      ) : null}
      {session.status !== 'ended' ? (
        board ? (
          <form className="action-form" onSubmit={submit} noValidate aria-label="New action item">
            <div className="action-form-row">
              <input
                className="input compact"
                aria-label="Commitment"
                placeholder="What will be done?"
                maxLength={SESSION_LIMITS.actionTextChars + 20}
                value={text}
                aria-invalid={error !== null}
                aria-describedby={error ? errorId : undefined}
                onChange={(event) => {
                  setText(event.target.value);
                  setError(null);
                }}
              />
              <button type="submit" className="button small">
                <Plus size={15} aria-hidden="true" /> Add
              </button>
            </div>
            <div className="action-form-row">
              <select className="select compact" aria-label="Owner" value={ownerId} onChange={(event) => setOwnerId(event.target.value)}>
                {members.map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.id === me ? `${member.displayName} (you)` : member.displayName}
                  </option>
                ))}
              </select>
              <input
                className="input compact"
                type="date"
                aria-label="Due date"
                value={dueDate}
                onChange={(event) => setDueDate(event.target.value)}
              />
            </div>
            {error ? (
              <span className="error-text" id={errorId} role="alert">
                {error}
              </span>
            ) : null}
          </form>
        ) : (
          <BoardChooser doc={doc} me={me} boards={boards} onError={onError} />
        )
      ) : null}
    </Panel>
  );
}

function BoardChooser({
  doc,
  me,
  boards,
  onError,
}: {
  doc: Y.Doc;
  me: string;
  boards: readonly { id: string; name: string }[];
  onError: (message: string) => void;
}) {
  const [choice, setChoice] = useState(boards[0]?.id ?? '');
  return (
    <div className="board-chooser">
      <p>Choose the board that action items become cards on. Everyone in the community uses the same one.</p>
      {boards.length > 0 ? (
        <div className="row">
          <select
            className="select compact"
            aria-label="Board for action items"
            value={choice}
            onChange={(event) => setChoice(event.target.value)}
          >
            {boards.map((board) => (
              <option key={board.id} value={board.id}>
                {board.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button small"
            disabled={!choice}
            onClick={() => attempt(onError, () => setActionBoard(doc, choice))}
          >
            Use this board
          </button>
        </div>
      ) : null}
      <button
        type="button"
        className="button small"
        onClick={() =>
          attempt(onError, () => {
            const boardId = createBoard(doc, { name: 'Commitments', by: me });
            setActionBoard(doc, boardId);
          })
        }
      >
        <KanbanSquare size={15} aria-hidden="true" /> Create a “Commitments” board
      </button>
    </div>
  );
}

// ---------- check-in ----------

export function CheckInPanel({ doc, session, me, nameOf, isFacilitator, onError }: PanelProps) {
  if (session.checkIns.length === 0) return null;
  const answered = session.checkIns.filter((entry) => entry.status !== null).length;
  return (
    <section className="check-in card" aria-label="Check-in on last session’s commitments">
      <header className="check-in-header">
        <span className="check-in-icon" aria-hidden="true">
          <ClipboardCheck size={18} />
        </span>
        <div>
          <h2>Check-in: last session’s commitments</h2>
          <p>
            {answered} of {session.checkIns.length} checked in. Each owner marks theirs done, not done, or carried over to this session.
          </p>
        </div>
      </header>
      <ul className="check-in-list" aria-label="Last session’s commitments">
        {session.checkIns.map((entry) => {
          const mine = entry.action.ownerId === me;
          const canAnswer = (mine || isFacilitator) && session.status !== 'ended';
          return (
            <li key={entry.action.id} className={entry.status ?? 'open'}>
              <div className="check-in-text">
                <span className="action-text">{entry.action.text}</span>
                <Person
                  id={entry.action.ownerId}
                  name={nameOf(entry.action.ownerId)}
                  suffix={mine ? <span className="you">you</span> : null}
                />
              </div>
              <div className="segmented" role="group" aria-label={`Check in on ${entry.action.text}`}>
                {CHECK_IN_STATUSES.map((status) => (
                  <button
                    key={status}
                    type="button"
                    className={`segment ${status}`}
                    aria-pressed={entry.status === status}
                    disabled={!canAnswer}
                    onClick={() => attempt(onError, () => checkIn(doc, session.id, entry.action.id, status, { by: me }))}
                  >
                    {entry.status === status ? <Check size={13} aria-hidden="true" /> : null}
                    {CHECK_IN_LABELS[status]}
                  </button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
