// The left column: every community on this device, "New community", and who you are.
import { LogIn, Plus, Settings2 } from 'lucide-react';
import type { CommunityEntry } from '../../shared/store/store.js';
import { Avatar } from '../ui/Avatar.js';
import { BrandMark } from '../ui/Brand.js';
import type { Profile } from '../profile/profile.js';
import { SearchButton } from '../search/SearchButton.js';

export function Sidebar({
  communities,
  currentId,
  profile,
  onSelect,
  onNew,
  onJoin,
  onEditProfile,
  onSearch,
}: {
  communities: readonly CommunityEntry[];
  currentId: string | null;
  profile: Profile;
  onSelect: (id: string) => void;
  onNew: () => void;
  onJoin: () => void;
  onEditProfile: () => void;
  /** Opens the search palette. */
  onSearch: () => void;
}) {
  const isMac = navigator.platform.toLowerCase().includes('mac');
  return (
    <nav className="sidebar" aria-label="Communities">
      <div className="sidebar-header">
        <div className="brand">
          <BrandMark small />
          Hearth
        </div>
      </div>
      <SearchButton onClick={onSearch} />
      <div className="sidebar-section-title" id="community-list-title">
        Your communities
      </div>
      {communities.length === 0 ? (
        <p style={{ padding: '0 16px', color: 'var(--text-muted)', fontSize: 'var(--text-sm)' }}>None yet — start one below.</p>
      ) : (
        <ul className="community-list" aria-labelledby="community-list-title">
          {communities.map((community) => (
            <li key={community.id}>
              <button
                type="button"
                className="community-link"
                aria-current={community.id === currentId ? 'page' : undefined}
                onClick={() => onSelect(community.id)}
              >
                <Avatar id={community.id} name={community.name} size="md" square />
                <span className="name">{community.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="sidebar-actions">
        <button
          type="button"
          className="button ghost sidebar-action"
          onClick={onNew}
          aria-keyshortcuts={isMac ? 'Meta+Shift+N' : 'Control+Shift+N'}
        >
          <Plus size={16} aria-hidden="true" /> New community
          <span className="kbd" aria-hidden="true">
            {isMac ? '⇧⌘N' : 'Ctrl⇧N'}
          </span>
        </button>
        <button type="button" className="button ghost sidebar-action" onClick={onJoin}>
          <LogIn size={16} aria-hidden="true" /> Join a community
        </button>
      </div>
      <div className="sidebar-footer">
        <Avatar id={profile.memberId} name={profile.displayName} avatar={profile.avatar ?? null} size="md" />
        <div className="who">
          <strong>{profile.displayName}</strong>
          <span className="status saved">
            <span className="dot" aria-hidden="true" /> Private · peer-to-peer
          </span>
        </div>
        <button type="button" className="icon-button" aria-label="Edit your profile" onClick={onEditProfile}>
          <Settings2 size={18} aria-hidden="true" />
        </button>
      </div>
    </nav>
  );
}
