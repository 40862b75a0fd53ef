// The sidebar's way into search, for those who do not know the shortcut: looks like a search field,
// opens the palette, and shows the shortcut for next time.
import { Search } from 'lucide-react';
import { searchShortcutLabel } from './SearchPalette.js';
import './search.css';

export function SearchButton({ onClick }: { onClick: () => void }) {
  const shortcut = searchShortcutLabel();
  return (
    <button type="button" className="sidebar-search" onClick={onClick} aria-keyshortcuts={shortcut.aria}>
      <Search size={15} aria-hidden="true" />
      Search
      <span className="kbd" aria-hidden="true">
        {shortcut.keys}
      </span>
    </button>
  );
}
