// Moves a page under another page, or to the top level. Pages that would put it inside itself are not
// offered; Enter moves, Escape cancels.
import { useEffect, useId, useState } from 'react';
import type { NoteTreeNode } from '../../shared/notes/queries.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

const TOP = '__top__';

export function MoveNoteDialog({
  open,
  note,
  roots,
  onMove,
  onClose,
}: {
  open: boolean;
  note: { id: string; title: string; parentId: string | null };
  roots: readonly NoteTreeNode[];
  onMove: (parentId: string | null) => string | null;
  onClose: () => void;
}) {
  const titleId = useId();
  const [choice, setChoice] = useState<string>(note.parentId ?? TOP);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      setChoice(note.parentId ?? TOP);
      setError(null);
    }
  }, [open, note.parentId]);

  const options: { id: string; title: string; depth: number }[] = [];
  const walk = (nodes: readonly NoteTreeNode[], depth: number) => {
    for (const node of nodes) {
      if (node.note.id === note.id) continue;
      options.push({ id: node.note.id, title: node.note.title, depth });
      walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);

  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <form
        className="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          const problem = onMove(choice === TOP ? null : choice);
          if (problem) setError(problem);
          else onClose();
        }}
      >
        <DialogHeader
          titleId={titleId}
          title={`Move “${note.title}”`}
          lede="Choose the page it goes inside. Its own sub-pages move with it."
        />
        <fieldset className="move-options">
          <legend className="visually-hidden">New place</legend>
          <label className="move-option">
            <input type="radio" name="parent" value={TOP} checked={choice === TOP} onChange={() => setChoice(TOP)} />
            <span>Top level</span>
          </label>
          {options.map((option) => (
            <label key={option.id} className="move-option" style={{ paddingLeft: 12 + option.depth * 18 }}>
              <input type="radio" name="parent" value={option.id} checked={choice === option.id} onChange={() => setChoice(option.id)} />
              <span>{option.title}</span>
            </label>
          ))}
        </fieldset>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <DialogFooter onCancel={onClose} actionLabel="Move here" />
      </form>
    </Dialog>
  );
}
