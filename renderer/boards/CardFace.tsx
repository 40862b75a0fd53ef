// What a card shows on the board: its title, labels, due date, checklist progress, comment count
// and who it is assigned to. Used in the columns, in the drag overlay and in "My cards".
import { AlignLeft, CalendarDays, CheckSquare, MessageSquare } from 'lucide-react';
import type { Card } from '../../shared/boards/queries.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { Avatar } from '../ui/Avatar.js';
import { dueLabel, dueState, formatDue, labelColour } from './card-display.js';

export function LabelChip({ label }: { label: string }) {
  const colour = labelColour(label);
  return (
    // The label's own shade, deepened (light) or lightened (dark) toward the text colour by
    // --label-ink: the palette's shades alone fall short of 4.5:1 on their tint.
    <span
      className="label-chip"
      style={{
        color: `color-mix(in srgb, ${colour} var(--label-ink), var(--text))`,
        background: `color-mix(in srgb, ${colour} 14%, transparent)`,
      }}
    >
      {label}
    </span>
  );
}

export function CardFace({ card, membersById }: { card: Card; membersById: ReadonlyMap<string, MemberRecord> }) {
  const done = card.checklist.filter((item) => item.done).length;
  const hasMeta =
    card.dueDate !== null ||
    card.checklist.length > 0 ||
    card.comments.length > 0 ||
    card.description.length > 0 ||
    card.assignees.length > 0;
  return (
    <>
      {card.labels.length > 0 ? (
        <span className="card-labels">
          {card.labels.map((label) => (
            <LabelChip key={label} label={label} />
          ))}
        </span>
      ) : null}
      <span className="card-title">{card.title}</span>
      {hasMeta ? (
        <span className="card-meta">
          {card.dueDate ? (
            <span className={`card-due ${dueState(card.dueDate)}`} title={dueLabel(card.dueDate)}>
              <CalendarDays size={13} aria-hidden="true" />
              <span className="visually-hidden">{dueLabel(card.dueDate)}</span>
              <span aria-hidden="true">{formatDue(card.dueDate)}</span>
            </span>
          ) : null}
          {card.description ? (
            <span className="card-stat" title="Has a description">
              <AlignLeft size={13} aria-hidden="true" />
              <span className="visually-hidden">Has a description</span>
            </span>
          ) : null}
          {card.checklist.length > 0 ? (
            <span className={`card-stat${done === card.checklist.length ? ' complete' : ''}`} title="Checklist">
              <CheckSquare size={13} aria-hidden="true" />
              <span className="visually-hidden">Checklist</span> {done}/{card.checklist.length}
            </span>
          ) : null}
          {card.comments.length > 0 ? (
            <span className="card-stat" title="Comments">
              <MessageSquare size={13} aria-hidden="true" /> {card.comments.length}
              <span className="visually-hidden">{card.comments.length === 1 ? ' comment' : ' comments'}</span>
            </span>
          ) : null}
          {card.assignees.length > 0 ? (
            <span className="card-assignees">
              {card.assignees.slice(0, 3).map((memberId) => {
                const member = membersById.get(memberId);
                return (
                  <span key={memberId} title={member?.displayName ?? 'A former member'}>
                    <Avatar id={memberId} name={member?.displayName ?? '?'} size="sm" />
                  </span>
                );
              })}
              {card.assignees.length > 3 ? <span className="more">+{card.assignees.length - 3}</span> : null}
              <span className="visually-hidden">
                Assigned to {card.assignees.map((memberId) => membersById.get(memberId)?.displayName ?? 'a former member').join(', ')}
              </span>
            </span>
          ) : null}
        </span>
      ) : null}
    </>
  );
}
