// "Leave community": says what leaving does before it happens, then shows that it is under way (the
// leave entry is given up to a few seconds to reach the members online; see communities/leave.ts).
import { useId, useState } from 'react';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function LeaveDialog({
  open,
  communityName,
  waiting,
  lastOwner,
  onLeave,
  onClose,
}: {
  open: boolean;
  communityName: string;
  /** Still waiting to be admitted: leaving takes back the request. */
  waiting: boolean;
  /** The only owner, with other members: nobody will be able to change roles afterwards. */
  lastOwner: boolean;
  onLeave: () => Promise<void>;
  onClose: () => void;
}) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    if (!busy) onClose();
  };
  return (
    <Dialog open={open} onClose={close} labelledBy={titleId}>
      <div className="dialog-form">
        <div className="dialog-header">
          <h2 id={titleId}>{waiting ? `Stop waiting to join ${communityName}?` : `Leave ${communityName}?`}</h2>
        </div>
        <ul className="leave-consequences">
          <li>
            <strong>It disappears from this device:</strong> its notes, threads, boards and sessions are deleted here. Files you added to
            the library stay in this device’s file store.
          </li>
          <li>
            <strong>The others see that you left</strong> — those online now at once, as Hearth tells them before deleting. Anyone offline
            learns it only from a member who was told.
          </li>
          <li>
            <strong>To come back you need a new invite</strong> from a member{waiting ? ', and to be admitted again' : ''}.
          </li>
          {lastOwner ? (
            <li className="leave-warning">
              <strong>You are its only owner.</strong> Facilitators can still moderate, but nobody will be able to make new facilitators.
            </li>
          ) : null}
        </ul>
        {error ? (
          <p className="form-error" role="alert">
            Could not leave: {error}
          </p>
        ) : null}
        <DialogFooter
          onCancel={close}
          cancelAutoFocus
          cancelDisabled={busy}
          danger
          actionDisabled={busy}
          actionLabel={busy ? 'Telling the others…' : waiting ? 'Stop waiting and leave' : 'Leave community'}
          onAction={() => {
            setBusy(true);
            setError(null);
            // On success the community goes away with this dialog; nothing to reset.
            onLeave().catch((problem: unknown) => {
              setError(errorMessage(problem));
              setBusy(false);
            });
          }}
        />
      </div>
    </Dialog>
  );
}
