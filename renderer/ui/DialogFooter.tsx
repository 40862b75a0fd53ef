// The bottom row of a dialog: Cancel (or its own word for stepping back) on the left, the one action
// the dialog exists for on the right, so every dialog reads and tabs the same way.
import type { ReactNode } from 'react';

export interface DialogFooterProps {
  /** Steps back without doing anything; without it the row has no Cancel button. */
  readonly onCancel?: () => void;
  readonly cancelLabel?: ReactNode;
  readonly cancelDisabled?: boolean;
  /** For confirmations that destroy something: the safe choice takes the focus. */
  readonly cancelAutoFocus?: boolean;
  /** The dialog's action; without onAction it submits the dialog's form (Enter does the same). */
  readonly actionLabel?: ReactNode;
  readonly onAction?: () => void;
  readonly actionDisabled?: boolean;
  /** The action removes or gives up something (leave, delete): shown in the danger colour. */
  readonly danger?: boolean;
  /** Other choices, shown between Cancel and the action. */
  readonly children?: ReactNode;
}

export function DialogFooter({
  onCancel,
  cancelLabel = 'Cancel',
  cancelDisabled,
  cancelAutoFocus,
  actionLabel,
  onAction,
  actionDisabled,
  danger,
  children,
}: DialogFooterProps) {
  return (
    <div className="dialog-actions">
      {onCancel ? (
        <button type="button" className="button" autoFocus={cancelAutoFocus} disabled={cancelDisabled} onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : null}
      {children}
      {actionLabel === undefined ? null : (
        <button
          type={onAction ? 'button' : 'submit'}
          className={danger ? 'button primary danger' : 'button primary'}
          disabled={actionDisabled}
          onClick={onAction}
        >
          {actionLabel}
        </button>
      )}
    </div>
  );
}
