// A community's home: its name and purpose, the sections later features fill, and its members.
import { useState } from 'react';
import { AlertTriangle, LayoutDashboard, RotateCcw } from 'lucide-react';
import { COMMUNITY_KIND_LABELS } from '../../shared/community/schema.js';
import type { CommunityView } from '../../shared/community/queries.js';
import { Avatar } from '../ui/Avatar.js';
import type { Profile } from '../profile/profile.js';
import type { CommunityRegistry } from './community-registry.js';
import { SECTIONS, type SectionId, type SectionProps } from './sections.js';
import { useCommunity } from './use-community.js';

export function CommunityHome({ registry, communityId, profile }: { registry: CommunityRegistry; communityId: string; profile: Profile }) {
  const [attempt, setAttempt] = useState(0);
  const [section, setSection] = useState<SectionId | 'home'>('home');
  const state = useCommunity(registry, communityId, attempt);

  if (state.status === 'loading') {
    return (
      <div className="center-stage" style={{ background: 'none' }}>
        <div className="splash" role="status">
          <span className="spinner" aria-hidden="true" />
          Opening community…
        </div>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="community">
        <div className="banner danger" role="alert">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            <strong>This community could not be opened.</strong> {state.message} Nothing stored was changed.
          </div>
          <button type="button" className="button" onClick={() => setAttempt((value) => value + 1)}>
            <RotateCcw size={16} aria-hidden="true" /> Try again
          </button>
        </div>
      </div>
    );
  }

  const { view, community } = state;
  const meta = view.meta;
  const sectionProps: SectionProps = { community, view, profile, openSection: setSection };
  const current = SECTIONS.find((item) => item.id === section);
  return (
    <article className="community" aria-labelledby="community-title">
      {community.report.setAside > 0 ? (
        <div className="banner warn" role="status">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            {community.report.setAside === 1 ? 'One saved change was damaged' : `${community.report.setAside} saved changes were damaged`} and set aside on this
            device. Everything else is here; the damaged bytes are kept, not deleted.
          </div>
        </div>
      ) : null}
      {view.problems.length > 0 || view.newerSchema ? <ProblemsBanner view={view} /> : null}
      <header className="community-header">
        <Avatar id={communityId} name={meta?.name ?? '?'} size="lg" square />
        <div className="titles">
          <h1 id="community-title">{meta?.name ?? 'Untitled community'}</h1>
          <div className="meta-line">
            {meta ? <span className="badge accent">{COMMUNITY_KIND_LABELS[meta.kind]}</span> : null}
            <span className="badge">
              {view.members.length} {view.members.length === 1 ? 'member' : 'members'}
            </span>
            <span className="status saved" title="Every change is saved on this device as you make it. Sharing with members arrives with invites.">
              <span className="dot" aria-hidden="true" /> Saved on this device · offline
            </span>
          </div>
          {meta?.purpose ? <p className="purpose">{meta.purpose}</p> : null}
        </div>
      </header>

      <div className="section-nav" role="tablist" aria-label="Community sections">
        {[{ id: 'home' as const, label: 'Home', icon: <LayoutDashboard size={16} /> }, ...SECTIONS].map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            className="section-tab"
            aria-selected={section === tab.id}
            onClick={() => setSection(tab.id)}
          >
            <span aria-hidden="true" style={{ display: 'inline-flex' }}>
              {tab.icon}
            </span>
            {tab.label}
          </button>
        ))}
      </div>

      <div className="community-body">
        <div role="tabpanel" aria-label={current?.label ?? 'Home'}>
          {current ? (
            <current.Panel {...sectionProps} />
          ) : (
            <div className="sections-grid">
              {SECTIONS.map((item) => (
                <section key={item.id} className={`card${item.id === 'sessions' ? ' wide' : ''}`} aria-labelledby={`section-${item.id}`}>
                  <div className="card-header">
                    <h2 id={`section-${item.id}`} style={{ fontSize: 'var(--text-md)' }}>
                      <button type="button" className="link-button" onClick={() => setSection(item.id)}>
                        {item.label}
                      </button>
                    </h2>
                    <span className="count">{item.count(community.doc)}</span>
                  </div>
                  <item.HomeCard {...sectionProps} />
                </section>
              ))}
            </div>
          )}
        </div>
        <aside className="side-column" aria-label="About this community">
          <section className="card" aria-labelledby="members-title">
            <div className="card-header">
              <h2 id="members-title" style={{ fontSize: 'var(--text-md)' }}>
                Members
              </h2>
              <span className="count">{view.members.length}</span>
            </div>
            <div className="card-body">
              <ul className="member-list" aria-label="Members">
                {view.members.map((member) => (
                  <li key={member.id} className="member-row">
                    <Avatar id={member.id} name={member.displayName} size="sm" />
                    <span className="name">{member.displayName}</span>
                    {member.role === 'owner' ? <span className="badge">Owner</span> : null}
                  </li>
                ))}
              </ul>
            </div>
          </section>
          <section className="card about" aria-labelledby="about-title">
            <div className="card-header">
              <h2 id="about-title" style={{ fontSize: 'var(--text-md)' }}>
                About
              </h2>
            </div>
            <div className="card-body">
              <dl>
                <div>
                  <dt>Started</dt>
                  <dd>{meta ? new Date(meta.createdAt).toLocaleDateString(undefined, { dateStyle: 'long' }) : '—'}</dd>
                </div>
                <div>
                  <dt>Code of conduct</dt>
                  <dd>{meta?.codeOfConduct || 'None written yet.'}</dd>
                </div>
              </dl>
            </div>
          </section>
        </aside>
      </div>
    </article>
  );
}

function ProblemsBanner({ view }: { view: CommunityView }) {
  return (
    <div className="banner warn" role="status">
      <AlertTriangle size={18} aria-hidden="true" />
      <div className="grow">
        {view.newerSchema ? 'A member uses a newer version of Hearth; some of what they made may not show until you update. ' : null}
        {view.problems.length > 0
          ? `${view.problems.length} ${view.problems.length === 1 ? 'record' : 'records'} in this community could not be read and ${view.problems.length === 1 ? 'is' : 'are'} hidden. Nothing was deleted.`
          : null}
      </div>
    </div>
  );
}
