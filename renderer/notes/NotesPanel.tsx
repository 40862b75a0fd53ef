// The Notes section: the page tree on the left; on the right the list of all notes (most recently
// edited first), an open note, or the trash. Creating, renaming, moving, exporting and deleting (with
// an undo) all happen here through the commands in shared/notes.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FileText, Plus, RotateCcw, Trash2 } from 'lucide-react';
import { createNote, deleteNote, moveNote, restoreNote } from '../../shared/notes/commands.js';
import { noteToMarkdown } from '../../shared/notes/export.js';
import { listNotes, noteTree, readNote, readNotesIndex, trashedNotes, type NoteSummary } from '../../shared/notes/queries.js';
import { errorMessage } from '../../shared/errors.js';
import type { SectionProps } from '../communities/section-types.js';
import { presenceColourOf } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { EmptyState } from '../ui/EmptyState.js';
import { fullTime, relativeTime, useNow } from '../ui/relative-time.js';
import { SkippedRecords } from '../ui/SkippedRecords.js';
import { Toast, type ToastMessage } from '../ui/Toast.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { MoveNoteDialog } from './MoveNoteDialog.js';
import type { NotePresence } from './NoteBodyEditor.js';
import { NotePage } from './NotePage.js';
import { NoteTree } from './NoteTree.js';
import { takeNoteIntent } from './note-intent.js';
import './notes.css';

type Main = { readonly kind: 'list' } | { readonly kind: 'trash' } | { readonly kind: 'note'; readonly id: string };

export function NotesPanel({ community, view, profile, host, focus }: SectionProps) {
  const doc = community.doc;
  const me = profile.memberId;
  const intent = useRef(takeNoteIntent(community.id));
  const [main, setMain] = useState<Main>(() => (intent.current?.noteId ? { kind: 'note', id: intent.current.noteId } : { kind: 'list' }));
  const [focusTitleOf, setFocusTitleOf] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'move' | 'delete' | null>(null);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismissToast = useCallback(() => setToast(null), []);
  const showMessage = useCallback(
    (message: string, tone: 'neutral' | 'danger' = 'neutral') => setToast({ id: Date.now(), message, tone }),
    [],
  );

  const tree = useDocQuery(doc, noteTree);
  const list = useDocQuery(doc, listNotes);
  const trash = useDocQuery(doc, trashedNotes);
  const openNote = useDocQuery(doc, (current) => (main.kind === 'note' ? readNote(current, main.id) : null), [main]);
  const index = useDocQuery(doc, (current) => readNotesIndex(current));
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = useCallback((id: string) => (id === me ? 'you' : (names.get(id) ?? 'a former member')), [names, me]);
  // Live carets of others editing the same note, through the sync layer's awareness when it runs.
  const awareness = community.sync?.awareness;
  const presence = useMemo<NotePresence | undefined>(
    () =>
      awareness
        ? { provider: { awareness }, user: { id: me, name: profile.displayName, color: presenceColourOf(me, profile.avatar) } }
        : undefined,
    [awareness, me, profile.displayName, profile.avatar],
  );

  const create = useCallback(
    (parentId: string | null) => {
      try {
        const note = createNote(doc, { title: 'Untitled', parentId, by: me });
        setMain({ kind: 'note', id: note.id });
        setFocusTitleOf(note.id);
      } catch (error) {
        showMessage(errorMessage(error), 'danger');
      }
    },
    [doc, me, showMessage],
  );

  // A home card may have asked for a new note.
  useEffect(() => {
    if (intent.current?.create) {
      intent.current = null;
      create(null);
    }
  }, [create]);

  // Search asked for a note: open it in the editor.
  useEffect(() => {
    if (focus?.section !== 'notes') return;
    setFocusTitleOf(null);
    setMain({ kind: 'note', id: focus.itemId });
  }, [focus]);

  const open = (id: string | null) => {
    setFocusTitleOf(null);
    setMain(id ? { kind: 'note', id } : { kind: 'list' });
  };

  const removeOpenNote = () => {
    if (!openNote) return;
    const { id, title } = openNote;
    try {
      deleteNote(doc, id, { by: me });
    } catch (error) {
      showMessage(errorMessage(error), 'danger');
      return;
    }
    const parent = openNote.parentId && index.live.has(openNote.parentId) ? openNote.parentId : null;
    open(parent);
    setToast({
      id: Date.now(),
      message: `“${title}” moved to the trash.`,
      action: {
        label: 'Undo',
        run: () => {
          try {
            restoreNote(doc, id, { by: me });
            open(id);
          } catch (error) {
            showMessage(errorMessage(error), 'danger');
          }
        },
      },
    });
  };

  const exportOpenNote = async () => {
    if (!openNote) return;
    const file = noteToMarkdown(doc, openNote.id);
    if (!file) return;
    try {
      const result = await host.saveFile({
        suggestedName: file.fileName,
        data: new TextEncoder().encode(file.markdown),
        filters: [{ name: 'Markdown', extensions: ['md'] }],
      });
      if (result.saved) showMessage(`Saved “${result.name}”.`);
    } catch (error) {
      showMessage(`The file could not be saved: ${errorMessage(error)}`, 'danger');
    }
  };

  const nothingYet = list.notes.length === 0 && trash.length === 0;
  if (nothingYet) {
    return (
      <div className="notes-stack">
        <SkippedRecords problems={list.problems} what="note" />
        <div className="card">
          <EmptyState
            big
            icon={<FileText size={28} />}
            title="No notes yet"
            action={
              <button type="button" className="button primary" style={{ marginTop: 12 }} onClick={() => create(null)}>
                <Plus size={16} aria-hidden="true" /> New note
              </button>
            }
          >
            Shared pages the whole group writes together — meeting notes, playbooks, the things worth keeping. Pages can hold pages, so a
            knowledge base can grow.
          </EmptyState>
          <Toast toast={toast} onDismiss={dismissToast} />
        </div>
      </div>
    );
  }

  const openPath = openNote ? [...index.ancestorsOf(openNote.id)] : [];
  const ancestors = openPath
    .slice()
    .reverse()
    .map((id) => ({ id, title: index.all.get(id)?.title ?? '' }));
  const subPages = openNote
    ? (index.childrenOf.get(openNote.id) ?? []).filter((id) => index.live.has(id)).map((id) => ({ id, title: index.all.get(id)!.title }))
    : [];

  return (
    <div className="notes-stack">
      <SkippedRecords problems={list.problems} what="note" />
      <div className="notes-layout">
        <nav className="notes-nav card" aria-label="Pages">
          <div className="notes-nav-header">
            <button
              type="button"
              className={`nav-all${main.kind === 'list' ? ' current' : ''}`}
              aria-current={main.kind === 'list' ? 'page' : undefined}
              onClick={() => open(null)}
            >
              All notes <span className="nav-count">{list.notes.length}</span>
            </button>
            <button type="button" className="icon-button" aria-label="New note" title="New note" onClick={() => create(null)}>
              <Plus size={18} aria-hidden="true" />
            </button>
          </div>
          <NoteTree
            roots={tree.roots}
            openId={main.kind === 'note' ? main.id : null}
            openPath={openPath}
            onOpen={open}
            onAddInside={(parentId) => create(parentId)}
          />
          <button
            type="button"
            className={`nav-trash${main.kind === 'trash' ? ' current' : ''}`}
            aria-current={main.kind === 'trash' ? 'page' : undefined}
            onClick={() => setMain({ kind: 'trash' })}
          >
            <Trash2 size={15} aria-hidden="true" /> Trash {trash.length > 0 ? <span className="nav-count">{trash.length}</span> : null}
          </button>
        </nav>

        <div className="notes-main">
          {main.kind === 'note' && openNote ? (
            <NotePage
              doc={doc}
              note={openNote}
              me={me}
              host={host}
              nameOf={nameOf}
              ancestors={ancestors}
              subPages={subPages}
              focusTitle={focusTitleOf === openNote.id}
              presence={presence}
              onOpen={open}
              onAddInside={() => create(openNote.id)}
              onMove={() => setDialog('move')}
              onExport={() => void exportOpenNote()}
              onDelete={() => setDialog('delete')}
              onRestore={() => restoreNote(doc, openNote.id, { by: me })}
              onMessage={showMessage}
            />
          ) : main.kind === 'trash' ? (
            <TrashList
              notes={trash}
              nameOf={nameOf}
              onOpen={open}
              onRestore={(note) => {
                restoreNote(doc, note.id, { by: me });
                showMessage(`“${note.title}” is back.`);
              }}
            />
          ) : (
            <AllNotes notes={list.notes} nameOf={nameOf} onOpen={open} onCreate={() => create(null)} />
          )}
        </div>

        {openNote ? (
          <>
            <MoveNoteDialog
              open={dialog === 'move'}
              note={openNote}
              roots={tree.roots}
              onClose={() => setDialog(null)}
              onMove={(parentId) => {
                try {
                  moveNote(doc, openNote.id, parentId, { by: me });
                  return null;
                } catch (error) {
                  return errorMessage(error);
                }
              }}
            />
            <ConfirmDialog
              open={dialog === 'delete'}
              title={`Delete “${openNote.title}”?`}
              confirmLabel="Delete note"
              onConfirm={removeOpenNote}
              onClose={() => setDialog(null)}
            >
              {openNote.subPages > 0
                ? `It goes to the trash with the ${openNote.subPages === 1 ? 'page' : `${openNote.subPages} pages`} inside it, for everyone in the community. You can undo right away or restore it from the trash later.`
                : 'It goes to the trash for everyone in the community. You can undo right away or restore it from the trash later.'}
            </ConfirmDialog>
          </>
        ) : null}
        <Toast toast={toast} onDismiss={dismissToast} />
      </div>
    </div>
  );
}

function AllNotes({
  notes,
  nameOf,
  onOpen,
  onCreate,
}: {
  notes: readonly NoteSummary[];
  nameOf: (id: string) => string;
  onOpen: (id: string) => void;
  onCreate: () => void;
}) {
  const now = useNow();
  return (
    <section className="card notes-all" aria-labelledby="all-notes-title">
      <div className="notes-all-header">
        <div>
          <h2 id="all-notes-title">All notes</h2>
          <p className="muted">Most recently edited first.</p>
        </div>
        <button type="button" className="button primary" onClick={onCreate}>
          <Plus size={16} aria-hidden="true" /> New note
        </button>
      </div>
      {notes.length === 0 ? (
        <EmptyState icon={<FileText size={20} />} title="Every note is in the trash">
          Restore one from the trash, or start a new note.
        </EmptyState>
      ) : (
        <ul className="notes-rows" aria-label="Notes">
          {notes.map((note) => (
            <li key={note.id}>
              <button type="button" className="note-row" onClick={() => onOpen(note.id)}>
                <FileText size={18} aria-hidden="true" className="note-row-icon" />
                <span className="note-row-main">
                  <span className="note-row-title">{note.title}</span>
                  {note.path.length > 0 ? <span className="note-row-path">in {note.path.join(' › ')}</span> : null}
                </span>
                <span className="note-row-meta" title={fullTime(note.updatedAt)}>
                  Edited {relativeTime(note.updatedAt, now)}
                  <br />
                  by {nameOf(note.updatedBy)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TrashList({
  notes,
  nameOf,
  onRestore,
  onOpen,
}: {
  notes: readonly NoteSummary[];
  nameOf: (id: string) => string;
  onRestore: (note: NoteSummary) => void;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  return (
    <section className="card notes-all" aria-labelledby="trash-title">
      <div className="notes-all-header">
        <div>
          <h2 id="trash-title">Trash</h2>
          <p className="muted">Deleted pages stay here for everyone until someone brings them back.</p>
        </div>
      </div>
      {notes.length === 0 ? (
        <EmptyState icon={<Trash2 size={20} />} title="The trash is empty">
          Pages you delete land here, with the pages inside them, and can be restored at any time.
        </EmptyState>
      ) : (
        <ul className="notes-rows" aria-label="Deleted notes">
          {notes.map((note) => (
            <li key={note.id} className="trash-row">
              <button type="button" className="note-row" onClick={() => onOpen(note.id)}>
                <FileText size={18} aria-hidden="true" className="note-row-icon" />
                <span className="note-row-main">
                  <span className="note-row-title">{note.title}</span>
                  <span className="note-row-path" title={note.deletedAt ? fullTime(note.deletedAt) : undefined}>
                    Deleted {note.deletedAt ? relativeTime(note.deletedAt, now) : ''} by{' '}
                    {note.deletedBy ? nameOf(note.deletedBy) : 'someone'}
                  </span>
                </span>
              </button>
              <button type="button" className="button" aria-label={`Restore ${note.title}`} onClick={() => onRestore(note)}>
                <RotateCcw size={16} aria-hidden="true" /> Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
