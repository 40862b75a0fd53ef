// "My cards": every card assigned to the member, on every board, soonest due first.
import { CircleCheck } from 'lucide-react';
import type * as Y from 'yjs';
import { readMyCards } from '../../shared/boards/queries.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { CardFace } from './CardFace.js';

export function MyCards({
  doc,
  memberId,
  members,
  onOpenCard,
}: {
  doc: Y.Doc;
  memberId: string;
  members: readonly MemberRecord[];
  onOpenCard: (cardId: string) => void;
}) {
  const mine = useDocQuery(doc, (current) => readMyCards(current, memberId), [memberId]);
  const membersById = new Map(members.map((member) => [member.id, member]));
  if (mine.length === 0) {
    return (
      <div className="card">
        <EmptyState big icon={<CircleCheck size={28} />} title="Nothing assigned to you">
          Cards you are assigned to on any board gather here, soonest due first. Open a card and tick your name under Assignees to take it
          on.
        </EmptyState>
      </div>
    );
  }
  return (
    <section className="card my-cards" aria-labelledby="my-cards-title">
      <div className="card-header">
        <h2 id="my-cards-title" style={{ fontSize: 'var(--text-md)' }}>
          Assigned to you
        </h2>
        <span className="count">{mine.length}</span>
      </div>
      <ul className="my-card-list" aria-label="My cards">
        {mine.map(({ card, board, column }) => (
          <li key={card.id}>
            <button type="button" className="my-card" onClick={() => onOpenCard(card.id)}>
              <span className="my-card-face">
                <CardFace card={card} membersById={membersById} />
              </span>
              <span className="my-card-where">
                {board.name} · {column?.name ?? 'Unsorted'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
