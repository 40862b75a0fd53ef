// A card's comments: the conversation under a card and writing in it; an author may delete their own.
import { useId, useState } from 'react';
import { MessageSquare } from 'lucide-react';
import type * as Y from 'yjs';
import { addComment, deleteComment } from '../../shared/boards/commands.js';
import { BOARD_LIMITS } from '../../shared/boards/schema.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { Avatar } from '../ui/Avatar.js';
import { run } from './card-change.js';

export function Comments({
  doc,
  cardId,
  comments,
  membersById,
  memberId,
}: {
  doc: Y.Doc;
  cardId: string;
  comments: readonly { id: string; authorId: string; body: string; createdAt: number }[];
  membersById: ReadonlyMap<string, MemberRecord>;
  memberId: string;
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const post = () => {
    if (run(() => addComment(doc, cardId, { authorId: memberId, body: draft }), setError)) setDraft('');
  };
  return (
    <section className="detail-block" aria-label="Comments">
      <h3 className="block-title">
        <MessageSquare size={15} aria-hidden="true" /> Comments
      </h3>
      {comments.length > 0 ? (
        <ul className="comment-list">
          {comments.map((comment) => {
            const author = membersById.get(comment.authorId)?.displayName ?? 'A former member';
            return (
              <li key={comment.id} className="comment">
                <Avatar id={comment.authorId} name={author} size="sm" />
                <div className="comment-body">
                  <div className="comment-meta">
                    <strong>{author}</strong>
                    <time dateTime={new Date(comment.createdAt).toISOString()}>
                      {new Date(comment.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
                    </time>
                    {comment.authorId === memberId ? (
                      <button
                        type="button"
                        className="link-button subtle"
                        onClick={() => run(() => deleteComment(doc, cardId, comment.id, memberId), setError)}
                      >
                        Delete
                      </button>
                    ) : null}
                  </div>
                  <p>{comment.body}</p>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      <label htmlFor={id} className="visually-hidden">
        Write a comment
      </label>
      <textarea
        id={id}
        className="textarea compact"
        rows={2}
        placeholder="Write a comment…"
        maxLength={BOARD_LIMITS.commentChars + 100}
        value={draft}
        aria-invalid={error !== null}
        onChange={(event) => {
          setDraft(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            post();
          }
        }}
      />
      <div className="row end">
        <button type="button" className="button small primary" disabled={draft.trim().length === 0} onClick={post}>
          Comment
        </button>
      </div>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </section>
  );
}
