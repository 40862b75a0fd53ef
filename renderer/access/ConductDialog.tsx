// The community's code of conduct, shown on joining and before a first post: reading it and choosing
// "I agree" signs a `conduct` entry with the hash of exactly this text.
import { useId, useState } from 'react';
import { ScrollText } from 'lucide-react';
import { LIMITS } from '../../shared/community/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function ConductDialog({
  open,
  communityName,
  text,
  changed,
  onAccept,
  onClose,
}: {
  open: boolean;
  communityName: string;
  text: string;
  /** The member accepted an earlier version: say it changed. */
  changed: boolean;
  onAccept: () => Promise<void>;
  onClose: () => void;
}) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await onAccept();
      onClose();
    } catch (problem) {
      setError(errorMessage(problem));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <div className="dialog-form conduct-dialog">
        <div className="dialog-header">
          <div className="conduct-title">
            <span className="access-icon" aria-hidden="true">
              <ScrollText size={20} />
            </span>
            <div>
              <h2 id={titleId}>Code of conduct</h2>
              <p>
                {changed
                  ? `The code of conduct of ${communityName} has changed since you accepted it.`
                  : `${communityName} asks every member to read and accept this before posting.`}
              </p>
            </div>
          </div>
        </div>
        <div className="conduct-text" tabIndex={0} role="document" aria-label="The code of conduct">
          {text}
        </div>
        <p className="hint">
          Your acceptance is signed by you and kept in the community’s membership log. If the text changes, you will be asked again.
        </p>
        {error ? (
          <p className="form-error" role="alert">
            Could not record your acceptance: {error}
          </p>
        ) : null}
        <DialogFooter
          onCancel={onClose}
          cancelLabel="Not now"
          actionLabel={busy ? 'Saving…' : 'I agree'}
          actionDisabled={busy}
          onAction={() => void accept()}
        />
      </div>
    </Dialog>
  );
}

/** Owners and facilitators write or change the code of conduct; the editor accepts their own text. */
export function EditConductDialog({
  open,
  initial,
  onSave,
  onClose,
}: {
  open: boolean;
  initial: string;
  onSave: (text: string) => Promise<void>;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <EditConductForm key={String(open)} titleId={titleId} initial={initial} onSave={onSave} onClose={onClose} />
    </Dialog>
  );
}

function EditConductForm({
  titleId,
  initial,
  onSave,
  onClose,
}: {
  titleId: string;
  initial: string;
  onSave: (text: string) => Promise<void>;
  onClose: () => void;
}) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  return (
    <form
      className="dialog-form"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        onSave(text.trim()).then(onClose, (problem: unknown) => {
          setError(errorMessage(problem));
          setBusy(false);
        });
      }}
    >
      <DialogHeader titleId={titleId} title="Code of conduct" lede="Every member is asked to accept the new text before their next post." />
      <div className="field">
        <label htmlFor={fieldId}>Text</label>
        <textarea
          id={fieldId}
          className="textarea"
          rows={8}
          maxLength={LIMITS.codeOfConductChars}
          value={text}
          autoFocus
          onChange={(event) => setText(event.target.value)}
        />
        <span className="hint">Leave it empty to have no code of conduct.</span>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel={busy ? 'Saving…' : 'Save'} actionDisabled={busy || text.trim() === initial.trim()} />
    </form>
  );
}
