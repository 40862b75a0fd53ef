// The community's section tabs (Home, then every section with its badge), and the home's grid of
// section cards that each open their section.
import { LayoutDashboard } from 'lucide-react';
import type * as Y from 'yjs';
import { SECTIONS, type SectionId, type SectionProps } from './sections.js';

export function SectionTabs({
  section,
  sectionProps,
  onOpen,
}: {
  section: SectionId | 'home';
  sectionProps: SectionProps;
  onOpen: (id: SectionId | 'home') => void;
}) {
  return (
    <div className="section-nav" role="tablist" aria-label="Community sections">
      {[{ id: 'home' as const, label: 'Home', icon: <LayoutDashboard size={16} /> }, ...SECTIONS].map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          className="section-tab"
          aria-selected={section === tab.id}
          onClick={() => onOpen(tab.id)}
        >
          <span aria-hidden="true" style={{ display: 'inline-flex' }}>
            {tab.icon}
          </span>
          {tab.label}
          {'Badge' in tab && tab.Badge ? <tab.Badge {...sectionProps} /> : null}
        </button>
      ))}
    </div>
  );
}

/** The home tab: one card a section (the sessions card wide), each with its count. */
export function SectionCards({ doc, sectionProps, onOpen }: { doc: Y.Doc; sectionProps: SectionProps; onOpen: (id: SectionId) => void }) {
  return (
    <div className="sections-grid">
      {SECTIONS.map((item) =>
        item.HomeCard ? (
          <section key={item.id} className={`card${item.id === 'sessions' ? ' wide' : ''}`} aria-labelledby={`section-${item.id}`}>
            <div className="card-header">
              <h2 id={`section-${item.id}`} style={{ fontSize: 'var(--text-md)' }}>
                <button type="button" className="link-button" onClick={() => onOpen(item.id)}>
                  {item.label}
                </button>
              </h2>
              <span className="count">{item.count(doc)}</span>
            </div>
            <item.HomeCard {...sectionProps} />
          </section>
        ) : null,
      )}
    </div>
  );
}
