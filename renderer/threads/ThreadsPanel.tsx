// The Threads section: every thread, pinned ones first and then by last activity, with what is new
// for this member; an open thread; and the dialog that starts one.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CheckCheck, MessageSquare, MessagesSquare, Pin, Plus } from 'lucide-react';
import { createThread } from '../../shared/threads/commands.js';
import { listThreads, type ThreadSummary } from '../../shared/threads/queries.js';
import { moderateThreadList } from '../../shared/threads/moderation.js';
import { useMembership } from '../communities/use-membership.js';
import { markAllSeen, unreadCount } from '../../shared/threads/unread.js';
import { errorMessage } from '../../shared/errors.js';
import type { SectionProps } from '../communities/section-types.js';
import { openLink } from '../rich-text/links.js';
import type { MentionCandidate } from '../rich-text/mention-menu.js';
import { Avatar } from '../ui/Avatar.js';
import { EmptyState } from '../ui/EmptyState.js';
import { fullTime, relativeTime, useNow } from '../ui/relative-time.js';
import { SkippedRecords } from '../ui/SkippedRecords.js';
import { Toast, type ToastMessage } from '../ui/Toast.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { NewThreadDialog } from './NewThreadDialog.js';
import { saveThreadReadMark, useThreadReadMarks, type ReadMarks } from './read-marks.js';
import { takeThreadIntent } from './thread-intent.js';
import { ThreadView } from './ThreadView.js';
import { PostingClosed, usePostingGate } from '../access/posting-gate.js';
import './threads.css';
import '../ui/home-list.css';

export function ThreadsPanel({ community, view, profile, host, store, focus }: SectionProps) {
  const doc = community.doc;
  const me = profile.memberId;
  const intent = useRef(takeThreadIntent(community.id));
  const gate = usePostingGate();
  const [openId, setOpenId] = useState<string | null>(intent.current?.threadId ?? null);
  const [creating, setCreating] = useState(intent.current?.create === true && gate.open);
  // "Start a thread" when posting is closed: say why, and offer the way in (the code of conduct).
  const startThread = () => {
    if (gate.open) setCreating(true);
    else gate.action?.run();
  };
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismissToast = useCallback(() => setToast(null), []);
  const showMessage = useCallback(
    (text: string, tone: 'neutral' | 'danger' = 'neutral') => setToast({ id: Date.now(), message: text, tone }),
    [],
  );
  const listed = useDocQuery(doc, listThreads);
  // Pins and hidden first posts as the verified log says (shared/threads/moderation.ts).
  const membership = useMembership(doc, community.id);
  const threads = useMemo(() => moderateThreadList(listed.threads, membership), [listed.threads, membership]);
  const { problems } = listed;
  const marks = useThreadReadMarks(store, community.id);
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const members: MentionCandidate[] = useMemo(
    () => view.members.filter((member) => member.id !== me).map((member) => ({ id: member.id, label: member.displayName })),
    [view.members, me],
  );
  const onOpenLink = useCallback(
    (href: string) => {
      void openLink(host, href).then((result) => {
        if (!result.opened) showMessage(result.reason, 'danger');
      });
    },
    [host, showMessage],
  );

  useEffect(() => {
    if (intent.current?.create && !gate.open) gate.action?.run();
    intent.current = null;
    // Only the intent this panel opened with counts.
  }, []);
  // Search asked for a thread: open it.
  useEffect(() => {
    if (focus?.section !== 'threads') return;
    setCreating(false);
    setOpenId(focus.itemId);
  }, [focus]);

  const dialog = (
    <NewThreadDialog
      open={creating}
      host={host}
      members={members}
      onClose={() => setCreating(false)}
      onCreate={(title, body) => {
        if (!gate.open) return gate.reason;
        try {
          const { thread } = createThread(doc, { title, body, by: me });
          setCreating(false);
          setOpenId(thread.id);
          return null;
        } catch (error) {
          return errorMessage(error);
        }
      }}
    />
  );

  const skipped = problems.length > 0 ? <SkippedRecords problems={problems} what="thread or post" /> : null;

  if (openId) {
    return (
      <div className="threads-stack">
        {skipped}
        <ThreadView
          key={openId}
          doc={doc}
          communityId={community.id}
          threadId={openId}
          me={me}
          host={host}
          store={store}
          marks={marks}
          names={names}
          members={members}
          onBack={() => setOpenId(null)}
          onOpenLink={onOpenLink}
          onMessage={showMessage}
          awareness={community.sync?.awareness}
        />
        <Toast toast={toast} onDismiss={dismissToast} />
      </div>
    );
  }

  if (threads.length === 0) {
    return (
      <div className="threads-stack">
        {skipped}
        <div className="card">
          <EmptyState
            big
            icon={<MessagesSquare size={28} />}
            title="No threads yet"
            action={
              <button
                type="button"
                className="button primary"
                style={{ marginTop: 12 }}
                onClick={startThread}
                disabled={!gate.open && !gate.action}
                title={gate.open ? undefined : gate.reason}
              >
                <Plus size={16} aria-hidden="true" /> Start a thread
              </button>
            }
          >
            Conversations that keep going between meetings, readable even when you were offline. Ask a question, share a win, or start the
            week’s check-in.
          </EmptyState>
          {gate.open ? null : (
            <div className="card-body">
              <PostingClosed gate={gate} />
            </div>
          )}
          {dialog}
        </div>
      </div>
    );
  }

  const unreadTotal = marks ? threads.reduce((sum, thread) => sum + unreadCount(thread, marks.get(thread.id) ?? null, me), 0) : 0;
  return (
    <div className="threads-stack">
      {skipped}
      <section className="card threads" aria-labelledby="threads-title">
        <div className="threads-header">
          <div>
            <h2 id="threads-title">Threads</h2>
            <p className="muted">
              {unreadTotal > 0 ? `${unreadTotal} unread ${unreadTotal === 1 ? 'post' : 'posts'}` : 'You are all caught up.'}
            </p>
          </div>
          <div className="threads-header-actions">
            {unreadTotal > 0 ? (
              <button
                type="button"
                className="button ghost tight"
                onClick={() => {
                  for (const thread of threads)
                    void saveThreadReadMark(store, community.id, thread.id, markAllSeen(thread.posts, Date.now())).catch(() => undefined);
                }}
              >
                <CheckCheck size={16} aria-hidden="true" /> Mark all read
              </button>
            ) : null}
            <button
              type="button"
              className="button primary"
              onClick={startThread}
              disabled={!gate.open && !gate.action}
              title={gate.open ? undefined : gate.reason}
            >
              <Plus size={16} aria-hidden="true" /> New thread
            </button>
          </div>
        </div>
        {gate.open ? null : (
          <div className="threads-gate">
            <PostingClosed gate={gate} />
          </div>
        )}
        <ThreadList threads={threads} marks={marks} me={me} names={names} onOpen={setOpenId} />
        {dialog}
        <Toast toast={toast} onDismiss={dismissToast} />
      </section>
    </div>
  );
}

function ThreadList({
  threads,
  marks,
  me,
  names,
  onOpen,
}: {
  threads: readonly ThreadSummary[];
  marks: ReadMarks | null;
  me: string;
  names: ReadonlyMap<string, string>;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  const nameOf = (id: string) => (id === me ? 'you' : (names.get(id) ?? 'a former member'));
  return (
    <ul className="thread-rows" aria-label="Threads">
      {threads.map((thread) => {
        const unread = marks ? unreadCount(thread, marks.get(thread.id) ?? null, me) : 0;
        return (
          <li key={thread.id}>
            <button type="button" className={`thread-row${unread > 0 ? ' unread' : ''}`} onClick={() => onOpen(thread.id)}>
              <Avatar id={thread.createdBy} name={names.get(thread.createdBy) ?? '?'} size="md" />
              <span className="thread-row-main">
                <span className="thread-row-title">
                  {thread.pinned ? (
                    <span className="pinned-mark" title="Pinned">
                      <Pin size={13} aria-hidden="true" />
                      <span className="visually-hidden">Pinned: </span>
                    </span>
                  ) : null}
                  {thread.title}
                </span>
                {thread.excerpt ? (
                  <span className="thread-row-excerpt">{thread.excerpt}</span>
                ) : (
                  <span className="thread-row-excerpt deleted">The first post was deleted.</span>
                )}
                <span className="thread-row-meta">
                  <span>{nameOf(thread.createdBy)}</span>
                  <span aria-hidden="true">·</span>
                  <span className="replies">
                    <MessageSquare size={12} aria-hidden="true" /> {thread.replyCount === 1 ? '1 reply' : `${thread.replyCount} replies`}
                  </span>
                  <span aria-hidden="true">·</span>
                  <span title={fullTime(thread.lastActivityAt)}>
                    {thread.replyCount > 0 ? `${nameOf(thread.lastPostBy)} replied` : 'started'} {relativeTime(thread.lastActivityAt, now)}
                  </span>
                </span>
              </span>
              {unread > 0 ? <span className="new-badge">{unread} new</span> : null}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
