// The panels beside run mode's current item: the speaking queue, the hot-seat rotation, attendance,
// action items (which become board cards) and the check-in on last session's commitments.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ArrowDown, ArrowUp, Check, ClipboardCheck, Hand, KanbanSquare, ListTodo, Mic, Plus, Shuffle, Users, X } from 'lucide-react';
import type * as Y from 'yjs';
import { createBoard } from '../../shared/boards/commands.js';
import { listBoards } from '../../shared/boards/queries.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { setHotSeatOrder, shuffleHotSeats } from '../../shared/sessions/session-commands.js';
import { callNextSpeaker, clearSpeaker, lowerHand, raiseHand, setAttendance } from '../../shared/sessions/run-commands.js';
import { addActionItem, checkIn, removeActionItem, setActionBoard } from '../../shared/sessions/action-commands.js';
import { readActionBoardId, type SessionView } from '../../shared/sessions/queries.js';
import { CHECK_IN_LABELS, CHECK_IN_STATUSES, SESSION_LIMITS, actionTextSchema } from '../../shared/sessions/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { Avatar } from '../ui/Avatar.js';
import { useDocQuery } from '../ui/use-doc-query.js';

export interface PanelProps {
  readonly doc: Y.Doc;
  readonly session: SessionView;
  readonly me: string;
  readonly members: readonly MemberRecord[];
  readonly nameOf: (memberId: string) => string;
  readonly isFacilitator: boolean;
  readonly onError: (message: string) => void;
}

function attempt(onError: (message: string) => void, change: () => void): void {
  try {
    change();
  } catch (error) {
    onError(errorMessage(error));
  }
}

export function Panel({ title, icon, count, children, actions, label }: { title: string; icon: ReactNode; count?: number; children: ReactNode; actions?: ReactNode; label?: string }) {
  const id = useId();
  return (
    <section className="run-panel" aria-labelledby={id} aria-label={label}>
      <header className="run-panel-header">
        <h3 id={id}>
          <span className="run-panel-icon" aria-hidden="true">
            {icon}
          </span>
          {title}
          {count !== undefined ? <span className="run-panel-count">{count}</span> : null}
        </h3>
        {actions}
      </header>
      {children}
    </section>
  );
}

function Person({ id, name, suffix }: { id: string; name: string; suffix?: ReactNode }) {
  return (
    <span className="person">
      <Avatar id={id} name={name} size="sm" />
      <span className="person-name">{name}</span>
      {suffix}
    </span>
  );
}

// ---------- speaking queue ----------

export function SpeakingQueue({ doc, session, me, nameOf, isFacilitator, onError }: PanelProps) {
  const raised = session.hands.some((hand) => hand.memberId === me);
  const live = session.status === 'live';
  return (
    <Panel title="Speaking queue" icon={<Hand size={15} />} count={session.hands.length}>
      {session.speaker ? (
        <div className="speaker-now" role="status">
          <Mic size={15} aria-hidden="true" />
          <span>
            Speaking now: <strong>{nameOf(session.speaker.memberId)}</strong>
          </span>
          {isFacilitator ? (
            <button type="button" className="icon-button small" aria-label="Clear who is speaking" onClick={() => attempt(onError, () => clearSpeaker(doc, session.id))}>
              <X size={14} aria-hidden="true" />
            </button>
          ) : null}
        </div>
      ) : null}
      {session.hands.length > 0 ? (
        <ol className="queue" aria-label="Raised hands">
          {session.hands.map((hand) => (
            <li key={hand.memberId}>
              <Person id={hand.memberId} name={nameOf(hand.memberId)} suffix={hand.memberId === me ? <span className="you">you</span> : null} />
              {isFacilitator || hand.memberId === me ? (
                <button type="button" className="icon-button small" aria-label={`Lower ${hand.memberId === me ? 'your' : `${nameOf(hand.memberId)}’s`} hand`} onClick={() => attempt(onError, () => lowerHand(doc, session.id, hand.memberId))}>
                  <X size={14} aria-hidden="true" />
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="panel-empty">No hands raised.</p>
      )}
      {live ? (
        <div className="panel-actions">
          {raised ? (
            <button type="button" className="button small raised" aria-pressed="true" onClick={() => attempt(onError, () => lowerHand(doc, session.id, me))}>
              <Hand size={15} aria-hidden="true" /> Lower hand
            </button>
          ) : (
            <button type="button" className="button small" aria-pressed="false" onClick={() => attempt(onError, () => raiseHand(doc, session.id, { by: me }))}>
              <Hand size={15} aria-hidden="true" /> Raise hand
            </button>
          )}
          {isFacilitator ? (
            <button type="button" className="button small primary" disabled={session.hands.length === 0} onClick={() => attempt(onError, () => callNextSpeaker(doc, session.id, { by: me }))}>
              <Mic size={15} aria-hidden="true" /> {session.hands[0] ? `Call ${nameOf(session.hands[0].memberId)}` : 'Call next'}
            </button>
          ) : null}
        </div>
      ) : null}
    </Panel>
  );
}

// ---------- hot seats ----------

export function HotSeats({ doc, session, members, nameOf, isFacilitator, onError }: PanelProps) {
  const seats = session.agenda.filter((item) => item.kind === 'hotSeat');
  if (seats.length === 0 && session.hotSeatOrder.length === 0) return null;
  const currentSeat = session.current?.kind === 'hotSeat' ? session.current.seat : null;
  const nextSeat = session.agenda.slice(session.current ? session.agenda.findIndex((item) => item.id === session.current!.id) + 1 : 0).find((item) => item.kind === 'hotSeat' && !item.done);
  const order = session.hotSeatOrder;
  const missing = members.filter((member) => !order.includes(member.id));
  const set = (next: readonly string[]) => attempt(onError, () => setHotSeatOrder(doc, session.id, next));
  const move = (index: number, by: number) => {
    const next = [...order];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    set(next);
  };
  return (
    <Panel
      title="Hot seats"
      icon={<Users size={15} />}
      count={order.length}
      actions={
        isFacilitator && session.status !== 'ended' ? (
          <button type="button" className="button ghost small" onClick={() => attempt(onError, () => shuffleHotSeats(doc, session.id, order.length > 0 ? order : members.map((member) => member.id)))}>
            <Shuffle size={14} aria-hidden="true" /> Shuffle
          </button>
        ) : null
      }
    >
      {order.length > 0 ? (
        <ol className="rotation" aria-label="Hot-seat rotation">
          {order.map((memberId, index) => {
            const seat = index + 1;
            const now = currentSeat === seat;
            const next = !now && nextSeat?.seat === seat;
            return (
              <li key={memberId} className={now ? 'now' : next ? 'next' : undefined}>
                <span className="seat-number">{seat}</span>
                <Person id={memberId} name={nameOf(memberId)} suffix={now ? <span className="seat-tag now">Now</span> : next ? <span className="seat-tag">Next</span> : seat > seats.length ? <span className="seat-tag muted">No seat</span> : null} />
                {isFacilitator && session.status !== 'ended' ? (
                  <span className="row-actions">
                    <button type="button" className="icon-button small" aria-label={`Move ${nameOf(memberId)} earlier`} disabled={index === 0} onClick={() => move(index, -1)}>
                      <ArrowUp size={14} aria-hidden="true" />
                    </button>
                    <button type="button" className="icon-button small" aria-label={`Move ${nameOf(memberId)} later`} disabled={index === order.length - 1} onClick={() => move(index, 1)}>
                      <ArrowDown size={14} aria-hidden="true" />
                    </button>
                    <button type="button" className="icon-button small" aria-label={`Take ${nameOf(memberId)} out of the rotation`} onClick={() => set(order.filter((id) => id !== memberId))}>
                      <X size={14} aria-hidden="true" />
                    </button>
                  </span>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="panel-empty">Nobody is in the rotation yet.</p>
      )}
      {isFacilitator && session.status !== 'ended' && missing.length > 0 ? (
        <div className="chip-row">
          {missing.map((member) => (
            <button key={member.id} type="button" className="add-chip" onClick={() => set([...order, member.id])}>
              <Plus size={12} aria-hidden="true" /> {member.displayName}
            </button>
          ))}
        </div>
      ) : null}
    </Panel>
  );
}

// ---------- attendance ----------

export function Attendance({ doc, session, me, members, nameOf, isFacilitator, onError, online }: PanelProps & { online: ReadonlySet<string> }) {
  const byId = new Map(session.attendance.map((entry) => [entry.memberId, entry]));
  const ids = [...new Set([...members.map((member) => member.id), ...byId.keys()])];
  const present = ids.filter((id) => byId.get(id)?.present).length;
  return (
    <Panel title="Attendance" icon={<ClipboardCheck size={15} />} count={present}>
      <ul className="attendance" aria-label="Attendance">
        {ids.map((memberId) => {
          const entry = byId.get(memberId);
          const here = entry?.present ?? false;
          return (
            <li key={memberId}>
              <label className={`attendance-row${isFacilitator ? '' : ' readonly'}`}>
                <input
                  type="checkbox"
                  checked={here}
                  disabled={!isFacilitator}
                  aria-label={`${nameOf(memberId)} ${here ? 'present' : 'absent'}`}
                  onChange={(event) => attempt(onError, () => setAttendance(doc, session.id, memberId, event.target.checked, { by: me }))}
                />
                <Person id={memberId} name={nameOf(memberId)} />
                <span className="attendance-note">
                  {online.has(memberId) && session.status === 'live' ? 'here now' : entry?.source === 'edit' ? (here ? 'marked present' : 'marked absent') : here ? 'was here' : ''}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}

// ---------- action items ----------

export function ActionItems({ doc, session, me, members, nameOf, onError, onOpenBoard }: PanelProps & { onOpenBoard: (boardId: string) => void }) {
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
                {action.dueDate ? <span className="due">due {new Date(`${action.dueDate}T12:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}</span> : null}
                {action.carriedFrom ? <span className="carried">carried over</span> : null}
              </span>
              {session.status !== 'ended' ? (
                <button type="button" className="icon-button small" aria-label={`Remove ${action.text}`} title="Remove from the session (its card stays on the board)" onClick={() => attempt(onError, () => removeActionItem(doc, session.id, action.id))}>
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
              <input className="input compact" type="date" aria-label="Due date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} />
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

function BoardChooser({ doc, me, boards, onError }: { doc: Y.Doc; me: string; boards: readonly { id: string; name: string }[]; onError: (message: string) => void }) {
  const [choice, setChoice] = useState(boards[0]?.id ?? '');
  return (
    <div className="board-chooser">
      <p>Choose the board that action items become cards on. Everyone in the community uses the same one.</p>
      {boards.length > 0 ? (
        <div className="row">
          <select className="select compact" aria-label="Board for action items" value={choice} onChange={(event) => setChoice(event.target.value)}>
            {boards.map((board) => (
              <option key={board.id} value={board.id}>
                {board.name}
              </option>
            ))}
          </select>
          <button type="button" className="button small" disabled={!choice} onClick={() => attempt(onError, () => setActionBoard(doc, choice))}>
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
                <Person id={entry.action.ownerId} name={nameOf(entry.action.ownerId)} suffix={mine ? <span className="you">you</span> : null} />
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
