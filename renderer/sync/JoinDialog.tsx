// "Join a community": paste a code or a hearth:// link; a damaged or foreign code gets a clear
// message and nothing is joined until the member confirms the community's name.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { parseInvite, type Invite } from '../../shared/sync/invite.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function JoinDialog({
  open,
  onClose,
  onJoin,
  initialCode = '',
}: {
  open: boolean;
  onClose: () => void;
  onJoin: (invite: Invite) => Promise<void>;
  initialCode?: string;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <JoinForm titleId={titleId} onClose={onClose} onJoin={onJoin} initialCode={initialCode} />
    </Dialog>
  );
}

function JoinForm({
  titleId,
  onClose,
  onJoin,
  initialCode,
}: {
  titleId: string;
  onClose: () => void;
  onJoin: (invite: Invite) => Promise<void>;
  initialCode: string;
}) {
  const [text, setText] = useState(initialCode);
  const [invite, setInvite] = useState<Invite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const hintId = useId();

  useEffect(() => {
    let cancelled = false;
    if (!text.trim()) {
      setInvite(null);
      setError(null);
      return;
    }
    parseInvite(text).then((parsed) => {
      if (cancelled) return;
      setInvite(parsed.ok ? parsed.invite : null);
      setError(parsed.ok ? null : parsed.error);
    });
    return () => {
      cancelled = true;
    };
  }, [text]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!invite) return setError(error ?? 'Paste an invite code or link.');
    setBusy(true);
    try {
      await onJoin(invite);
    } catch (failure) {
      setError(`Could not join: ${errorMessage(failure)}`);
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="Join a community"
        lede="Paste the invite code or hearth:// link a member sent you."
        onClose={onClose}
      />
      <div className="field">
        <label htmlFor={fieldId}>Invite code or link</label>
        <textarea
          id={fieldId}
          className="textarea code"
          rows={4}
          autoFocus
          placeholder="HEARTH1-…"
          value={text}
          aria-invalid={error !== null}
          aria-describedby={hintId}
          onChange={(event) => setText(event.target.value)}
        />
        {error ? (
          <span className="error-text" id={hintId} role="alert">
            {error}
          </span>
        ) : invite ? (
          <span className="hint" id={hintId}>
            Invite to <strong>{invite.communityName || 'a community'}</strong>. Its notes and threads arrive as soon as a member is online.
          </span>
        ) : (
          <span className="hint" id={hintId}>
            Codes start with HEARTH1-, links with hearth://join/.
          </span>
        )}
      </div>
      <DialogFooter
        onCancel={onClose}
        actionLabel={busy ? 'Joining…' : invite ? `Join ${invite.communityName || 'community'}` : 'Join'}
        actionDisabled={busy || !invite}
      />
    </form>
  );
}
