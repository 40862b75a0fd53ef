// What the app shows instead of starting when this device's identity key exists but cannot be opened
// (device-identity.ts): what happened, that nothing was replaced, and the member's choices.
import { useState } from 'react';
import { errorMessage } from '../../shared/errors.js';
import type { IdentityKeyProblem } from './device-identity.js';

export function IdentityKeyProblemCard({ problem, onStartOver }: { problem: IdentityKeyProblem; onStartOver: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <main className="center-stage">
      <div className="welcome-card" role="alert">
        <h1 style={{ fontSize: 'var(--text-xl)' }}>Hearth could not open your identity key</h1>
        <p className="lede">{problem.message}</p>
        {error ? <p className="error-text">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Try again
          </button>
          {problem.canStartOver ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                onStartOver().catch((failure: unknown) => {
                  setError(errorMessage(failure));
                  setBusy(false);
                });
              }}
            >
              Start over with a new identity
            </button>
          ) : null}
        </div>
      </div>
    </main>
  );
}
