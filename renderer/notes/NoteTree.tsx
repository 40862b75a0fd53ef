// The page tree beside a note: nested pages that fold, the open page marked, and a quick way to add
// a page inside another.
import { useState } from 'react';
import { ChevronDown, ChevronRight, FileText, Plus } from 'lucide-react';
import type { NoteTreeNode } from '../../shared/notes/queries.js';

export interface NoteTreeProps {
  readonly roots: readonly NoteTreeNode[];
  readonly openId: string | null;
  /** Ids of the open page's ancestors: they stay unfolded. */
  readonly openPath: readonly string[];
  readonly onOpen: (noteId: string) => void;
  readonly onAddInside: (parentId: string) => void;
}

export function NoteTree({ roots, openId, openPath, onOpen, onAddInside }: NoteTreeProps) {
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setFolded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const renderNodes = (nodes: readonly NoteTreeNode[], depth: number) => (
    <ul className="note-tree-list">
      {nodes.map(({ note, children }) => {
        const isFolded = folded.has(note.id) && !openPath.includes(note.id);
        return (
          <li key={note.id}>
            <div className={`note-tree-row${note.id === openId ? ' current' : ''}`} style={{ paddingLeft: 4 + depth * 14 }}>
              {children.length > 0 ? (
                <button
                  type="button"
                  className="tree-toggle"
                  aria-expanded={!isFolded}
                  aria-label={`${isFolded ? 'Show' : 'Hide'} pages inside ${note.title}`}
                  onClick={() => toggle(note.id)}
                >
                  {isFolded ? <ChevronRight size={14} aria-hidden="true" /> : <ChevronDown size={14} aria-hidden="true" />}
                </button>
              ) : (
                <span className="tree-toggle placeholder" aria-hidden="true">
                  <FileText size={13} />
                </span>
              )}
              <button
                type="button"
                className="tree-title"
                aria-current={note.id === openId ? 'page' : undefined}
                onClick={() => onOpen(note.id)}
                title={note.title}
              >
                {note.title}
              </button>
              <button
                type="button"
                className="tree-add"
                aria-label={`Add a page inside ${note.title}`}
                title="Add a page inside"
                onClick={() => onAddInside(note.id)}
              >
                <Plus size={14} aria-hidden="true" />
              </button>
            </div>
            {children.length > 0 && !isFolded ? renderNodes(children, depth + 1) : null}
          </li>
        );
      })}
    </ul>
  );

  return <div className="note-tree">{renderNodes(roots, 0)}</div>;
}
