// The "…" menu beside a community's name: things about this member's place in the community (leave).
import { useEffect, useRef, useState } from 'react';
import { LogOut, MoreHorizontal } from 'lucide-react';

export function CommunityMenu({ communityName, onLeave }: { communityName: string; onLeave: () => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <span className="community-menu" ref={root}>
      <button
        type="button"
        className="icon-button"
        aria-label={`More for ${communityName}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <MoreHorizontal size={18} aria-hidden="true" />
      </button>
      {open ? (
        <div className="menu-popover" role="menu" aria-label={`More for ${communityName}`}>
          <button
            type="button"
            role="menuitem"
            className="button ghost tight danger-text"
            onClick={() => {
              setOpen(false);
              onLeave();
            }}
          >
            <LogOut size={15} aria-hidden="true" /> Leave community…
          </button>
        </div>
      ) : null}
    </span>
  );
}
