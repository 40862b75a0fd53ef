// One open thread: its title and pin, its posts in order with a "new since you last looked" line
// where this member's unread posts begin, and the reply box (Ctrl/Cmd+Enter sends).
import { useEffect, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { typingSentence, useAnnounceTyping, useTypingIn } from '../sync/typing.js';
import { ArrowLeft, Lock, LockOpen, Pin } from 'lucide-react';
import type * as Y from 'yjs';
import type { HostApi } from '../../shared/host-api.js';
import { deletePost, editPost, pinThread, reply, toggleReaction } from '../../shared/threads/commands.js';
import { readThread } from '../../shared/threads/queries.js';
import { POST_LIMITS } from '../../shared/threads/schema.js';
import { markAllSeen, unreadPostIds, type ThreadReadMark } from '../../shared/threads/unread.js';
import { CompactEditor, type CompactEditorHandle } from '../rich-text/CompactEditor.js';
import type { MentionCandidate } from '../rich-text/mention-menu.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { relativeTime, useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import type { ReadMarkRows } from '../store/device-store.js';
import { PostItem } from './PostItem.js';
import { writeModeration } from '../../shared/community/log/write.js';
import { canModerate, moderateThread } from '../../shared/threads/moderation.js';
import { errorMessage } from '../../shared/errors.js';
import { useIdentity, useMembership } from '../communities/use-membership.js';
import { saveThreadReadMark, type ReadMarks } from './read-marks.js';
import { PostingClosed, usePostingGate } from '../access/posting-gate.js';

export interface ThreadViewProps {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly threadId: string;
  readonly me: string;
  readonly host: HostApi;
  readonly store: ReadMarkRows;
  readonly marks: ReadMarks | null;
  readonly names: ReadonlyMap<string, string>;
  readonly members: readonly MentionCandidate[];
  readonly onBack: () => void;
  readonly onOpenLink: (href: string) => void;
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
  /** Presence from the sync layer, for "… is typing"; absent when sync is not running. */
  readonly awareness?: Awareness | undefined;
}

export function ThreadView({
  doc,
  communityId,
  threadId,
  me,
  host,
  store,
  marks,
  names,
  members,
  onBack,
  onOpenLink,
  onMessage,
  awareness,
}: ThreadViewProps) {
  const now = useNow();
  const view = useDocQuery(doc, (current) => readThread(current, threadId), [threadId]);
  // Moderation counts only as the verified log says (shared/threads/moderation.ts), never by who clicked.
  const membership = useMembership(doc, communityId);
  const identity = useIdentity();
  const moderator = membership !== null && identity !== null && canModerate(membership, identity.memberId);
  const moderated = view && membership ? moderateThread(view, membership) : null;
  // A signed community pins through the log; one made before signed roles keeps the record's field.
  const signed = membership?.signed === true;
  const pinned = moderated?.pinned !== null && moderated?.pinned !== undefined;
  const moderate = (action: Parameters<typeof writeModeration>[3]) => {
    if (!identity) return;
    writeModeration(doc, identity, communityId, action).catch((error: unknown) => onMessage(errorMessage(error), 'danger'));
  };
  const nameOf = (id: string) => names.get(id) ?? 'A former member';
  const gate = usePostingGate();
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  // The mark as it was when the thread was opened decides where "new" begins; it stays put while the
  // member reads, even though the stored mark moves on at once.
  const [openedWith, setOpenedWith] = useState<ThreadReadMark | null | undefined>(undefined);
  useEffect(() => {
    if (openedWith === undefined && marks !== null) setOpenedWith(marks.get(threadId) ?? null);
  }, [marks, openedWith, threadId]);

  const posts = view?.thread.posts;
  const seenKey = posts?.map((post) => post.id).join(' ') ?? '';
  useEffect(() => {
    if (!posts || openedWith === undefined) return;
    const stored = marks?.get(threadId);
    if (stored && posts.every((post) => stored.seenPostIds.includes(post.id))) return;
    saveThreadReadMark(store, communityId, threadId, markAllSeen(posts, Date.now())).catch(() => undefined);
    // Posts that arrive while the thread is open are read as they appear.
  }, [seenKey, openedWith]);

  if (!view) {
    return (
      <section className="card thread-missing">
        <button type="button" className="button ghost" onClick={onBack}>
          <ArrowLeft size={16} aria-hidden="true" /> All threads
        </button>
        <p>This thread could not be found. It may have come from a newer version of Hearth.</p>
      </section>
    );
  }

  const { thread } = view;
  const firstNew = openedWith ? unreadPostIds(thread.posts, openedWith, me)[0] : undefined;

  return (
    <section className="thread card" aria-labelledby="thread-title">
      <header className="thread-header">
        <button type="button" className="button ghost tight back" onClick={onBack}>
          <ArrowLeft size={16} aria-hidden="true" /> All threads
        </button>
        <div className="thread-title-row">
          <h2 id="thread-title">{thread.title}</h2>
          {signed ? (
            // Pinning is moderation here: only owners and facilitators, signed into the log.
            // A toggle keeps one name ("Pin"); aria-pressed, the filled pin and the tint say it is on.
            pinned || moderator ? (
              <button
                type="button"
                className={`button tight pin-toggle${pinned ? ' pinned' : ''}`}
                aria-pressed={pinned}
                aria-label="Pin thread"
                disabled={!moderator}
                title={
                  pinned
                    ? `Pinned by ${nameOf(moderated?.pinned?.by ?? '')}${moderator ? ' — click to unpin' : ''}`
                    : 'Pin to the top of the list for everyone'
                }
                onClick={() => moderate({ kind: pinned ? 'unpin' : 'pin', subject: thread.id })}
              >
                <Pin size={15} aria-hidden="true" fill={pinned ? 'currentColor' : 'none'} /> Pin
              </button>
            ) : null
          ) : (
            <button
              type="button"
              className={`button tight pin-toggle${thread.pinned ? ' pinned' : ''}`}
              aria-pressed={thread.pinned}
              aria-label="Pin thread"
              title={
                thread.pinned ? `Pinned by ${nameOf(thread.pinnedBy ?? '')} — click to unpin` : 'Pin to the top of the list for everyone'
              }
              onClick={() => {
                try {
                  pinThread(doc, thread.id, !thread.pinned, { by: me });
                } catch (error) {
                  onMessage(errorMessage(error), 'danger');
                }
              }}
            >
              <Pin size={15} aria-hidden="true" fill={thread.pinned ? 'currentColor' : 'none'} /> Pin
            </button>
          )}
          {moderator ? (
            <button
              type="button"
              className="button tight"
              onClick={() => moderate({ kind: moderated?.locked ? 'unlock' : 'lock', subject: thread.id })}
              title={moderated?.locked ? 'Let members reply again' : 'No more replies, for everyone'}
            >
              {moderated?.locked ? <LockOpen size={15} aria-hidden="true" /> : <Lock size={15} aria-hidden="true" />}{' '}
              {moderated?.locked ? 'Unlock thread' : 'Lock thread'}
            </button>
          ) : null}
        </div>
        <p className="thread-meta">
          Started by {nameOf(thread.createdBy)} · {thread.replyCount === 1 ? '1 reply' : `${thread.replyCount} replies`} · last activity{' '}
          {relativeTime(thread.lastActivityAt, now)}
        </p>
      </header>

      <ol className="posts" aria-label="Posts">
        {(moderated?.posts ?? view.posts).map((post) => (
          <li key={post.id} className={post.id === firstNew ? 'first-new' : undefined} data-post-id={post.id}>
            {post.id === firstNew ? (
              <div className="new-divider">
                <span>New since you last looked</span>
              </div>
            ) : null}
            <PostItem
              post={post}
              isFirst={post.id === thread.firstPostId}
              me={me}
              now={now}
              host={host}
              names={names}
              nameOf={nameOf}
              members={members}
              onOpenLink={onOpenLink}
              hidden={'hidden' in post && post.hidden !== null}
              onModerate={
                moderator && post.id !== thread.firstPostId
                  ? () => moderate({ kind: 'hidden' in post && post.hidden ? 'unhide' : 'hide', subject: post.id, threadId: thread.id })
                  : undefined
              }
              onEdit={(body) => {
                try {
                  editPost(doc, post.id, body, { by: me });
                  return null;
                } catch (error) {
                  return errorMessage(error);
                }
              }}
              onDelete={() => setConfirmDelete(post.id)}
              onReact={(emoji) => {
                try {
                  toggleReaction(doc, post.id, emoji, { by: me });
                } catch (error) {
                  onMessage(errorMessage(error), 'danger');
                }
              }}
            />
          </li>
        ))}
      </ol>

      {moderated?.locked ? (
        <p className="thread-locked" role="status">
          <Lock size={15} aria-hidden="true" /> A facilitator locked this thread; it takes no more replies.
        </p>
      ) : null}
      {moderated?.locked ? null : gate.open ? (
        <ReplyBox key={thread.id} doc={doc} threadId={thread.id} me={me} host={host} members={members} awareness={awareness} />
      ) : (
        <div className="reply-box">
          <PostingClosed gate={gate} />
        </div>
      )}

      <ConfirmDialog
        open={confirmDelete !== null}
        title="Delete this post?"
        confirmLabel="Delete post"
        onClose={() => setConfirmDelete(null)}
        onConfirm={() => {
          if (!confirmDelete) return;
          try {
            deletePost(doc, confirmDelete, { by: me });
          } catch (error) {
            onMessage(errorMessage(error), 'danger');
          }
        }}
      >
        Its words and reactions are removed for everyone. A “deleted” marker stays in its place so the replies still make sense.
      </ConfirmDialog>
    </section>
  );
}

function ReplyBox({
  doc,
  threadId,
  me,
  host,
  members,
  awareness,
}: {
  doc: Y.Doc;
  threadId: string;
  me: string;
  host: HostApi;
  members: readonly MentionCandidate[];
  awareness: Awareness | undefined;
}) {
  const announceTyping = useAnnounceTyping(awareness, threadId);
  const typing = typingSentence(useTypingIn(awareness, threadId, me));
  const editor = useRef<CompactEditorHandle>(null);
  const [empty, setEmpty] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const send = () => {
    const body = editor.current?.getJSON();
    if (!body || editor.current?.isEmpty()) return;
    try {
      reply(doc, threadId, { body, by: me });
      editor.current?.clear();
      setError(null);
    } catch (problem) {
      // The draft stays, so nothing typed is lost.
      setError(errorMessage(problem));
    }
  };
  return (
    <div className="reply-box" onKeyDown={(event) => !event.ctrlKey && !event.metaKey && event.key.length === 1 && announceTyping()}>
      <CompactEditor
        ref={editor}
        label="Reply"
        placeholder="Write a reply… Type @ to mention someone."
        members={members}
        host={host}
        onSubmit={send}
        onEmptyChange={setEmpty}
        onTooLong={(chars) =>
          setError(
            `That would make the reply ${chars.toLocaleString()} characters long; posts hold up to ${POST_LIMITS.maxTextChars.toLocaleString()}. Put the long part in a note and link to it.`,
          )
        }
        onLinkRefused={setError}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="reply-bar">
        <span className="typing" aria-live="polite">
          {typing}
        </span>
        <span className="hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to send
        </span>
        <button type="button" className="button primary" disabled={empty} onClick={send}>
          Send reply
        </button>
      </div>
    </div>
  );
}
