// The Notes section as the community home sees it: its tab, its count, its home card (the most
// recently edited pages, or an invitation to write the first) and its panel.
import { useMemo } from 'react';
import { FileText, Plus } from 'lucide-react';
import { listNotes } from '../../shared/notes/queries.js';
import type { SectionDefinition, SectionProps } from '../communities/section-types.js';
import { EmptyState } from '../ui/EmptyState.js';
import { fullTime, relativeTime, useNow } from '../ui/relative-time.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { NotesPanel } from './NotesPanel.js';
import { requestNote } from './note-intent.js';
import '../ui/home-list.css';

const HOME_ITEMS = 4;

function NotesHomeCard({ community, view, profile, openSection }: SectionProps) {
  const now = useNow();
  const { notes } = useDocQuery(community.doc, listNotes);
  const names = useMemo(() => new Map(view.members.map((member) => [member.id, member.displayName])), [view.members]);
  const nameOf = (id: string) => (id === profile.memberId ? 'you' : (names.get(id) ?? 'a former member'));
  const newNote = () => {
    requestNote({ communityId: community.id, create: true });
    openSection('notes');
  };
  if (notes.length === 0) {
    return (
      <EmptyState
        icon={<FileText size={20} />}
        title="No notes yet"
        action={
          <button type="button" className="button tight" onClick={newNote} style={{ justifySelf: 'start', marginTop: 4 }}>
            <Plus size={15} aria-hidden="true" /> New note
          </button>
        }
      >
        Shared pages the whole group writes together — meeting notes, playbooks, the things worth keeping.
      </EmptyState>
    );
  }
  return (
    <ul className="home-list" aria-label="Recently edited notes">
      {notes.slice(0, HOME_ITEMS).map((note) => (
        <li key={note.id}>
          <button
            type="button"
            className="home-item"
            onClick={() => {
              requestNote({ communityId: community.id, noteId: note.id });
              openSection('notes');
            }}
          >
            <span className="home-item-icon" aria-hidden="true">
              <FileText size={16} />
            </span>
            <span className="home-item-title">{note.title}</span>
            <span className="home-item-meta" title={fullTime(note.updatedAt)}>
              Edited {relativeTime(note.updatedAt, now)} by {nameOf(note.updatedBy)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export const notesSection: SectionDefinition = {
  id: 'notes',
  label: 'Notes',
  icon: <FileText size={20} />,
  count: (doc) => listNotes(doc).notes.length,
  fullWidth: true,
  HomeCard: NotesHomeCard,
  Panel: NotesPanel,
};
