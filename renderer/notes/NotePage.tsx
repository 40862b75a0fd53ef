// One open note: its place in the tree, a title that is renamed in place, who edited it last, the
// editor, and what can be done with it (add a page inside, move, export as Markdown, delete).
import { useCallback, useEffect, useRef, useState } from 'react';
import { AlertTriangle, ChevronRight, Download, FilePlus, FolderInput, RotateCcw, Trash2 } from 'lucide-react';
import type * as Y from 'yjs';
import type { HostApi } from '../../shared/host-api.js';
import { noteBody, recordNoteEdit, renameNote } from '../../shared/notes/commands.js';
import type { NoteView } from '../../shared/notes/queries.js';
import { NOTE_LIMITS } from '../../shared/notes/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { fullTime, relativeTime, useNow } from '../ui/relative-time.js';
import { NoteBodyEditor, type NotePresence } from './NoteBodyEditor.js';

/** The last-edit stamp is written at most this often while someone types. */
export const EDIT_STAMP_EVERY_MS = 3_000;

export interface NotePageProps {
  readonly doc: Y.Doc;
  readonly note: NoteView;
  readonly me: string;
  readonly host: HostApi;
  readonly nameOf: (memberId: string) => string;
  readonly ancestors: readonly { readonly id: string; readonly title: string }[];
  readonly subPages: readonly { readonly id: string; readonly title: string }[];
  readonly focusTitle: boolean;
  readonly presence?: NotePresence;
  readonly onOpen: (noteId: string | null) => void;
  readonly onAddInside: () => void;
  readonly onMove: () => void;
  readonly onExport: () => void;
  readonly onDelete: () => void;
  readonly onRestore: () => void;
  readonly onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
}

export function NotePage({
  doc,
  note,
  me,
  host,
  nameOf,
  ancestors,
  subPages,
  focusTitle,
  presence,
  onOpen,
  onAddInside,
  onMove,
  onExport,
  onDelete,
  onRestore,
  onMessage,
}: NotePageProps) {
  const now = useNow();
  const fragment = noteBody(doc, note.id);
  const [tooLong, setTooLong] = useState<number | null>(null);
  const stamp = useEditStamp(doc, note.id, me);
  const onLinkRefused = useCallback((reason: string) => onMessage(reason, 'danger'), [onMessage]);

  return (
    <article className="note-page card" aria-labelledby="note-title-label">
      <div className="note-page-bar">
        <nav className="breadcrumb" aria-label="Where this page is">
          <button type="button" className="crumb" onClick={() => onOpen(null)}>
            Notes
          </button>
          {ancestors.map((ancestor) => (
            <span key={ancestor.id} className="crumb-item">
              <ChevronRight size={14} aria-hidden="true" />
              <button type="button" className="crumb" onClick={() => onOpen(ancestor.id)}>
                {ancestor.title}
              </button>
            </span>
          ))}
        </nav>
        <div className="note-actions">
          <button type="button" className="button ghost tight" onClick={onAddInside} disabled={note.trashed}>
            <FilePlus size={16} aria-hidden="true" /> Add page inside
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Move to another page"
            title="Move to another page"
            onClick={onMove}
            disabled={note.trashed}
          >
            <FolderInput size={17} aria-hidden="true" />
          </button>
          <button type="button" className="icon-button" aria-label="Export as Markdown" title="Export as Markdown" onClick={onExport}>
            <Download size={17} aria-hidden="true" />
          </button>
          <button
            type="button"
            className="icon-button danger"
            aria-label="Delete note"
            title="Delete note"
            onClick={onDelete}
            disabled={note.trashed}
          >
            <Trash2 size={17} aria-hidden="true" />
          </button>
        </div>
      </div>

      {note.trashed ? (
        <div className="banner warn note-banner" role="status">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            This page is in the trash{note.deletedBy ? `, moved there by ${nameOf(note.deletedBy)}` : ' with the page it is inside'}. It can
            still be read and brought back.
          </div>
          {note.deletedAt !== null ? (
            <button type="button" className="button" onClick={onRestore}>
              <RotateCcw size={16} aria-hidden="true" /> Restore
            </button>
          ) : null}
        </div>
      ) : null}

      <div className="note-head">
        <span id="note-title-label" className="visually-hidden">
          {note.title}
        </span>
        <TitleInput key={note.id} doc={doc} noteId={note.id} title={note.title} me={me} autoFocus={focusTitle} onMessage={onMessage} />
        <p className="note-meta">
          <span title={fullTime(note.updatedAt)}>
            Edited {relativeTime(note.updatedAt, now)} by {nameOf(note.updatedBy)}
          </span>
          {note.createdBy !== note.updatedBy ? <span> · started by {nameOf(note.createdBy)}</span> : null}
        </p>
      </div>

      {tooLong !== null ? (
        <div className="banner warn note-banner" role="alert">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            That change would make this note {tooLong.toLocaleString()} characters long; a note holds up to{' '}
            {NOTE_LIMITS.bodyChars.toLocaleString()}. It was not made — split the text into pages inside this one.
          </div>
          <button type="button" className="button" onClick={() => setTooLong(null)}>
            OK
          </button>
        </div>
      ) : null}

      {fragment ? (
        <NoteBodyEditor
          key={note.id}
          fragment={fragment}
          host={host}
          presence={presence}
          onLocalEdit={stamp}
          onTooLong={setTooLong}
          onLinkRefused={onLinkRefused}
        />
      ) : (
        <p className="note-missing">This note’s text could not be read.</p>
      )}

      {subPages.length > 0 ? (
        <section className="sub-pages" aria-label="Pages inside">
          <h3>Pages inside</h3>
          <ul>
            {subPages.map((page) => (
              <li key={page.id}>
                <button type="button" className="sub-page" onClick={() => onOpen(page.id)}>
                  <ChevronRight size={14} aria-hidden="true" /> {page.title}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

/** Renames in place: Enter or leaving the field saves, Escape puts the old title back. */
function TitleInput({
  doc,
  noteId,
  title,
  me,
  autoFocus,
  onMessage,
}: {
  doc: Y.Doc;
  noteId: string;
  title: string;
  me: string;
  autoFocus: boolean;
  onMessage: (message: string, tone?: 'neutral' | 'danger') => void;
}) {
  const [draft, setDraft] = useState(title);
  const [editing, setEditing] = useState(false);
  const ref = useRef<HTMLInputElement>(null);

  // A rename by someone else shows up unless this member is in the middle of typing one.
  useEffect(() => {
    if (!editing) setDraft(title);
  }, [title, editing]);

  useEffect(() => {
    if (autoFocus) {
      ref.current?.focus();
      ref.current?.select();
    }
  }, [autoFocus]);

  const commit = () => {
    setEditing(false);
    const next = draft.trim();
    if (next === '' || next === title) {
      setDraft(title);
      return;
    }
    try {
      renameNote(doc, noteId, next, { by: me });
    } catch (error) {
      setDraft(title);
      onMessage(errorMessage(error), 'danger');
    }
  };

  return (
    <input
      ref={ref}
      className="note-title"
      aria-label="Note title"
      value={draft}
      maxLength={NOTE_LIMITS.titleChars}
      placeholder="Untitled"
      onFocus={() => setEditing(true)}
      onChange={(event) => {
        setEditing(true);
        setDraft(event.target.value);
      }}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          commit();
          // On to the text, as in any document editor.
          const body = ref.current?.closest('.note-page')?.querySelector<HTMLElement>('.ProseMirror');
          body?.focus();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          setDraft(title);
          setEditing(false);
          ref.current?.blur();
        }
      }}
    />
  );
}

/** Stamps the note's last edit when the member types: at once, then at most every few seconds. */
function useEditStamp(doc: Y.Doc, noteId: string, me: string): () => void {
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null });
  useEffect(() => {
    const current = state.current;
    return () => {
      // Leaving the note writes the pending stamp, so the list never misses the last edit.
      if (current.timer) {
        clearTimeout(current.timer);
        current.timer = null;
        safeStamp(doc, noteId, me);
      }
    };
  }, [doc, noteId, me]);
  return useCallback(() => {
    const current = state.current;
    const elapsed = Date.now() - current.last;
    if (elapsed >= EDIT_STAMP_EVERY_MS) {
      current.last = Date.now();
      safeStamp(doc, noteId, me);
    } else if (!current.timer) {
      current.timer = setTimeout(() => {
        current.timer = null;
        current.last = Date.now();
        safeStamp(doc, noteId, me);
      }, EDIT_STAMP_EVERY_MS - elapsed);
    }
  }, [doc, noteId, me]);
}

function safeStamp(doc: Y.Doc, noteId: string, me: string): void {
  try {
    recordNoteEdit(doc, noteId, { by: me });
  } catch {
    // The note went away (a peer's change); there is nothing to stamp.
  }
}
