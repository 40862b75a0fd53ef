// A short message at the bottom of the window, with at most one action (usually Undo). It goes away
// by itself after a while, or when dismissed; a screen reader hears it as a polite status.
import { useEffect } from 'react';
import { X } from 'lucide-react';
import './toast.css';

export interface ToastMessage {
  /** Changes with every new toast, so the timer restarts. */
  readonly id: number;
  readonly message: string;
  readonly tone?: 'neutral' | 'danger';
  readonly action?: { readonly label: string; readonly run: () => void };
}

export const TOAST_VISIBLE_MS = 8_000;

export function Toast({ toast, onDismiss }: { toast: ToastMessage | null; onDismiss: () => void }) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, TOAST_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast ? (
        <div className={`toast${toast.tone === 'danger' ? ' danger' : ''}`} key={toast.id}>
          <span className="toast-message">{toast.message}</span>
          {toast.action ? (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                toast.action!.run();
                onDismiss();
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : null}
    </div>
  );
}
