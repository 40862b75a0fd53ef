// A community's home: its name and purpose, the sections later features fill, and its members.
import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { AlertTriangle, Hourglass, LayoutDashboard, RotateCcw, UserPlus } from 'lucide-react';
import { InviteDialog } from '../sync/InviteDialog.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { useOnlineMembers } from '../sync/use-sync.js';
import { useLastSeen } from '../sync/last-seen.js';
import { relativeTime } from '../ui/relative-time.js';
import { COMMUNITY_KIND_LABELS } from '../../shared/community/schema.js';
import type { CommunityView } from '../../shared/community/queries.js';
import { Avatar } from '../ui/Avatar.js';
import type { HostApi } from '../../shared/host-api.js';
import type { Profile } from '../profile/profile.js';
import type { DexieStore } from '../store/dexie-store.js';
import type { CommunityRegistry } from './community-registry.js';
import { SECTIONS, type ItemFocus, type SectionId, type SectionProps } from './sections.js';
import { useCommunity } from './use-community.js';
import { IdentityContext, useMembership } from './use-membership.js';
import { MemberActions, ModerationLogCard, RoleBadge } from '../members/MemberRoles.js';
import { AccessBanner, useEpochAccess } from '../sync/AccessBanner.js';

export function CommunityHome({
  registry,
  communityId,
  profile,
  store,
  host,
  focus: requestedFocus = null,
  onFocusTaken,
}: {
  registry: CommunityRegistry;
  communityId: string;
  profile: Profile;
  store: DexieStore;
  host: HostApi;
  /** An item to open (a search result): its section opens and is handed the item. */
  focus?: ItemFocus | null;
  /** Called once the request in `focus` is taken, so it is not taken again on the next mount. */
  onFocusTaken?: () => void;
}) {
  const [attempt, setAttempt] = useState(0);
  const [section, setSection] = useState<SectionId | 'home'>('home');
  // The item the open section was asked to show; choosing a tab lets go of it.
  const [focus, setFocus] = useState<ItemFocus | null>(null);
  useEffect(() => {
    if (!requestedFocus) return;
    setSection(requestedFocus.section);
    setFocus(requestedFocus);
    onFocusTaken?.();
  }, [requestedFocus, onFocusTaken]);
  const openSection = (id: SectionId | 'home') => {
    setFocus(null);
    setSection(id);
  };
  const state = useCommunity(registry, communityId, attempt);
  const [inviting, setInviting] = useState(false);
  const online = useOnlineMembers(state.status === 'ready' ? state.community.sync : null);
  const lastSeen = useLastSeen(store, communityId, online);
  const membership = useMembership(state.status === 'ready' ? state.community.doc : EMPTY_DOC, communityId);
  const [roleError, setRoleError] = useState<string | null>(null);
  const access = useEpochAccess(state.status === 'ready' ? state.community.sync : null);

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
  const sectionProps: SectionProps = { community, view, profile, store, host, openSection, focus };
  const current = SECTIONS.find((item) => item.id === section);
  const onlineIds = new Set(online.map((member) => member.id));
  return (
    <IdentityContext value={registry.identityOrNull()}>
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
      <AccessBanner access={access} nameOf={(id) => view.members.find((member) => member.id === id)?.displayName ?? 'a facilitator'} />
      {meta ? null : (
        <div className="banner warn" role="status">
          <Hourglass size={18} aria-hidden="true" />
          <div className="grow">
            You have joined <strong>{community.entry.name}</strong>. Its notes, threads and members arrive as soon as another member’s Hearth is online.
          </div>
        </div>
      )}
      <header className="community-header">
        <Avatar id={communityId} name={meta?.name ?? community.entry.name} size="lg" square />
        <div className="titles">
          <div className="title-row">
            <h1 id="community-title">{meta?.name ?? community.entry.name}</h1>
            <button type="button" className="button" onClick={() => setInviting(true)}>
              <UserPlus size={16} aria-hidden="true" /> Invite members
            </button>
          </div>
          <div className="meta-line">
            {meta ? <span className="badge accent">{COMMUNITY_KIND_LABELS[meta.kind]}</span> : null}
            <span className="badge">
              {view.members.length} {view.members.length === 1 ? 'member' : 'members'}
            </span>
            <SyncIndicator sync={community.sync} />
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
            onClick={() => openSection(tab.id)}
          >
            <span aria-hidden="true" style={{ display: 'inline-flex' }}>
              {tab.icon}
            </span>
            {tab.label}
            {'Badge' in tab && tab.Badge ? <tab.Badge {...sectionProps} /> : null}
          </button>
        ))}
      </div>

      <div className="community-body" style={current?.fullWidth ? { gridTemplateColumns: 'minmax(0, 1fr)' } : undefined}>
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
        <aside className="side-column" aria-label="About this community" style={current?.fullWidth ? { display: 'none' } : undefined}>
          <section className="card" aria-labelledby="members-title">
            <div className="card-header">
              <h2 id="members-title" style={{ fontSize: 'var(--text-md)' }}>
                Members
              </h2>
              <span className="count">{view.members.length}</span>
            </div>
            <div className="card-body">
              <ul className="member-list" aria-label="Members">
                {view.members.filter((member) => !membership?.removed.has(member.id)).map((member) => (
                  <li key={member.id} className="member-row">
                    <span className="presence">
                      <Avatar id={member.id} name={member.displayName} size="sm" />
                      {onlineIds.has(member.id) ? <span className="online-dot" aria-hidden="true" /> : null}
                    </span>
                    <span className="name">
                      {member.displayName}
                      <span className="visually-hidden">{onlineIds.has(member.id) ? ', online now' : ''}</span>
                    </span>
                    {member.id === profile.memberId ? null : onlineIds.has(member.id) ? (
                      <span className="online-label">online</span>
                    ) : lastSeen.has(member.id) ? (
                      <span className="seen-label">seen {relativeTime(lastSeen.get(member.id)!)}</span>
                    ) : null}
                    {membership ? <RoleBadge role={membership.roles.get(member.id)} /> : null}
                    <MemberActions
                      doc={community.doc}
                      communityId={communityId}
                      identity={registry.identityOrNull()}
                      membership={membership}
                      member={member}
                      onError={setRoleError}
                      onRemove={(memberId) => registry.removeMember(communityId, memberId)}
                    />
                  </li>
                ))}
              </ul>
              {roleError ? (
                <p className="form-error" role="alert">
                  {roleError}
                </p>
              ) : null}
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
          <ModerationLogCard membership={membership} nameOf={(id) => view.members.find((member) => member.id === id)?.displayName ?? 'A former member'} />
        </aside>
      </div>
      <InviteDialog open={inviting} onClose={() => setInviting(false)} entry={community.entry} communityName={meta?.name ?? community.entry.name} host={host} store={store} />
    </article>
    </IdentityContext>
  );
}

// useMembership needs a document before the community has loaded; an empty one verifies to nothing.
const EMPTY_DOC = new Y.Doc();

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
