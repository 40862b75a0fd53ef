// "Are you sure?" for changes that cannot be undone: a title, what will happen, and a clearly named
// action. The action button is the dangerous one; Cancel has the focus so Enter does no harm.
import { useId, type ReactNode } from 'react';
import { Dialog } from './Dialog.js';
import { DialogFooter } from './DialogFooter.js';
import './confirm-dialog.css';

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <div className="dialog-form">
        <div className="dialog-header">
          <h2 id={titleId}>{title}</h2>
        </div>
        <div className="confirm-text">{children}</div>
        <DialogFooter
          onCancel={onClose}
          cancelAutoFocus
          danger
          actionLabel={confirmLabel}
          onAction={() => {
            onConfirm();
            onClose();
          }}
        />
      </div>
    </Dialog>
  );
}
