// Adding to a board in place: a card at the foot of a column, a column at the end, and the one-field
// form they and a column's rename use (Enter saves, Escape cancels, the command's refusal shows).
import { useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Plus, X } from 'lucide-react';
import type * as Y from 'yjs';
import { addCard, addColumn } from '../../shared/boards/commands.js';
import { BOARD_LIMITS } from '../../shared/boards/schema.js';
import { errorMessage } from '../../shared/errors.js';

export function AddCard({
  doc,
  boardId,
  columnId,
  memberId,
  columnName,
  onError,
}: {
  doc: Y.Doc;
  boardId: string;
  columnId: string;
  memberId: string;
  columnName: string;
  onError: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" className="button ghost add-card" onClick={() => setOpen(true)} aria-label={`Add a card to ${columnName}`}>
        <Plus size={16} aria-hidden="true" /> Add a card
      </button>
    );
  }
  return (
    <div className="add-card-form">
      <InlineTextForm
        label={`Title of the new card in ${columnName}`}
        placeholder="What needs doing?"
        maxLength={BOARD_LIMITS.cardTitleChars}
        submitLabel="Add card"
        multiline
        keepOpen
        onCancel={() => setOpen(false)}
        onSubmit={(title) => {
          try {
            addCard(doc, { boardId, columnId, title, by: memberId });
          } catch (error) {
            onError(errorMessage(error));
          }
        }}
      />
    </div>
  );
}

export function AddColumn({
  doc,
  boardId,
  columnCount,
  onError,
}: {
  doc: Y.Doc;
  boardId: string;
  columnCount: number;
  onError: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  if (columnCount >= BOARD_LIMITS.columnsPerBoard) return null;
  return (
    <div className="kanban-column add-column">
      {open ? (
        <InlineTextForm
          label="Name of the new column"
          placeholder="e.g. Review"
          maxLength={BOARD_LIMITS.columnNameChars}
          submitLabel="Add column"
          onCancel={() => setOpen(false)}
          onSubmit={(name) => {
            try {
              addColumn(doc, { boardId, name });
              setOpen(false);
            } catch (error) {
              onError(errorMessage(error));
            }
          }}
        />
      ) : (
        <button type="button" className="button ghost add-card" onClick={() => setOpen(true)}>
          <Plus size={16} aria-hidden="true" /> Add a column
        </button>
      )}
    </div>
  );
}

/**
 * A one-field form that submits on Enter and cancels on Escape; validation comes from the command
 * (its message is shown under the field). With `keepOpen` it clears itself for the next entry.
 */
export function InlineTextForm({
  label,
  initial = '',
  placeholder,
  maxLength,
  submitLabel,
  multiline = false,
  keepOpen = false,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial?: string;
  placeholder?: string;
  maxLength: number;
  submitLabel: string;
  multiline?: boolean;
  keepOpen?: boolean;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  function submit() {
    try {
      onSubmit(value);
      setError(null);
      if (keepOpen) setValue('');
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  const common = {
    'aria-label': label,
    'aria-invalid': error !== null,
    className: multiline ? 'textarea compact' : 'input compact',
    autoFocus: true,
    placeholder,
    maxLength: maxLength + 20,
    value,
    onChange: (event: { target: { value: string } }) => {
      setValue(event.target.value);
      setError(null);
    },
    onKeyDown: (event: ReactKeyboardEvent) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        onCancel();
      }
    },
  };
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {multiline ? <textarea rows={2} {...common} /> : <input {...common} />}
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
      <div className="inline-actions">
        <button type="submit" className="button primary small">
          {submitLabel}
        </button>
        <button type="button" className="icon-button" aria-label="Cancel" onClick={onCancel}>
          <X size={16} aria-hidden="true" />
        </button>
      </div>
    </form>
  );
}
