// The Library section as the community home lists it: its tab, its count, its home card and its page.
import { BookOpen, Plus } from 'lucide-react';
import { countResources, readLibrary } from '../../shared/library/queries.js';
import { RESOURCE_KIND_LABELS } from '../../shared/library/schema.js';
import type { SectionDefinition, SectionProps } from '../communities/section-types.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useDocQuery } from '../ui/use-doc-query.js';
import { KIND_ICONS, LibraryPanel } from './LibraryPanel.js';
import '../ui/controls.css';
import '../ui/home-list.css';
import './library.css';

const HOME_ITEMS = 4;

function LibraryHomeCard({ community, view, profile, openSection }: SectionProps) {
  const library = useDocQuery(community.doc, (doc) => readLibrary(doc, { sort: 'newest' }));
  if (library.total === 0) {
    return (
      <EmptyState
        icon={<BookOpen size={20} />}
        title="The library is empty"
        action={
          <button
            type="button"
            className="button tight"
            onClick={() => openSection('library')}
            style={{ justifySelf: 'start', marginTop: 4 }}
          >
            <Plus size={15} aria-hidden="true" /> Add to the library
          </button>
        }
      >
        Links, files and how-tos the group collects, tagged and there offline.
      </EmptyState>
    );
  }
  const names = new Map(view.members.map((member) => [member.id, member.displayName]));
  const nameOf = (id: string) => (id === profile.memberId ? 'you' : (names.get(id) ?? 'a former member'));
  return (
    <ul className="home-list" aria-label="Recently added to the library">
      {library.resources.slice(0, HOME_ITEMS).map((resource) => {
        const Icon = KIND_ICONS[resource.kind];
        return (
          <li key={resource.id}>
            <button type="button" className="home-item" onClick={() => openSection('library')}>
              <span className="home-item-icon" aria-hidden="true">
                <Icon size={16} />
              </span>
              <span className="home-item-title">{resource.title}</span>
              <span className="home-item-meta">
                {RESOURCE_KIND_LABELS[resource.kind]} · added by {nameOf(resource.addedBy)} on{' '}
                {new Date(resource.addedAt).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export const librarySection: SectionDefinition = {
  id: 'library',
  label: 'Library',
  icon: <BookOpen size={20} />,
  count: (doc) => {
    try {
      return countResources(doc);
    } catch {
      return 0;
    }
  },
  HomeCard: LibraryHomeCard,
  Panel: LibraryPanel,
};
