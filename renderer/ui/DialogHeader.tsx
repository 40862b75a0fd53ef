// The top of a dialog: its title (which names the dialog for assistive technology, via titleId), an
// optional line of introduction, and a Close button when the dialog can be dismissed from there.
import type { ReactNode } from 'react';
import { X } from 'lucide-react';

export function DialogHeader({
  titleId,
  title,
  lede,
  onClose,
}: {
  titleId: string;
  title: ReactNode;
  lede?: ReactNode;
  onClose?: () => void;
}) {
  return (
    <div className="dialog-header">
      <div>
        <h2 id={titleId}>{title}</h2>
        {lede ? <p>{lede}</p> : null}
      </div>
      {onClose ? (
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      ) : null}
    </div>
  );
}
