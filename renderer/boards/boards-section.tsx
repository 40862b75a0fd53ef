// The Boards section as the community home lists it: its tab, its count, its home card and its page.
import { KanbanSquare, Plus, User } from 'lucide-react';
import { countBoards, listBoards, readMyCards } from '../../shared/boards/queries.js';
import type { SectionDefinition, SectionProps } from '../communities/section-types.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { BoardsPanel, MY_CARDS, rememberBoard, requestNewBoard } from './BoardsPanel.js';
import '../ui/controls.css';
import '../ui/home-list.css';
import './boards.css';

const HOME_ITEMS = 4;

function BoardsHomeCard({ community, profile, openSection }: SectionProps) {
  const boards = useDocQuery(community.doc, listBoards);
  const mine = useDocQuery(community.doc, (doc) => readMyCards(doc, profile.memberId).length, [profile.memberId]);
  const open = (boardId: string) => {
    rememberBoard(community.id, boardId);
    openSection('boards');
  };
  if (boards.length === 0) {
    return (
      <EmptyState
        icon={<KanbanSquare size={20} />}
        title="No boards yet"
        action={
          <button
            type="button"
            className="button tight"
            onClick={() => {
              requestNewBoard(community.id);
              openSection('boards');
            }}
            style={{ justifySelf: 'start', marginTop: 4 }}
          >
            <Plus size={15} aria-hidden="true" /> Create a board
          </button>
        }
      >
        Track projects and commitments on cards everyone can move, with owners and due dates.
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="home-list" aria-label="Boards">
        {boards.slice(0, HOME_ITEMS).map((board) => (
          <li key={board.id}>
            <button type="button" className="home-item" onClick={() => open(board.id)}>
              <span className="home-item-icon" aria-hidden="true">
                <KanbanSquare size={16} />
              </span>
              <span className="home-item-title">{board.name}</span>
              <span className="home-item-meta">
                {count(board.cardCount, 'card')} · {count(board.columnCount, 'column')}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="home-card-footer">
        <span className="hint">{mine === 0 ? 'Nothing assigned to you' : `${count(mine, 'card')} assigned to you`}</span>
        <button type="button" className="button tight" onClick={() => open(MY_CARDS)}>
          <User size={15} aria-hidden="true" /> My cards
        </button>
      </div>
    </>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

export const boardsSection: SectionDefinition = {
  id: 'boards',
  label: 'Boards',
  icon: <KanbanSquare size={20} />,
  count: (doc) => {
    try {
      return countBoards(doc);
    } catch {
      return 0;
    }
  },
  HomeCard: BoardsHomeCard,
  Panel: BoardsPanel,
  // A board needs the width, as in any Kanban tool; the members list stays on Home.
  fullWidth: true,
};
