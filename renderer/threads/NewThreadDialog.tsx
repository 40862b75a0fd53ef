// Starts a thread: a title and a first post. Enter in the title moves on to the post (or starts the
// thread once the post has words), Ctrl/Cmd+Enter in the post starts it, Escape closes.
import { useEffect, useId, useRef, useState } from 'react';
import type { HostApi } from '../../shared/host-api.js';
import { THREAD_LIMITS, POST_LIMITS } from '../../shared/threads/schema.js';
import { CompactEditor, type CompactEditorHandle } from '../rich-text/CompactEditor.js';
import type { MentionCandidate } from '../rich-text/mention-menu.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function NewThreadDialog({
  open,
  host,
  members,
  onClose,
  onCreate,
}: {
  open: boolean;
  host: HostApi;
  members: readonly MentionCandidate[];
  onClose: () => void;
  /** Returns why it could not be created, or null once it was. */
  onCreate: (title: string, body: unknown) => string | null;
}) {
  const titleId = useId();
  const editor = useRef<CompactEditorHandle>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    if (open) {
      setTitle('');
      setError(null);
      setEmpty(true);
    }
  }, [open]);

  const submit = () => {
    if (title.trim() === '') {
      setError('Give the thread a title.');
      return;
    }
    if (editor.current?.isEmpty() ?? true) {
      setError('Write the first post, so others know what to reply to.');
      editor.current?.focus();
      return;
    }
    const problem = onCreate(title, editor.current?.getJSON());
    if (problem) setError(problem);
  };

  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <form
        className="dialog-form new-thread"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <DialogHeader
          titleId={titleId}
          title="Start a thread"
          lede="Everyone in the community can read it and reply, even if they were offline when you wrote it."
        />
        <div className="field">
          <label htmlFor={`${titleId}-title`}>Title</label>
          <input
            id={`${titleId}-title`}
            className="input"
            value={title}
            maxLength={THREAD_LIMITS.titleChars}
            placeholder="What is it about?"
            autoFocus
            onChange={(event) => {
              setTitle(event.target.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              if (empty) editor.current?.focus();
              else submit();
            }}
          />
        </div>
        <div className="field">
          <span className="label" id={`${titleId}-post`}>
            First post
          </span>
          <CompactEditor
            ref={editor}
            label="First post"
            placeholder="Say what you want to talk about… Type @ to mention someone."
            members={members}
            host={host}
            onSubmit={submit}
            onEmptyChange={(nowEmpty) => {
              setEmpty(nowEmpty);
              setError(null);
            }}
            onTooLong={(chars) =>
              setError(
                `That would make the post ${chars.toLocaleString()} characters long; posts hold up to ${POST_LIMITS.maxTextChars.toLocaleString()}.`,
              )
            }
            onLinkRefused={setError}
          />
          <span className="hint">Ctrl+Enter starts the thread.</span>
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <DialogFooter onCancel={onClose} actionLabel="Start thread" />
      </form>
    </Dialog>
  );
}
