// One post in a thread: who wrote it and when, its body (or the marker a deleted post leaves), its
// reactions, and for the author, editing in place and deleting.
import { useRef, useState } from 'react';
import { Eye, EyeOff, Pencil, Trash2 } from 'lucide-react';
import type { HostApi } from '../../shared/host-api.js';
import type { PostView } from '../../shared/threads/queries.js';
import { POST_LIMITS } from '../../shared/threads/schema.js';
import { CompactEditor, type CompactEditorHandle } from '../rich-text/CompactEditor.js';
import type { MentionCandidate } from '../rich-text/mention-menu.js';
import { RichTextView } from '../rich-text/RichTextView.js';
import { Avatar } from '../ui/Avatar.js';
import { fullTime, relativeTime } from '../ui/relative-time.js';
import { ReactionBar } from './ReactionBar.js';

export interface PostItemProps {
  readonly post: PostView;
  readonly isFirst: boolean;
  readonly me: string;
  readonly now: number;
  readonly host: HostApi;
  readonly names: ReadonlyMap<string, string>;
  readonly nameOf: (memberId: string) => string;
  readonly members: readonly MentionCandidate[];
  readonly onOpenLink: (href: string) => void;
  readonly onEdit: (body: unknown) => string | null;
  readonly onDelete: () => void;
  readonly onReact: (emoji: string) => void;
  /** Hidden by a facilitator or owner, as the verified moderation log says. */
  readonly hidden?: boolean;
  /** Offered to facilitators and owners only: hides the post, or unhides it. */
  readonly onModerate?: (() => void) | undefined;
}

export function PostItem({
  post,
  isFirst,
  me,
  now,
  host,
  names,
  nameOf,
  members,
  onOpenLink,
  onEdit,
  onDelete,
  onReact,
  hidden = false,
  onModerate,
}: PostItemProps) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editor = useRef<CompactEditorHandle>(null);
  const mine = post.authorId === me;
  const author = names.get(post.authorId) ?? 'A former member';

  const save = () => {
    const problem = onEdit(editor.current?.getJSON());
    if (problem) setError(problem);
    else {
      setError(null);
      setEditing(false);
    }
  };

  return (
    <article className={`post${post.deletedAt !== null ? ' deleted' : ''}`} aria-label={`${isFirst ? 'Post' : 'Reply'} by ${author}`}>
      <Avatar id={post.authorId} name={author} size="md" />
      <div className="post-main">
        <div className="post-head">
          <span className="post-author">{mine ? `${author} (you)` : author}</span>
          <time className="post-time" dateTime={new Date(post.createdAt).toISOString()} title={fullTime(post.createdAt)}>
            {relativeTime(post.createdAt, now)}
          </time>
          {post.editedAt !== null && post.deletedAt === null ? (
            <span className="post-edited" title={`Edited ${fullTime(post.editedAt)}`}>
              edited
            </span>
          ) : null}
          {onModerate && post.deletedAt === null && !editing ? (
            <button type="button" className="button ghost tight" onClick={onModerate}>
              {hidden ? <Eye size={15} aria-hidden="true" /> : <EyeOff size={15} aria-hidden="true" />}{' '}
              {hidden ? 'Unhide post' : 'Hide post'}
            </button>
          ) : null}
          {mine && post.deletedAt === null && !editing && !hidden ? (
            <span className="post-actions">
              <button type="button" className="icon-button" aria-label="Edit post" title="Edit" onClick={() => setEditing(true)}>
                <Pencil size={15} aria-hidden="true" />
              </button>
              <button type="button" className="icon-button danger" aria-label="Delete post" title="Delete" onClick={onDelete}>
                <Trash2 size={15} aria-hidden="true" />
              </button>
            </span>
          ) : null}
        </div>
        {hidden && post.deletedAt === null ? (
          <p className="post-deleted-marker">Hidden by a facilitator.</p>
        ) : post.deletedAt !== null ? (
          <p className="post-deleted-marker">This post was deleted{post.deletedAt ? ` ${relativeTime(post.deletedAt, now)}` : ''}.</p>
        ) : editing ? (
          <div className="post-edit">
            <CompactEditor
              ref={editor}
              label="Edit post"
              placeholder="Write something…"
              initial={post.body ?? undefined}
              members={members}
              host={host}
              autoFocus
              onSubmit={save}
              onCancel={() => {
                setError(null);
                setEditing(false);
              }}
              onTooLong={(chars) =>
                setError(
                  `That would make the post ${chars.toLocaleString()} characters long; posts hold up to ${POST_LIMITS.maxTextChars.toLocaleString()}.`,
                )
              }
              onLinkRefused={setError}
            />
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <div className="post-edit-actions">
              <span className="hint">Ctrl+Enter to save · Escape to cancel</span>
              <button type="button" className="button tight" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button type="button" className="button primary tight" onClick={save}>
                Save
              </button>
            </div>
          </div>
        ) : post.body ? (
          <RichTextView doc={post.body} names={names} onOpenLink={onOpenLink} className="post-body" />
        ) : null}
        {post.deletedAt === null && !editing && !hidden ? (
          <ReactionBar reactions={post.reactions} me={me} nameOf={nameOf} onToggle={onReact} />
        ) : null}
      </div>
    </article>
  );
}
