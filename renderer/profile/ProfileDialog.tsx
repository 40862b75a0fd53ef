// Edit your display name; the change reaches your member record in every community you open.
import { useId, useState, type FormEvent } from 'react';
import { X } from 'lucide-react';
import { displayNameSchema } from '../../shared/community/schema.js';
import type { AppInfo } from '../../shared/host-api.js';
import { Dialog } from '../ui/Dialog.js';
import type { Profile } from './profile.js';

export function ProfileDialog({ open, profile, appInfo, onClose, onSave }: { open: boolean; profile: Profile; appInfo: AppInfo | null; onClose: () => void; onSave: (displayName: string) => Promise<void> }) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <ProfileForm titleId={titleId} profile={profile} appInfo={appInfo} onClose={onClose} onSave={onSave} />
    </Dialog>
  );
}

function ProfileForm({ titleId, profile, appInfo, onClose, onSave }: { titleId: string; profile: Profile; appInfo: AppInfo | null; onClose: () => void; onSave: (displayName: string) => Promise<void> }) {
  const [name, setName] = useState(profile.displayName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check your name.');
    setBusy(true);
    try {
      await onSave(parsed.data);
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-header">
        <div>
          <h2 id={titleId}>Your profile</h2>
          <p>Members see this name in every community you belong to.</p>
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="field">
        <label htmlFor={inputId}>Your name</label>
        <input id={inputId} className="input" autoFocus value={name} aria-invalid={error !== null} onChange={(event) => { setName(event.target.value); setError(null); }} />
        {error ? <span className="error" role="alert">{error}</span> : null}
      </div>
      {appInfo ? (
        <p className="hint" style={{ fontSize: 'var(--text-xs)', color: 'var(--text-muted)' }}>
          Hearth {appInfo.version} · {appInfo.mode === 'desktop' ? 'desktop app' : 'browser mode'} · your data is kept in {appInfo.dataLocation}.
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>Cancel</button>
        <button type="submit" className="button primary" disabled={busy}>Save</button>
      </div>
    </form>
  );
}
