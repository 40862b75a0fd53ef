// The "nothing here yet" panel: an icon, a title and a sentence on what will appear and why it matters.
import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
  big = false,
  action,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  big?: boolean;
  action?: ReactNode;
}) {
  return (
    <div className={`empty${big ? ' big' : ''}`}>
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <h3>{title}</h3>
      <p>{children}</p>
      {action}
    </div>
  );
}
