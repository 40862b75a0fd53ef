// The community's polls: open ones first, each with live results and this member's own vote, which
// they can change until it closes; a scheduling poll's best time becomes an event in one click.
import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { AlertTriangle, BarChart3, CalendarCheck, Check, Lock, Plus, Trash2, X } from 'lucide-react';
import type { CommunityView } from '../../shared/community/queries.js';
import { addPollOption, closePoll, createPoll, deletePoll, removePollOption, scheduleFromPoll, vote } from '../../shared/polls/commands.js';
import { listPolls, type PollView } from '../../shared/polls/queries.js';
import { ANSWERS, ANSWER_LABELS, POLL_KIND_LABELS, type Answer } from '../../shared/polls/schema.js';
import { errorMessage } from '../../shared/errors.js';
import type { OpenCommunity } from '../communities/community-registry.js';
import type { Profile } from '../profile/profile.js';
import { Avatar } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { EmptyState } from '../ui/EmptyState.js';
import { SkippedRecords } from '../ui/SkippedRecords.js';
import { useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { describeOccurrence } from '../events/EventsTab.js';
import { formatWhen } from '../sessions/format.js';
import { NewPollDialog } from './NewPollDialog.js';
import './polls.css';

export interface PollsTabProps {
  readonly community: OpenCommunity;
  readonly view: CommunityView;
  readonly profile: Profile;
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
  readonly onOpenEvents: () => void;
}

export function PollsTab({ community, view, profile, onMessage, onOpenEvents }: PollsTabProps) {
  const doc = community.doc;
  const me = profile.memberId;
  const now = useNow(15_000);
  const { polls, problems } = useDocQuery(doc, (current) => listPolls(current, me, now), [me, now]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<PollView | null>(null);
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = (memberId: string) => (memberId === me ? 'you' : (names.get(memberId) ?? 'a former member'));
  const displayName = (memberId: string) => names.get(memberId) ?? 'A former member';
  const act = (change: () => void) => {
    try {
      change();
    } catch (error) {
      onMessage(errorMessage(error), 'danger');
    }
  };

  return (
    <div className="card polls-tab">
      <header className="list-header">
        <div>
          <h2>Polls</h2>
          <p className="muted">One vote per member, changeable until the poll closes.</p>
        </div>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          <Plus size={16} aria-hidden="true" /> New poll
        </button>
      </header>
      <SkippedRecords problems={problems} what="poll" />
      {polls.length === 0 ? (
        <EmptyState big icon={<BarChart3 size={28} />} title="No polls yet">
          Ask the group — where to meet, which book next — or propose a few times and let everyone say which suit them.
        </EmptyState>
      ) : (
        <ul className="poll-list" aria-label="Polls">
          {polls.map((poll) => (
            <PollCard
              key={poll.id}
              doc={doc}
              poll={poll}
              me={me}
              nameOf={nameOf}
              displayName={displayName}
              act={act}
              onMessage={onMessage}
              onOpenEvents={onOpenEvents}
              onDelete={() => setDeleting(poll)}
            />
          ))}
        </ul>
      )}
      <NewPollDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreate={(input) => {
          createPoll(doc, { ...input, by: me });
          setCreating(false);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the poll “${deleting?.question ?? ''}”?`}
        confirmLabel="Delete poll"
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) act(() => deletePoll(doc, deleting.id));
        }}
      >
        It goes from everyone’s list, with every vote in it. An event it became stays. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

interface PollCardProps {
  readonly doc: Y.Doc;
  readonly poll: PollView;
  readonly me: string;
  readonly nameOf: (memberId: string) => string;
  readonly displayName: (memberId: string) => string;
  readonly act: (change: () => void) => void;
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
  readonly onOpenEvents: () => void;
  /** Asks to delete the poll (its asker only); the tab confirms first. */
  readonly onDelete: () => void;
}

function PollCard({ doc, poll, me, nameOf, displayName, act, onMessage, onOpenEvents, onDelete }: PollCardProps) {
  const [newOption, setNewOption] = useState('');
  const mine = poll.myBallot?.answers ?? {};
  const canManage = poll.createdBy === me;
  const total = poll.voters.length;
  const castChoice = (optionId: string) => {
    if (poll.kind === 'single') return act(() => vote(doc, poll.id, mine[optionId] === 'yes' ? {} : { [optionId]: 'yes' }, { by: me }));
    const next: Record<string, Answer> = {};
    for (const result of poll.results)
      if (mine[result.option.id] === 'yes' && result.option.id !== optionId) next[result.option.id] = 'yes';
    if (mine[optionId] !== 'yes') next[optionId] = 'yes';
    act(() => vote(doc, poll.id, next, { by: me }));
  };
  const castTime = (optionId: string, answer: Answer) => {
    const next: Record<string, Answer> = {};
    for (const result of poll.results) if (mine[result.option.id]) next[result.option.id] = mine[result.option.id]!;
    next[optionId] = answer;
    act(() => vote(doc, poll.id, next, { by: me }));
  };
  return (
    <li className={`poll-card${poll.open ? '' : ' closed'}`} aria-label={poll.question}>
      <header className="poll-head">
        <div>
          <h3 className="poll-question">{poll.question}</h3>
          <p className="poll-meta">
            <span className="badge">{POLL_KIND_LABELS[poll.kind]}</span>
            <span>
              {total} {total === 1 ? 'vote' : 'votes'} · asked by {nameOf(poll.createdBy)}
            </span>
            {poll.open ? (
              poll.closesAt ? (
                <span>closes {formatWhen(poll.closesAt)}</span>
              ) : (
                <span>open</span>
              )
            ) : (
              <span className="closed-tag">
                <Lock size={12} aria-hidden="true" /> Closed
              </span>
            )}
            {poll.kind === 'schedule' && poll.timeZone ? <span>times shown in your time zone</span> : null}
          </p>
        </div>
        {canManage ? (
          <span className="poll-actions">
            {poll.open ? (
              <button type="button" className="button small" onClick={() => act(() => closePoll(doc, poll.id, { by: me }))}>
                <Lock size={14} aria-hidden="true" /> Close poll
              </button>
            ) : null}
            <button
              type="button"
              className="icon-button"
              aria-label={`Delete poll ${poll.question}`}
              title="Delete poll"
              onClick={onDelete}
            >
              <Trash2 size={15} aria-hidden="true" />
            </button>
          </span>
        ) : null}
      </header>
      {poll.myRemovedChoices.length > 0 ? (
        <p className="banner warn removed-note" role="status">
          <AlertTriangle size={16} aria-hidden="true" />
          <span>
            Your vote for “{poll.myRemovedChoices.map((option) => option.label || (option.start ?? '').replace('T', ' ')).join('”, “')}” no
            longer counts: {poll.myRemovedChoices.length === 1 ? 'that option was' : 'those options were'} removed.
            {poll.open ? ' Vote again below.' : ''}
          </span>
        </p>
      ) : null}
      {poll.kind === 'schedule' ? (
        <table className="schedule-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Your answer</th>
              <th scope="col">Yes</th>
              <th scope="col">If need be</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {poll.results.map((result) => {
              const label =
                result.startsAt !== null && result.endsAt !== null
                  ? describeOccurrence(result.startsAt, result.endsAt)
                  : result.option.label;
              const leading = poll.leader?.option.id === result.option.id;
              return (
                <tr key={result.option.id} className={leading ? 'leading' : undefined}>
                  <th scope="row">
                    {label}
                    {leading ? <span className="leader-tag">Best so far</span> : null}
                  </th>
                  <td>
                    <div className="segmented small" role="group" aria-label={`Your answer for ${label}`}>
                      {ANSWERS.map((answer) => (
                        <button
                          key={answer}
                          type="button"
                          className={`segment ${answer}`}
                          aria-pressed={mine[result.option.id] === answer}
                          disabled={!poll.open}
                          onClick={() => castTime(result.option.id, answer)}
                        >
                          {ANSWER_LABELS[answer]}
                        </button>
                      ))}
                    </div>
                  </td>
                  <td className="count-cell" title={result.yes.map(nameOf).join(', ')}>
                    {result.yes.length}
                  </td>
                  <td className="count-cell" title={result.ifNeedBe.map(nameOf).join(', ')}>
                    {result.ifNeedBe.length}
                  </td>
                  <td className="row-actions">
                    {canManage && poll.eventId === null ? (
                      <button
                        type="button"
                        className="button ghost small"
                        onClick={() =>
                          act(
                            () => (
                              scheduleFromPoll(doc, poll.id, result.option.id, { by: me }),
                              onMessage(`“${poll.question}” is now an event.`)
                            ),
                          )
                        }
                      >
                        <CalendarCheck size={14} aria-hidden="true" /> Make it the event
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <ul className="poll-options" aria-label={`Options for ${poll.question}`}>
          {poll.results.map((result) => {
            const chosen = mine[result.option.id] === 'yes';
            const share = total === 0 ? 0 : result.yes.length / total;
            return (
              <li key={result.option.id}>
                <button
                  type="button"
                  className={`poll-option${chosen ? ' chosen' : ''}`}
                  aria-pressed={chosen}
                  disabled={!poll.open}
                  onClick={() => castChoice(result.option.id)}
                >
                  <span className="poll-bar" style={{ width: `${share * 100}%` }} aria-hidden="true" />
                  <span className={`poll-check ${poll.kind}`} aria-hidden="true">
                    {chosen ? <Check size={13} /> : null}
                  </span>
                  <span className="poll-label">{result.option.label}</span>
                  <span className="poll-voters" aria-hidden="true">
                    {result.yes.slice(0, 4).map((memberId) => (
                      <Avatar key={memberId} id={memberId} name={displayName(memberId)} size="sm" />
                    ))}
                  </span>
                  <span className="poll-count">
                    {result.yes.length} <span className="visually-hidden">{result.yes.length === 1 ? 'vote' : 'votes'}</span>
                    <span className="poll-share" aria-hidden="true">
                      {Math.round(share * 100)}%
                    </span>
                  </span>
                </button>
                {canManage && poll.open && poll.results.length > 2 ? (
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Remove option ${result.option.label}`}
                    onClick={() => act(() => removePollOption(doc, poll.id, result.option.id, { by: me }))}
                  >
                    <X size={14} aria-hidden="true" />
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {poll.eventId ? (
        <p className="poll-event">
          <CalendarCheck size={15} aria-hidden="true" /> This poll became an event.{' '}
          <button type="button" className="link-button accent" onClick={onOpenEvents}>
            See it in Events
          </button>
        </p>
      ) : null}
      {poll.open && poll.kind !== 'schedule' ? (
        <form
          className="add-option-form"
          onSubmit={(event) => {
            event.preventDefault();
            act(() => {
              addPollOption(doc, poll.id, { label: newOption }, { by: me });
              setNewOption('');
            });
          }}
        >
          <input
            className="input compact"
            aria-label={`Suggest an option for ${poll.question}`}
            placeholder="Suggest another option…"
            value={newOption}
            onChange={(event) => setNewOption(event.target.value)}
          />
          <button type="submit" className="button small" disabled={newOption.trim() === ''}>
            Add
          </button>
        </form>
      ) : null}
    </li>
  );
}
