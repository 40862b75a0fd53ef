// The first screen on a new device: what Hearth is, and what the group should call you.
import { useId, useState, type FormEvent } from 'react';
import { ArrowRight } from 'lucide-react';
import { displayNameSchema } from '../../shared/community/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { BrandMark } from '../ui/Brand.js';
import './link-device.css';

export function FirstRun({
  damaged,
  onSubmit,
  onLinkDevice,
}: {
  damaged: boolean;
  onSubmit: (displayName: string) => Promise<void>;
  onLinkDevice?: () => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const hintId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check your name.');
    setBusy(true);
    try {
      await onSubmit(parsed.data);
    } catch (failure) {
      setError(`Could not save your name: ${errorMessage(failure)}`);
      setBusy(false);
    }
  }

  return (
    <main className="center-stage">
      <form className="welcome-card" onSubmit={submit} noValidate>
        <div className="brand">
          <BrandMark />
          Hearth
        </div>
        <div style={{ display: 'grid', gap: 8 }}>
          <h1>Welcome to your group’s home</h1>
          <p className="lede">
            Notes, threads, boards and sessions for your circle — kept on your own devices, shared directly with the people you invite.
          </p>
        </div>
        {damaged ? (
          <p className="banner warn" role="status">
            Your saved profile on this device could not be read, so Hearth is asking for your name again. Your communities are untouched.
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={inputId}>Your name</label>
          <input
            id={inputId}
            className="input"
            autoFocus
            autoComplete="name"
            placeholder="e.g. Maya Okafor"
            value={name}
            aria-invalid={error !== null}
            aria-describedby={hintId}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
          />
          {error ? (
            <span className="error-text" id={hintId} role="alert">
              {error}
            </span>
          ) : (
            <span className="hint" id={hintId}>
              This is how members of your communities will see you. You can change it later.
            </span>
          )}
        </div>
        <button className="button primary large" type="submit" disabled={busy}>
          Continue <ArrowRight size={18} aria-hidden="true" />
        </button>
        {onLinkDevice ? (
          <button type="button" className="first-run-link" onClick={onLinkDevice}>
            I already use Hearth on another device
          </button>
        ) : null}
      </form>
    </main>
  );
}
