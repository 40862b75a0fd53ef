// One session: planning (agenda, rotation, start), run mode (current item and timer that every member
// sees, queue, hot seats, attendance, action items, live notes), and, once ended, its outcomes.
// Over 400 lines once formatted: the three phases share one session view and its commands; the
// panels with state of their own live in RunPanels, CommitmentPanels and AgendaList.
import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ArrowLeft, CalendarPlus, CirclePlay, Clock, FileText, Flag, Radio, Save, Trash2, UserCog } from 'lucide-react';
import type { MemberRecord } from '../../shared/community/schema.js';
import type { HostApi } from '../../shared/host-api.js';
import { noteBody, recordNoteEdit } from '../../shared/notes/commands.js';
import { deleteSession, planNextInSeries, updateSession } from '../../shared/sessions/session-commands.js';
import {
  endSession,
  extendTimer,
  nextItem,
  pauseTimer,
  recordPresence,
  resetTimer,
  startSession,
  startTimer,
} from '../../shared/sessions/run-commands.js';
import { saveTemplate } from '../../shared/sessions/template-commands.js';
import type { SessionView } from '../../shared/sessions/queries.js';
import { errorMessage } from '../../shared/errors.js';
import type { OpenCommunity } from '../communities/community-registry.js';
import { NoteBodyEditor, type NotePresence } from '../notes/NoteBodyEditor.js';
import { Avatar, MemberAvatarsContext, presenceColourOf } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { relativeTime, useNow } from '../ui/relative-time.js';
import { useOnlineMembers } from '../sync/use-sync.js';
import { AgendaList } from './AgendaList.js';
import { memberOfClient, useClockSync } from './clock-sync.js';
import { formatMinutes, formatWhen } from './format.js';
import { Attendance, HotSeats, SpeakingQueue } from './RunPanels.js';
import { ActionItems, CheckInPanel } from './CommitmentPanels.js';
import type { PanelProps } from './RunPanel.js';
import { RunTimer } from './RunTimer.js';

export interface SessionPageProps {
  readonly community: OpenCommunity;
  readonly session: SessionView;
  readonly me: string;
  readonly myName: string;
  readonly members: readonly MemberRecord[];
  readonly host: HostApi;
  readonly onBack: () => void;
  readonly onOpen: (sessionId: string) => void;
  readonly onOpenNote: (noteId: string) => void;
  readonly onOpenBoard: (boardId: string) => void;
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
}

const NOTE_STAMP_EVERY_MS = 3_000;

export function SessionPage(props: SessionPageProps) {
  const { community, session, me, members, onBack, onMessage } = props;
  const doc = community.doc;
  const names = useMemo(() => new Map(members.map((member) => [member.id, member.displayName])), [members]);
  const nameOf = (memberId: string) => (memberId === me ? props.myName : (names.get(memberId) ?? 'A former member'));
  const isFacilitator = session.facilitatorId === me;
  const onError = (message: string) => onMessage(message, 'danger');
  const panel: PanelProps = { doc, session, me, members, nameOf, isFacilitator, onError };
  const [confirm, setConfirm] = useState<'end' | 'delete' | null>(null);
  const status = session.status;

  const act = (change: () => void) => {
    try {
      change();
    } catch (error) {
      onError(errorMessage(error));
    }
  };

  return (
    <div className={`session-page ${status}`}>
      <header className="session-header">
        <button type="button" className="button ghost small back" onClick={onBack}>
          <ArrowLeft size={15} aria-hidden="true" /> All sessions
        </button>
        <div className="session-title-row">
          <div className="session-titles">
            <div className="session-badges">
              {status === 'live' ? (
                <span className="live-badge">
                  <Radio size={13} aria-hidden="true" /> Live
                </span>
              ) : status === 'ended' ? (
                <span className="badge">Ended {session.endedAt ? relativeTime(session.endedAt) : ''}</span>
              ) : (
                <span className="badge accent">Planned</span>
              )}
              <span className="session-when">
                <Clock size={13} aria-hidden="true" /> {formatWhen(session.scheduledAt)} · {formatMinutes(session.totalMinutes)}
              </span>
            </div>
            <h2 className="session-title">{session.title}</h2>
            <p className="session-facilitator">
              <Avatar id={session.facilitatorId} name={nameOf(session.facilitatorId)} size="sm" /> Facilitated by{' '}
              {session.facilitatorId === me ? 'you' : nameOf(session.facilitatorId)}
              {!isFacilitator && status !== 'ended' ? (
                <button
                  type="button"
                  className="link-button subtle take-over"
                  onClick={() => act(() => updateSession(doc, session.id, { facilitatorId: me }))}
                >
                  <UserCog size={12} aria-hidden="true" /> Take over
                </button>
              ) : null}
            </p>
          </div>
          <div className="session-actions">
            {status === 'planned' && isFacilitator ? (
              <>
                <button
                  type="button"
                  className="icon-button"
                  aria-label="Delete session"
                  title="Delete session"
                  onClick={() => setConfirm('delete')}
                >
                  <Trash2 size={16} aria-hidden="true" />
                </button>
                <button
                  type="button"
                  className="button primary"
                  disabled={session.agenda.length === 0}
                  onClick={() => act(() => startSession(doc, session.id, { by: me }))}
                >
                  <CirclePlay size={16} aria-hidden="true" /> Start session
                </button>
              </>
            ) : null}
            {status === 'live' && isFacilitator ? (
              <button type="button" className="button danger-outline" onClick={() => setConfirm('end')}>
                <Flag size={15} aria-hidden="true" /> End session
              </button>
            ) : null}
            {status === 'ended' ? (
              <button
                type="button"
                className="button primary"
                onClick={() => act(() => props.onOpen(planNextInSeries(doc, session.id, { by: me })))}
              >
                <CalendarPlus size={16} aria-hidden="true" /> Plan the next session
              </button>
            ) : null}
          </div>
        </div>
      </header>

      <CheckInPanel {...panel} />

      {status === 'live' ? <RunMode {...props} panel={panel} /> : <PlanOrSummary {...props} panel={panel} />}

      <ConfirmDialog
        open={confirm === 'end'}
        title="End the session for everyone?"
        confirmLabel="End session"
        onClose={() => setConfirm(null)}
        onConfirm={() => act(() => endSession(doc, session.id, { by: me }))}
      >
        The timer stops and raised hands are cleared. Notes, attendance and action items stay with the session, and the next session of the
        series checks in on its commitments.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={`Delete “${session.title}”?`}
        confirmLabel="Delete session"
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          act(() => {
            deleteSession(doc, session.id);
            onBack();
          })
        }
      >
        Its agenda goes for everyone. Its notes stay in Notes. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function RunMode({ community, session, me, host, myName, onOpenBoard, panel }: SessionPageProps & { panel: PanelProps }) {
  const doc = community.doc;
  const { nameOf, isFacilitator, onError } = panel;
  const clock = useClockSync(community.sync);
  const online = useOnlineMembers(community.sync);
  const onlineIds = useMemo(() => new Set(online.map((member) => member.id)), [online]);
  const now = useNow(5_000);

  // Whoever has run mode open records who is here; each member is written once (first sighting).
  useEffect(() => {
    const ids = [...onlineIds, me];
    try {
      recordPresence(doc, session.id, ids);
    } catch {
      // The session ended or went away meanwhile; nothing to record.
    }
  }, [doc, session.id, onlineIds, me]);

  const act = (change: () => void) => {
    try {
      change();
    } catch (error) {
      onError(errorMessage(error));
    }
  };
  const current = session.current;
  const run = session.run;
  const at = current ? session.agenda.findIndex((item) => item.id === current.id) : -1;
  const upcoming = session.agenda.slice(at + 1).find((item) => !item.done && item.id !== current?.id) ?? null;
  const nextHotSeat = session.agenda.slice(at + 1).find((item) => item.kind === 'hotSeat' && !item.done && item.hotSeatMemberId);
  const reading = { client: doc.clientID, offsetOf: clock.offsetOf };
  const timerOwner = run && run.clock !== doc.clientID ? memberOfClient(community.sync, run.clock) : null;
  const offset = run && run.clock !== doc.clientID ? clock.offsetOf(run.clock) : null;

  return (
    <div className="run-mode">
      <div className="run-main">
        <section className="now-card card" aria-label="Current agenda item">
          {current && run ? (
            <>
              <div className="now-head">
                <span className="now-label">
                  Now · item {at + 1} of {session.agenda.length}
                </span>
                <span className="now-box">{formatMinutes(current.minutes)} time box</span>
              </div>
              <h3 className="now-title" aria-live="polite">
                {current.title}
              </h3>
              {current.kind === 'hotSeat' ? (
                <p className="hot-seat-line">
                  {current.hotSeatMemberId ? (
                    <>
                      <Avatar id={current.hotSeatMemberId} name={nameOf(current.hotSeatMemberId)} size="md" />
                      <span>
                        On the hot seat: <strong>{nameOf(current.hotSeatMemberId)}</strong>
                      </span>
                    </>
                  ) : (
                    <span>Nobody is in this seat yet — add members to the rotation.</span>
                  )}
                  {nextHotSeat?.hotSeatMemberId ? <span className="next-up">Next: {nameOf(nextHotSeat.hotSeatMemberId)}</span> : null}
                </p>
              ) : null}
              <RunTimer
                run={run}
                reading={reading}
                nextLabel={upcoming ? 'Next item' : 'Finish agenda'}
                controls={
                  isFacilitator
                    ? {
                        onStart: () => act(() => startTimer(doc, session.id, { by: me })),
                        onPause: () => act(() => pauseTimer(doc, session.id, { by: me })),
                        onExtend: (minutes) => act(() => extendTimer(doc, session.id, minutes, { by: me })),
                        onReset: () => act(() => resetTimer(doc, session.id, { by: me })),
                        onNext: () => act(() => void nextItem(doc, session.id, { by: me })),
                      }
                    : null
                }
              />
              <p className="run-stamp">
                {upcoming ? (
                  <span>
                    Up next:{' '}
                    <strong>
                      {upcoming.kind === 'hotSeat' && upcoming.hotSeatMemberId
                        ? `${upcoming.title} · ${nameOf(upcoming.hotSeatMemberId)}`
                        : upcoming.title}
                    </strong>
                  </span>
                ) : (
                  <span>This is the last item.</span>
                )}
                <span className="muted">
                  Last changed by {run.by === me ? 'you' : nameOf(run.by)} {relativeTime(run.at - (offset ?? 0), now)}
                  {timerOwner && timerOwner !== me ? (
                    <span title="The countdown is computed from this device’s clock, corrected by how far it is from the clock of the device that started it.">
                      {' '}
                      · follows {nameOf(timerOwner)}’s clock
                      {offset !== null && Math.abs(offset) >= 2_000 ? ` (yours is ${describeOffset(-offset)})` : ''}
                    </span>
                  ) : null}
                </span>
              </p>
            </>
          ) : (
            <div className="agenda-finished">
              <h3 className="now-title">{session.agenda.length === 0 ? 'The agenda is empty' : 'Agenda finished'}</h3>
              <p className="muted">
                {isFacilitator
                  ? 'Add an item below, run one again, or end the session when everyone is done.'
                  : 'The facilitator will wrap up.'}
              </p>
            </div>
          )}
        </section>

        <section className="card run-agenda" aria-label="Agenda">
          <header className="card-section-header">
            <h3>Agenda</h3>
            <span className="muted">
              {session.agenda.filter((item) => item.done).length} of {session.agenda.length} done
            </span>
          </header>
          <AgendaList doc={doc} session={session} mode="run" canEdit={isFacilitator} me={me} nameOf={nameOf} onError={onError} />
        </section>

        <LiveNotes community={community} noteId={session.noteId} me={me} myName={myName} host={host} />
      </div>
      <aside className="run-side" aria-label="Session tools">
        <SpeakingQueue {...panel} />
        <HotSeats {...panel} />
        <ActionItems {...panel} onOpenBoard={onOpenBoard} />
        <Attendance {...panel} online={onlineIds} />
      </aside>
    </div>
  );
}

function describeOffset(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const text =
    seconds < 60
      ? `${seconds} s`
      : seconds >= 600 || seconds % 60 === 0
        ? `${Math.round(seconds / 60)} min`
        : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${text} ${ms < 0 ? 'behind' : 'ahead'}`;
}

function PlanOrSummary({
  community,
  session,
  me,
  myName,
  host,
  onOpenNote,
  onOpenBoard,
  onMessage,
  panel,
}: SessionPageProps & { panel: PanelProps }) {
  const doc = community.doc;
  const { nameOf, isFacilitator, onError } = panel;
  const [templateName, setTemplateName] = useState('');
  const planning = session.status === 'planned';
  const online = useOnlineMembers(community.sync);
  const onlineIds = useMemo(() => new Set(online.map((member) => member.id)), [online]);
  return (
    <div className="run-mode">
      <div className="run-main">
        <section className="card run-agenda" aria-label="Agenda">
          <header className="card-section-header">
            <h3>Agenda</h3>
            <span className="muted">
              {session.agenda.length} items · {formatMinutes(session.totalMinutes)}
            </span>
          </header>
          <AgendaList
            doc={doc}
            session={session}
            mode={planning ? 'plan' : 'summary'}
            canEdit={isFacilitator}
            me={me}
            nameOf={nameOf}
            onError={onError}
          />
          {planning && isFacilitator && session.agenda.length > 0 ? (
            <form
              className="save-template"
              onSubmit={(event) => {
                event.preventDefault();
                try {
                  saveTemplate(doc, {
                    name: templateName,
                    items: session.agenda.map(({ title, kind, minutes }) => ({ title, kind, minutes })),
                    by: me,
                  });
                  setTemplateName('');
                  onMessage('Saved as a template for the community.');
                } catch (error) {
                  onError(errorMessage(error));
                }
              }}
            >
              <input
                className="input compact"
                aria-label="Template name"
                placeholder="Save this agenda as a template…"
                value={templateName}
                onChange={(event) => setTemplateName(event.target.value)}
              />
              <button type="submit" className="button small">
                <Save size={14} aria-hidden="true" /> Save template
              </button>
            </form>
          ) : null}
        </section>
        {session.status === 'ended' ? (
          session.noteId ? (
            <section className="card notes-link">
              <FileText size={18} aria-hidden="true" />
              <div className="grow">
                <strong>Session notes</strong>
                <p className="muted">What the group wrote during the session, kept in Notes.</p>
              </div>
              <button type="button" className="button small" onClick={() => onOpenNote(session.noteId!)}>
                Open notes
              </button>
            </section>
          ) : null
        ) : (
          <LiveNotes community={community} noteId={session.noteId} me={me} myName={myName} host={host} />
        )}
      </div>
      <aside className="run-side" aria-label="Session tools">
        <HotSeats {...panel} />
        {session.status === 'ended' ? <Attendance {...panel} online={onlineIds} /> : null}
        <ActionItems {...panel} onOpenBoard={onOpenBoard} />
      </aside>
    </div>
  );
}

/** The session's collaborative note, edited in place with everyone's carets. */
function LiveNotes({
  community,
  noteId,
  me,
  myName,
  host,
}: {
  community: OpenCommunity;
  noteId: string | null;
  me: string;
  myName: string;
  host: HostApi;
}) {
  const doc = community.doc;
  const fragment = noteId ? noteBody(doc, noteId) : null;
  const awareness = community.sync?.awareness;
  // The caret takes the colour this member chose for their avatar in this community, if any.
  const myAvatar = useContext(MemberAvatarsContext).get(me);
  const presence = useMemo<NotePresence | undefined>(
    () => (awareness ? { provider: { awareness }, user: { id: me, name: myName, color: presenceColourOf(me, myAvatar) } } : undefined),
    [awareness, me, myName, myAvatar],
  );
  const lastStamp = useRef(0);
  const onLocalEdit = useMemo(
    () => () => {
      if (!noteId || Date.now() - lastStamp.current < NOTE_STAMP_EVERY_MS) return;
      lastStamp.current = Date.now();
      try {
        recordNoteEdit(doc, noteId, { by: me });
      } catch {
        // The note was deleted meanwhile; the text is still in the fragment.
      }
    },
    [doc, noteId, me],
  );
  const noop = useMemo(() => () => undefined, []);
  if (!fragment) return null;
  return (
    <section className="card live-notes" aria-label="Live notes">
      <header className="card-section-header">
        <h3>Live notes</h3>
        <span className="muted">Everyone writes here; it stays in Notes.</span>
      </header>
      <NoteBodyEditor fragment={fragment} host={host} presence={presence} onLocalEdit={onLocalEdit} onTooLong={noop} onLinkRefused={noop} />
    </section>
  );
}
