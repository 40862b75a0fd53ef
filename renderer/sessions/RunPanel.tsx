// The frame every run-mode panel shares: its props, its titled section with a count, a member shown
// with their avatar, and running a command with its refusal shown in words.
import { useId, type ReactNode } from 'react';
import type * as Y from 'yjs';
import type { MemberRecord } from '../../shared/community/schema.js';
import type { SessionView } from '../../shared/sessions/queries.js';
import { errorMessage } from '../../shared/errors.js';
import { Avatar } from '../ui/Avatar.js';

export interface PanelProps {
  readonly doc: Y.Doc;
  readonly session: SessionView;
  readonly me: string;
  readonly members: readonly MemberRecord[];
  readonly nameOf: (memberId: string) => string;
  readonly isFacilitator: boolean;
  readonly onError: (message: string) => void;
}

export function attempt(onError: (message: string) => void, change: () => void): void {
  try {
    change();
  } catch (error) {
    onError(errorMessage(error));
  }
}

export function Panel({
  title,
  icon,
  count,
  children,
  actions,
  label,
}: {
  title: string;
  icon: ReactNode;
  count?: number;
  children: ReactNode;
  actions?: ReactNode;
  label?: string;
}) {
  const id = useId();
  return (
    <section className="run-panel" aria-labelledby={id} aria-label={label}>
      <header className="run-panel-header">
        <h3 id={id}>
          <span className="run-panel-icon" aria-hidden="true">
            {icon}
          </span>
          {title}
          {count !== undefined ? <span className="run-panel-count">{count}</span> : null}
        </h3>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Person({ id, name, suffix }: { id: string; name: string; suffix?: ReactNode }) {
  return (
    <span className="person">
      <Avatar id={id} name={name} size="sm" />
      <span className="person-name">{name}</span>
      {suffix}
    </span>
  );
}
