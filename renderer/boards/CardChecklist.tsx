// A card's checklist: its progress, ticking items off, removing them and adding more.
import { useState } from 'react';
import { CheckSquare, X } from 'lucide-react';
import type * as Y from 'yjs';
import { addChecklistItem, removeChecklistItem, updateChecklistItem } from '../../shared/boards/commands.js';
import { BOARD_LIMITS } from '../../shared/boards/schema.js';
import { run } from './card-change.js';

export function Checklist({
  doc,
  cardId,
  items,
}: {
  doc: Y.Doc;
  cardId: string;
  items: readonly { id: string; text: string; done: boolean }[];
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const done = items.filter((item) => item.done).length;
  const percent = items.length === 0 ? 0 : Math.round((done / items.length) * 100);
  return (
    <section className="detail-block" aria-label="Checklist">
      <h3 className="block-title">
        <CheckSquare size={15} aria-hidden="true" /> Checklist
        {items.length > 0 ? (
          <span className="muted">
            {' '}
            · {done} of {items.length} done
          </span>
        ) : null}
      </h3>
      {items.length > 0 ? (
        <>
          <div
            className="progress"
            role="progressbar"
            aria-label="Checklist progress"
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <ul className="checklist">
            {items.map((item) => (
              <li key={item.id} className={item.done ? 'done' : undefined}>
                <label>
                  <input
                    type="checkbox"
                    checked={item.done}
                    onChange={(event) => updateChecklistItem(doc, cardId, item.id, { done: event.target.checked })}
                  />
                  <span>{item.text}</span>
                </label>
                <button
                  type="button"
                  className="icon-button small"
                  aria-label={`Remove “${item.text}” from the checklist`}
                  onClick={() => removeChecklistItem(doc, cardId, item.id)}
                >
                  <X size={14} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (run(() => addChecklistItem(doc, cardId, draft), setError)) setDraft('');
        }}
      >
        <input
          className="input compact"
          aria-label="New checklist item"
          placeholder="Add an item"
          maxLength={BOARD_LIMITS.checklistItemChars + 20}
          value={draft}
          aria-invalid={error !== null}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button small">
          Add
        </button>
      </form>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </section>
  );
}
