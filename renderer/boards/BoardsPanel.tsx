// The Boards section: a switcher between the community's boards and "My cards", a board's toolbar
// (rename, delete, filter by assignee or label), the Kanban canvas, and the card dialog.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { AlertTriangle, Filter, KanbanSquare, Pencil, Plus, Trash2, User, X } from 'lucide-react';
import { createBoard, deleteBoard, renameBoard } from '../../shared/boards/commands.js';
import { listBoards, readBoard, readCard, readMyCards, type BoardSummary } from '../../shared/boards/queries.js';
import { BOARD_LIMITS, DEFAULT_COLUMNS, boardNameSchema } from '../../shared/boards/schema.js';
import { errorMessage } from '../../shared/errors.js';
import type { SectionProps } from '../communities/section-types.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogFooter } from '../ui/DialogFooter.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { BoardCanvas } from './BoardCanvas.js';
import { CardDetailDialog } from './CardDetailDialog.js';
import { MyCards } from './MyCards.js';
import '../ui/controls.css';
import './boards.css';

/** The board each community showed last, so coming back to the section lands where one left. */
const lastBoard = new Map<string, string>();
export const MY_CARDS = 'my-cards';

/** Communities whose home card asked for the "New board" dialog on arrival. */
const newBoardRequested = new Set<string>();

/** Lets the home card open a particular board (or "My cards") before switching to the section. */
export function rememberBoard(communityId: string, boardId: string): void {
  lastBoard.set(communityId, boardId);
}

/** Lets the home card's "Create a board" land in the New board dialog. */
export function requestNewBoard(communityId: string): void {
  newBoardRequested.add(communityId);
}

export function BoardsPanel({ community, view: communityView, profile, focus }: SectionProps) {
  const doc = community.doc;
  const boards = useDocQuery(doc, listBoards);
  const [selected, setSelected] = useState<string | null>(() => lastBoard.get(community.id) ?? null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const [openCard, setOpenCard] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'new' | 'rename' | 'delete' | null>(() => (newBoardRequested.delete(community.id) ? 'new' : null));
  const [error, setError] = useState<string | null>(null);

  const showingMine = selected === MY_CARDS;
  const board: BoardSummary | undefined = showingMine ? undefined : (boards.find((candidate) => candidate.id === selected) ?? boards[0]);
  const boardId = board?.id ?? null;
  const boardView = useDocQuery(doc, (current) => (boardId ? readBoard(current, boardId, { assigneeId, label }) : null), [
    boardId,
    assigneeId,
    label,
  ]);
  const myCount = useDocQuery(doc, (current) => readMyCards(current, profile.memberId).length, [profile.memberId]);

  useEffect(() => {
    if (selected) lastBoard.set(community.id, selected);
  }, [community.id, selected]);
  // Search asked for a card: show its board and open the card.
  useEffect(() => {
    if (focus?.section !== 'boards') return;
    const location = readCard(doc, focus.itemId);
    if (location) select(location.board.id);
    setOpenCard(focus.itemId);
  }, [focus]);
  // A label filter that no card carries any more would hide everything for no visible reason.
  useEffect(() => {
    if (label && boardView && !boardView.labels.includes(label)) setLabel(null);
  }, [label, boardView]);

  function select(id: string) {
    setSelected(id);
    setAssigneeId(null);
    setLabel(null);
    setError(null);
  }

  const filtered = assigneeId !== null || label !== null;
  const members = communityView.members;

  return (
    <div className="boards">
      <nav className="board-switcher" aria-label="Boards">
        <button type="button" className="board-tab" aria-current={showingMine ? 'page' : undefined} onClick={() => select(MY_CARDS)}>
          <User size={15} aria-hidden="true" /> My cards
          <span className="tab-count">{myCount}</span>
        </button>
        <span className="switcher-divider" aria-hidden="true" />
        {boards.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            className="board-tab"
            aria-current={!showingMine && candidate.id === boardId ? 'page' : undefined}
            onClick={() => select(candidate.id)}
          >
            <KanbanSquare size={15} aria-hidden="true" /> {candidate.name}
            <span className="tab-count">{candidate.cardCount}</span>
          </button>
        ))}
        <button type="button" className="button ghost small new-board" onClick={() => setDialog('new')}>
          <Plus size={15} aria-hidden="true" /> New board
        </button>
      </nav>

      {error ? (
        <div className="banner danger" role="alert">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">{error}</div>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      ) : null}

      {showingMine ? (
        <MyCards doc={doc} memberId={profile.memberId} members={members} onOpenCard={setOpenCard} />
      ) : board && boardView ? (
        <>
          <div className="board-toolbar">
            <h2 className="board-name">{board.name}</h2>
            <button type="button" className="icon-button" aria-label={`Rename board ${board.name}`} onClick={() => setDialog('rename')}>
              <Pencil size={15} aria-hidden="true" />
            </button>
            <button type="button" className="icon-button" aria-label={`Delete board ${board.name}`} onClick={() => setDialog('delete')}>
              <Trash2 size={15} aria-hidden="true" />
            </button>
            <div className="board-filters" role="group" aria-label="Filter cards">
              <span className="filter-label" aria-hidden="true">
                <Filter size={13} /> Filter
              </span>
              <select
                className="select compact"
                aria-label="Filter by assignee"
                value={assigneeId ?? ''}
                onChange={(event) => setAssigneeId(event.target.value || null)}
              >
                <option value="">Anyone</option>
                {members.map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.id === profile.memberId ? `${member.displayName} (you)` : member.displayName}
                  </option>
                ))}
              </select>
              <select
                className="select compact"
                aria-label="Filter by label"
                value={label ?? ''}
                onChange={(event) => setLabel(event.target.value || null)}
                disabled={boardView.labels.length === 0}
              >
                <option value="">{boardView.labels.length === 0 ? 'No labels yet' : 'Any label'}</option>
                {boardView.labels.map((candidate) => (
                  <option key={candidate} value={candidate}>
                    {candidate}
                  </option>
                ))}
              </select>
              {filtered ? (
                <button
                  type="button"
                  className="button ghost small"
                  onClick={() => {
                    setAssigneeId(null);
                    setLabel(null);
                  }}
                >
                  <X size={14} aria-hidden="true" /> Clear filters
                </button>
              ) : null}
            </div>
          </div>
          {boardView.problems.length > 0 ? (
            <div className="banner warn" role="status">
              <AlertTriangle size={18} aria-hidden="true" />
              <div className="grow">
                {boardView.problems.length === 1 ? 'One record on this board' : `${boardView.problems.length} records on this board`} could
                not be read and {boardView.problems.length === 1 ? 'is' : 'are'} hidden. Nothing was deleted.
              </div>
            </div>
          ) : null}
          {boardView.totalCards === 0 ? (
            <p className="board-hint">Add the first card with “Add a card” under a column; drag cards between columns as work moves on.</p>
          ) : null}
          <BoardCanvas
            doc={doc}
            view={boardView}
            members={members}
            memberId={profile.memberId}
            filtered={filtered}
            onOpenCard={setOpenCard}
            onError={setError}
          />
        </>
      ) : (
        <div className="card">
          <EmptyState
            big
            icon={<KanbanSquare size={28} />}
            title="No boards yet"
            action={
              <button type="button" className="button primary" style={{ marginTop: 12 }} onClick={() => setDialog('new')}>
                <Plus size={16} aria-hidden="true" /> Create a board
              </button>
            }
          >
            Track projects and commitments on cards everyone can move, with owners, due dates and checklists. A new board starts with{' '}
            {DEFAULT_COLUMNS.join(', ')}.
          </EmptyState>
        </div>
      )}

      <BoardNameDialog
        open={dialog === 'new' || dialog === 'rename'}
        mode={dialog === 'rename' ? 'rename' : 'new'}
        initial={dialog === 'rename' ? (board?.name ?? '') : ''}
        onClose={() => setDialog(null)}
        onSubmit={(name) => {
          if (dialog === 'rename' && board) {
            renameBoard(doc, board.id, name);
          } else {
            select(createBoard(doc, { name, by: profile.memberId }));
          }
          setDialog(null);
        }}
      />
      <ConfirmDialog
        open={dialog === 'delete' && board !== undefined}
        title={`Delete the board “${board?.name ?? ''}”?`}
        confirmLabel="Delete board"
        onClose={() => setDialog(null)}
        onConfirm={() => {
          if (!board) return;
          deleteBoard(doc, board.id);
          setSelected(null);
        }}
      >
        {board && board.cardCount > 0
          ? `Its ${board.columnCount} columns and ${board.cardCount === 1 ? 'one card' : `${board.cardCount} cards`} go with it, for everyone. This cannot be undone.`
          : 'It has no cards. This cannot be undone.'}
      </ConfirmDialog>
      <CardDetailDialog doc={doc} cardId={openCard} members={members} memberId={profile.memberId} onClose={() => setOpenCard(null)} />
    </div>
  );
}

function BoardNameDialog({
  open,
  mode,
  initial,
  onClose,
  onSubmit,
}: {
  open: boolean;
  mode: 'new' | 'rename';
  initial: string;
  onClose: () => void;
  onSubmit: (name: string) => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <BoardNameForm key={`${mode}:${initial}`} titleId={titleId} mode={mode} initial={initial} onClose={onClose} onSubmit={onSubmit} />
    </Dialog>
  );
}

function BoardNameForm({
  titleId,
  mode,
  initial,
  onClose,
  onSubmit,
}: {
  titleId: string;
  mode: 'new' | 'rename';
  initial: string;
  onClose: () => void;
  onSubmit: (name: string) => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const errorId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = boardNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check the name.');
    try {
      onSubmit(parsed.data);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-header">
        <div>
          <h2 id={titleId}>{mode === 'new' ? 'New board' : 'Rename board'}</h2>
          {mode === 'new' ? <p>It starts with the columns {DEFAULT_COLUMNS.join(', ')}; add, rename or reorder them any time.</p> : null}
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="field">
        <label htmlFor={nameId}>Board name</label>
        <input
          id={nameId}
          className="input"
          autoFocus
          placeholder="e.g. Q3 commitments"
          maxLength={BOARD_LIMITS.boardNameChars + 20}
          value={name}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setError(null);
          }}
        />
        {error ? (
          <span className="error-text" id={errorId} role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <DialogFooter onCancel={onClose} actionLabel={mode === 'new' ? 'Create board' : 'Save'} />
    </form>
  );
}
