// The panels beside run mode's current item about who is in the room: the speaking queue, the
// hot-seat rotation and attendance. What the session commits to is in CommitmentPanels.tsx.
import { ArrowDown, ArrowUp, ClipboardCheck, Hand, Mic, Plus, Shuffle, Users, X } from 'lucide-react';
import { setHotSeatOrder, shuffleHotSeats } from '../../shared/sessions/session-commands.js';
import { callNextSpeaker, clearSpeaker, lowerHand, raiseHand, setAttendance } from '../../shared/sessions/run-commands.js';
import { Panel, Person, attempt, type PanelProps } from './RunPanel.js';

export type { PanelProps } from './RunPanel.js';

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
            <button
              type="button"
              className="icon-button small"
              aria-label="Clear who is speaking"
              onClick={() => attempt(onError, () => clearSpeaker(doc, session.id))}
            >
              <X size={14} aria-hidden="true" />
            </button>
          ) : null}
        </div>
      ) : null}
      {session.hands.length > 0 ? (
        <ol className="queue" aria-label="Raised hands">
          {session.hands.map((hand) => (
            <li key={hand.memberId}>
              <Person
                id={hand.memberId}
                name={nameOf(hand.memberId)}
                suffix={hand.memberId === me ? <span className="you">you</span> : null}
              />
              {isFacilitator || hand.memberId === me ? (
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Lower ${hand.memberId === me ? 'your' : `${nameOf(hand.memberId)}’s`} hand`}
                  onClick={() => attempt(onError, () => lowerHand(doc, session.id, hand.memberId))}
                >
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
            <button
              type="button"
              className="button small raised"
              aria-pressed="true"
              onClick={() => attempt(onError, () => lowerHand(doc, session.id, me))}
            >
              <Hand size={15} aria-hidden="true" /> Lower hand
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              aria-pressed="false"
              onClick={() => attempt(onError, () => raiseHand(doc, session.id, { by: me }))}
            >
              <Hand size={15} aria-hidden="true" /> Raise hand
            </button>
          )}
          {isFacilitator ? (
            <button
              type="button"
              className="button small primary"
              disabled={session.hands.length === 0}
              onClick={() => attempt(onError, () => callNextSpeaker(doc, session.id, { by: me }))}
            >
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
  const nextSeat = session.agenda
    .slice(session.current ? session.agenda.findIndex((item) => item.id === session.current!.id) + 1 : 0)
    .find((item) => item.kind === 'hotSeat' && !item.done);
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
          <button
            type="button"
            className="button ghost small"
            onClick={() =>
              attempt(onError, () => shuffleHotSeats(doc, session.id, order.length > 0 ? order : members.map((member) => member.id)))
            }
          >
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
                <Person
                  id={memberId}
                  name={nameOf(memberId)}
                  suffix={
                    now ? (
                      <span className="seat-tag now">Now</span>
                    ) : next ? (
                      <span className="seat-tag">Next</span>
                    ) : seat > seats.length ? (
                      <span className="seat-tag muted">No seat</span>
                    ) : null
                  }
                />
                {isFacilitator && session.status !== 'ended' ? (
                  <span className="row-actions">
                    <button
                      type="button"
                      className="icon-button small"
                      aria-label={`Move ${nameOf(memberId)} earlier`}
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <ArrowUp size={14} aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      aria-label={`Move ${nameOf(memberId)} later`}
                      disabled={index === order.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <ArrowDown size={14} aria-hidden="true" />
                    </button>
                    <button
                      type="button"
                      className="icon-button small"
                      aria-label={`Take ${nameOf(memberId)} out of the rotation`}
                      onClick={() => set(order.filter((id) => id !== memberId))}
                    >
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

export function Attendance({
  doc,
  session,
  me,
  members,
  nameOf,
  isFacilitator,
  onError,
  online,
}: PanelProps & { online: ReadonlySet<string> }) {
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
                  {online.has(memberId) && session.status === 'live'
                    ? 'here now'
                    : entry?.source === 'edit'
                      ? here
                        ? 'marked present'
                        : 'marked absent'
                      : here
                        ? 'was here'
                        : ''}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
