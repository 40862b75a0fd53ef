// A card opened: title, description, column, assignees, due date and labels here, its checklist and
// comments beside (CardChecklist, CardComments), each saved through its own command as the member
// edits it. Deleting asks first. One file (~400 lines once formatted): the fields share one card's
// state and its save-as-you-edit commands; the parts with state of their own already moved out.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { CalendarDays, Columns3, Plus, Tag, Trash2, Users, X } from 'lucide-react';
import type * as Y from 'yjs';
import { deleteCard, moveCard, setCardAssignee, setCardLabel, updateCard } from '../../shared/boards/commands.js';
import { boardColumns, columnCards, readBoard, readCard } from '../../shared/boards/queries.js';
import { BOARD_LIMITS } from '../../shared/boards/schema.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import { Avatar } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { Dialog } from '../ui/Dialog.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { dueLabel, dueState } from './card-display.js';
import { LabelChip } from './CardFace.js';
import { run } from './card-change.js';
import { Checklist } from './CardChecklist.js';
import { Comments } from './CardComments.js';

export function CardDetailDialog({
  doc,
  cardId,
  members,
  memberId,
  onClose,
}: {
  doc: Y.Doc;
  cardId: string | null;
  members: readonly MemberRecord[];
  memberId: string;
  onClose: () => void;
}) {
  const titleId = useId();
  return (
    <Dialog open={cardId !== null} onClose={onClose} labelledBy={titleId}>
      {cardId ? (
        <CardDetail key={cardId} doc={doc} cardId={cardId} members={members} memberId={memberId} titleId={titleId} onClose={onClose} />
      ) : null}
    </Dialog>
  );
}

function CardDetail({
  doc,
  cardId,
  members,
  memberId,
  titleId,
  onClose,
}: {
  doc: Y.Doc;
  cardId: string;
  members: readonly MemberRecord[];
  memberId: string;
  titleId: string;
  onClose: () => void;
}) {
  const location = useDocQuery(doc, (current) => readCard(current, cardId), [cardId]);
  const columns = useDocQuery(doc, (current) => (location ? boardColumns(current, location.board.id) : []), [location?.board.id]);
  const boardLabels = useDocQuery(doc, (current) => (location ? (readBoard(current, location.board.id)?.labels ?? []) : []), [
    location?.board.id,
  ]);
  const [confirmDelete, setConfirmDelete] = useState(false);

  if (!location) {
    return (
      <div className="dialog-form">
        <div className="dialog-header">
          <h2 id={titleId}>This card is gone</h2>
          <CloseButton onClose={onClose} />
        </div>
        <p className="muted">Someone deleted it, or it has not reached this device. Nothing you wrote here was lost.</p>
      </div>
    );
  }
  const { card, board, column } = location;
  const membersById = new Map(members.map((member) => [member.id, member]));
  // Assigned people who have left still show, so they can be unassigned.
  const people = [
    ...members,
    ...card.assignees
      .filter((id) => !membersById.has(id))
      .map((id) => ({ id, displayName: 'A former member', role: 'member' as const, joinedAt: 0 })),
  ];

  return (
    <div className="card-detail">
      <div className="card-detail-header">
        <TitleField doc={doc} cardId={card.id} title={card.title} titleId={titleId} />
        <CloseButton onClose={onClose} />
      </div>
      <p className="card-detail-where">
        On <strong>{board.name}</strong>
        {column ? (
          <>
            {' '}
            in <strong>{column.name}</strong>
          </>
        ) : (
          ' under Unsorted (its column was removed)'
        )}
      </p>
      <div className="card-detail-body">
        <div className="card-detail-main">
          <DescriptionField doc={doc} cardId={card.id} description={card.description} />
          <Checklist doc={doc} cardId={card.id} items={card.checklist} />
          <Comments doc={doc} cardId={card.id} comments={card.comments} membersById={membersById} memberId={memberId} />
        </div>
        <aside className="card-detail-side" aria-label="Card details">
          <SideBlock icon={<Columns3 size={14} />} title="Column">
            <ColumnPicker
              value={column?.id ?? ''}
              columns={columns}
              onChange={(columnId, setError) =>
                run(
                  () =>
                    moveCard(doc, card.id, columnId, columnCards(doc, board.id, columnId).filter((other) => other.id !== card.id).length),
                  setError,
                )
              }
            />
          </SideBlock>
          <SideBlock icon={<Users size={14} />} title="Assignees">
            <ul className="assignee-list" aria-label="Assignees">
              {people.map((member) => (
                <li key={member.id}>
                  <label className="assignee-option">
                    <input
                      type="checkbox"
                      checked={card.assignees.includes(member.id)}
                      onChange={(event) => setCardAssignee(doc, card.id, member.id, event.target.checked)}
                    />
                    <Avatar id={member.id} name={member.displayName} size="sm" />
                    <span className="name">
                      {member.displayName}
                      {member.id === memberId ? <span className="muted"> (you)</span> : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </SideBlock>
          <SideBlock icon={<CalendarDays size={14} />} title="Due date">
            <DueDateField doc={doc} cardId={card.id} dueDate={card.dueDate} />
          </SideBlock>
          <SideBlock icon={<Tag size={14} />} title="Labels">
            <LabelsField doc={doc} cardId={card.id} labels={card.labels} suggestions={boardLabels} />
          </SideBlock>
          <button type="button" className="button danger-outline" onClick={() => setConfirmDelete(true)}>
            <Trash2 size={16} aria-hidden="true" /> Delete card
          </button>
        </aside>
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete the card “${card.title}”?`}
        confirmLabel="Delete card"
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => {
          deleteCard(doc, card.id);
          onClose();
        }}
      >
        Its description, checklist and comments go with it, for everyone. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
      <X size={18} aria-hidden="true" />
    </button>
  );
}

function SideBlock({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div className="side-block">
      <h3 className="side-title">
        <span aria-hidden="true">{icon}</span> {title}
      </h3>
      {children}
    </div>
  );
}

/** A text field that follows the card while it is not being edited, and saves when the member leaves it. */
function useDraft(value: string): [string, (next: string) => void, boolean, (editing: boolean) => void] {
  const [draft, setDraft] = useState(value);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(value);
  }, [value, editing]);
  return [draft, setDraft, editing, setEditing];
}

function TitleField({ doc, cardId, title, titleId }: { doc: Y.Doc; cardId: string; title: string; titleId: string }) {
  const [draft, setDraft, , setEditing] = useDraft(title);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    if (run(() => updateCard(doc, cardId, { title: draft }), setError)) setEditing(false);
  };
  return (
    <div className="title-field">
      <h2 id={titleId} className="visually-hidden">
        {title}
      </h2>
      <input
        className="input title-input"
        aria-label="Card title"
        aria-invalid={error !== null}
        maxLength={BOARD_LIMITS.cardTitleChars + 20}
        value={draft}
        onFocus={() => setEditing(true)}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            save();
          }
        }}
      />
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

function DescriptionField({ doc, cardId, description }: { doc: Y.Doc; cardId: string; description: string }) {
  const [draft, setDraft, editing, setEditing] = useDraft(description);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const save = () => {
    if (run(() => updateCard(doc, cardId, { description: draft }), setError)) setEditing(false);
  };
  return (
    <section className="detail-block">
      <label className="block-title" htmlFor={id}>
        Description
      </label>
      <textarea
        id={id}
        className="textarea"
        placeholder="Add the details: what done looks like, links, context…"
        maxLength={BOARD_LIMITS.cardDescriptionChars + 100}
        value={draft}
        aria-invalid={error !== null}
        onFocus={() => setEditing(true)}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={save}
      />
      {editing && draft !== description ? <span className="hint">Saved when you leave the field.</span> : null}
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </section>
  );
}

function ColumnPicker({
  value,
  columns,
  onChange,
}: {
  value: string;
  columns: readonly { id: string; name: string }[];
  onChange: (columnId: string, setError: (message: string | null) => void) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <select className="select compact" aria-label="Column" value={value} onChange={(event) => onChange(event.target.value, setError)}>
        {value === '' ? <option value="">Unsorted</option> : null}
        {columns.map((column) => (
          <option key={column.id} value={column.id}>
            {column.name}
          </option>
        ))}
      </select>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

function DueDateField({ doc, cardId, dueDate }: { doc: Y.Doc; cardId: string; dueDate: string | null }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="due-field">
      <div className="row">
        <input
          type="date"
          className="input compact"
          aria-label="Due date"
          value={dueDate ?? ''}
          onChange={(event) => run(() => updateCard(doc, cardId, { dueDate: event.target.value || null }), setError)}
        />
        {dueDate ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Clear the due date"
            onClick={() => run(() => updateCard(doc, cardId, { dueDate: null }), setError)}
          >
            <X size={16} aria-hidden="true" />
          </button>
        ) : null}
      </div>
      {dueDate ? <span className={`due-note ${dueState(dueDate)}`}>{dueLabel(dueDate)}</span> : null}
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

function LabelsField({
  doc,
  cardId,
  labels,
  suggestions,
}: {
  doc: Y.Doc;
  cardId: string;
  labels: readonly string[];
  suggestions: readonly string[];
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const add = () => {
    if (run(() => setCardLabel(doc, cardId, draft, true), setError)) setDraft('');
  };
  return (
    <div className="labels-field">
      {labels.length > 0 ? (
        <ul className="chip-list" aria-label="Labels on this card">
          {labels.map((label) => (
            <li key={label} className="removable-chip">
              <LabelChip label={label} />
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove label ${label}`}
                onClick={() => setCardLabel(doc, cardId, label, false)}
              >
                <X size={12} aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <input
          className="input compact"
          aria-label="New label"
          placeholder="Add a label"
          list={listId}
          maxLength={BOARD_LIMITS.labelChars + 10}
          value={draft}
          aria-invalid={error !== null}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(null);
          }}
        />
        <datalist id={listId}>
          {suggestions
            .filter((label) => !labels.includes(label))
            .map((label) => (
              <option key={label} value={label} />
            ))}
        </datalist>
        <button type="submit" className="icon-button" aria-label="Add label">
          <Plus size={16} aria-hidden="true" />
        </button>
      </form>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
