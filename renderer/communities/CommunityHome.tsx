// A community's home: its name and purpose, the sections later features fill, and its members.
import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { AlertTriangle, CircleCheck, DoorOpen, Hourglass, LayoutDashboard, RotateCcw, UserPlus } from 'lucide-react';
import { InviteDialog } from '../sync/InviteDialog.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { useOnlineMembers, useSyncStatus } from '../sync/use-sync.js';
import { useLastSeen } from '../sync/last-seen.js';
import { relativeTime } from '../ui/relative-time.js';
import { COMMUNITY_KIND_LABELS } from '../../shared/community/schema.js';
import type { CommunityView } from '../../shared/community/queries.js';
import { Avatar, MemberAvatarsContext } from '../ui/Avatar.js';
import type { HostApi } from '../../shared/host-api.js';
import type { Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';
import type { CommunityRegistry, OpenCommunity } from './community-registry.js';
import { damageMessage } from './damage-report.js';
import { hasGap } from '../../shared/store/load-gaps.js';
import { SECTIONS, type ItemFocus, type SectionId, type SectionProps } from './sections.js';
import { useCommunity } from './use-community.js';
import { IdentityContext, useMembership } from './use-membership.js';
import { MemberActions, ModerationLogCard, RoleBadge } from '../members/MemberRoles.js';
import { memberAccess, conductHash, type MemberAccess } from '../../shared/community/access.js';
import { updateCommunityMeta } from '../../shared/community/commands.js';
import { type Membership } from '../../shared/community/log/replay.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { CommunityMenu } from '../access/CommunityMenu.js';
import { ConductDialog, EditConductDialog } from '../access/ConductDialog.js';
import { JoiningCard, WaitingToJoinCard } from '../access/JoiningCards.js';
import { LeaveDialog } from '../access/LeaveDialog.js';
import { OPEN_GATE, PostingGateContext, type PostingGate } from '../access/posting-gate.js';
import { useConductHash } from '../access/use-conduct.js';
import { DeclinedScreen, WaitingScreen } from '../access/WaitingScreen.js';
import '../access/access.css';
import { AccessBanner, useEpochAccess } from '../sync/AccessBanner.js';

export function CommunityHome({
  registry,
  communityId,
  profile,
  store,
  host,
  focus: requestedFocus = null,
  onFocusTaken,
  onLeave,
  onEditProfile,
}: {
  registry: CommunityRegistry;
  communityId: string;
  profile: Profile;
  store: DeviceStore;
  host: HostApi;
  /** An item to open (a search result): its section opens and is handed the item. */
  focus?: ItemFocus | null;
  /** Called once the request in `focus` is taken, so it is not taken again on the next mount. */
  onFocusTaken?: () => void;
  /** Leaves the community (with tell false, only forgets it on this device); the app then goes elsewhere. */
  onLeave: (options: { tell: boolean }) => Promise<void>;
  /** Opens this member's profile dialog (the member directory offers it). */
  onEditProfile?: () => void;
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
  const identity = registry.identityOrNull();
  const me = identity?.memberId ?? profile.memberId;
  const codeOfConduct = state.status === 'ready' ? (state.view.meta?.codeOfConduct ?? '') : '';
  const currentConduct = useConductHash(codeOfConduct);
  const standing = membership && currentConduct !== undefined ? memberAccess(membership, me, currentConduct) : null;
  const [dialog, setDialog] = useState<'conduct' | 'edit-conduct' | 'leave' | null>(null);
  // The code of conduct opens by itself once per text; "Not now" holds until the text changes.
  const [conductShownFor, setConductShownFor] = useState<string | null>(null);
  useEffect(() => {
    if (standing?.kind !== 'needs-conduct' || !currentConduct || conductShownFor === currentConduct) return;
    setConductShownFor(currentConduct);
    setDialog((open) => open ?? 'conduct');
  }, [standing?.kind, currentConduct, conductShownFor]);
  const access = useEpochAccess(state.status === 'ready' ? state.community.sync : null);
  const viewMembers = state.status === 'ready' ? state.view.members : NO_MEMBERS;
  // Every avatar of a member in this community shows the look they chose in their profile.
  const avatars = useMemo(() => new Map(viewMembers.flatMap((member) => (member.avatar ? [[member.id, member.avatar] as const] : []))), [viewMembers]);

  // Until the membership log is verified, whether this member waits or takes part is not known.
  if (state.status === 'loading' || (state.status === 'ready' && standing === null)) {
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
  const sectionProps: SectionProps = { community, view, profile, store, host, openSection, focus, onEditProfile };
  const current = SECTIONS.find((item) => item.id === section);
  const onlineIds = new Set(online.map((member) => member.id));
  const name = meta?.name ?? community.entry.name;
  const nameOf = (id: string) => view.members.find((member) => member.id === id)?.displayName ?? 'A former member';
  // With a signed log, the list follows the log: not newcomers still waiting, nor members who left.
  const members = membership?.signed ? view.members.filter((member) => membership.roles.has(member.id)) : view.members;
  const moderator = membership !== null && identity !== null && isModerator(membership, identity);
  const gate = postingGate(meta !== null, standing, () => setDialog('conduct'));
  const dialogs = (
    <>
      <ConductDialog
        open={dialog === 'conduct'}
        communityName={name}
        text={codeOfConduct}
        changed={membership?.conduct.has(me) === true}
        onClose={() => setDialog(null)}
        onAccept={async () => {
          if (!identity || !currentConduct) throw new Error('This device has no identity yet.');
          await writeMembershipChange(community.doc, identity, communityId, { kind: 'conduct', subject: identity.memberId, conductHash: currentConduct });
        }}
      />
      <LeaveDialog
        open={dialog === 'leave'}
        communityName={name}
        waiting={standing?.kind === 'waiting'}
        lastOwner={membership !== null && isLastOwner(membership, me)}
        onClose={() => setDialog(null)}
        onLeave={() => onLeave({ tell: true })}
      />
    </>
  );

  // A newcomer who was declined never saw the community: the same screen tells them so. (A member
  // removed later keeps reading what was there; the banner of the key rotation says so.)
  const declinedBy = standing?.kind === 'outside' ? [...(membership?.audit ?? [])].reverse().find((entry) => entry.subject === me && entry.kind === 'decline')?.by : undefined;
  if (standing?.kind === 'waiting' || declinedBy) {
    const screenCommunity = { id: communityId, name, purpose: meta?.purpose ?? '', sync: community.sync };
    return (
      <article className="community" aria-label={name}>
        {standing?.kind === 'waiting' ? (
          <WaitingScreen community={screenCommunity} since={standing.since} onLeave={() => setDialog('leave')} />
        ) : (
          <DeclinedScreen community={screenCommunity} declinedBy={nameOf(declinedBy ?? '')} onForget={() => void onLeave({ tell: false })} />
        )}
        {dialogs}
      </article>
    );
  }

  return (
    <IdentityContext value={registry.identityOrNull()}>
    <PostingGateContext value={gate}>
    <MemberAvatarsContext value={avatars}>
    <article className="community" aria-labelledby="community-title">
      <DamagedStorageBanner community={community} />
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
            <span className="header-actions">
              {access?.kind === 'excluded' ? null : (
                // A device shut out of the community's key has nothing current to invite anyone to.
                <button type="button" className="button" onClick={() => setInviting(true)}>
                  <UserPlus size={16} aria-hidden="true" /> Invite members
                </button>
              )}
              <CommunityMenu communityName={name} onLeave={() => setDialog('leave')} />
            </span>
          </div>
          <div className="meta-line">
            {meta ? <span className="badge accent">{COMMUNITY_KIND_LABELS[meta.kind]}</span> : null}
            <span className="badge">
              {members.length} {members.length === 1 ? 'member' : 'members'}
            </span>
            {moderator && membership.waiting.size > 0 ? (
              <button type="button" className="badge waiting-badge" onClick={() => openSection('home')}>
                <DoorOpen size={13} aria-hidden="true" /> {membership.waiting.size} waiting to join
              </button>
            ) : null}
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
              {SECTIONS.map((item) => item.HomeCard ? (
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
              ) : null)}
            </div>
          )}
        </div>
        <aside className="side-column" aria-label="About this community" style={current?.fullWidth ? { display: 'none' } : undefined}>
          {moderator && identity && membership.waiting.size > 0 ? (
            <WaitingToJoinCard doc={community.doc} communityId={communityId} identity={identity} membership={membership} onError={setRoleError} nameOf={nameOf} onDecline={(memberId) => registry.removeMember(communityId, memberId)} />
          ) : null}
          <section className="card" aria-labelledby="members-title">
            <div className="card-header">
              <h2 id="members-title" style={{ fontSize: 'var(--text-md)' }}>
                <button type="button" className="link-button" onClick={() => openSection('members')}>
                  Members
                </button>
              </h2>
              <span className="count">{members.length}</span>
            </div>
            <div className="card-body">
              <ul className="member-list" aria-label="Members">
                {members.map((member) => (
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
          {moderator && identity ? (
            <JoiningCard
              doc={community.doc}
              communityId={communityId}
              identity={identity}
              membership={membership}
              onError={setRoleError}
              hasConduct={codeOfConduct.trim() !== ''}
              onEditConduct={() => setDialog('edit-conduct')}
            />
          ) : null}
          <ModerationLogCard membership={membership} nameOf={nameOf} />
        </aside>
      </div>
      <InviteDialog open={inviting} onClose={() => setInviting(false)} entry={community.entry} communityName={meta?.name ?? community.entry.name} host={host} store={store} />
      {dialogs}
      <EditConductDialog
        open={dialog === 'edit-conduct'}
        initial={codeOfConduct}
        onClose={() => setDialog(null)}
        onSave={async (text) => {
          updateCommunityMeta(community.doc, { codeOfConduct: text });
          // Whoever writes the text accepts it, as the founder does at creation.
          if (text && identity) await writeMembershipChange(community.doc, identity, communityId, { kind: 'conduct', subject: identity.memberId, conductHash: await conductHash(text) });
        }}
      />
    </article>
    </MemberAvatarsContext>
    </PostingGateContext>
    </IdentityContext>
  );
}

function isModerator(membership: Membership, identity: Identity): boolean {
  const role = membership.roles.get(identity.memberId);
  return membership.signed && (role === 'owner' || role === 'facilitator');
}

/** The only owner of a community that has other members: leaving leaves nobody who can change roles. */
function isLastOwner(membership: Membership, memberId: string): boolean {
  if (membership.roles.get(memberId) !== 'owner' || membership.roles.size < 2) return false;
  return [...membership.roles.values()].filter((role) => role === 'owner').length === 1;
}

/** Whether this member may post now; the threads composer asks through PostingGateContext. */
function postingGate(arrived: boolean, standing: MemberAccess | null, openConduct: () => void): PostingGate {
  if (!arrived) return { open: false, reason: 'You can post once this community’s threads have arrived from another member.' };
  switch (standing?.kind) {
    case 'waiting':
      return { open: false, reason: 'You can post once a facilitator lets you in.' };
    case 'outside':
      return { open: false, reason: 'You are not a member of this community.' };
    case 'needs-conduct':
      return { open: false, reason: 'Read and accept the code of conduct before your first post.', action: { label: 'Read the code of conduct', run: openConduct } };
    default:
      return OPEN_GATE;
  }
}

// useMembership needs a document before the community has loaded; an empty one verifies to nothing.
const EMPTY_DOC = new Y.Doc();
const NO_MEMBERS: CommunityView['members'] = [];

function ProblemsBanner({ view }: { view: CommunityView }) {
  return (
    <div className="banner warn" role="status">
      <AlertTriangle size={18} aria-hidden="true" />
      <div className="grow">
        {view.newerSchema ? 'A member uses a newer version of Hearth; some of what they made may not show until you update. ' : null}
        {view.problems.length > 0
          ? `${view.problems.length === 1 ? 'One record' : `${view.problems.length} records`} (or parts of ${view.problems.length === 1 ? 'it' : 'them'}) in this community could not be read and ${view.problems.length === 1 ? 'is' : 'are'} left out. Nothing was deleted.`
          : null}
      </div>
    </div>
  );
}

/**
 * Damaged storage found when this community opened: what is missing, and whether members' copies have
 * filled it since. Re-rendered with every document change (the home re-reads the view), so it sees
 * the moment Yjs can apply what waited.
 */
function DamagedStorageBanner({ community }: { community: OpenCommunity }) {
  const status = useSyncStatus(community.sync);
  const [copyArrived, setCopyArrived] = useState(false);
  const synced = (status?.syncedPeers ?? 0) > 0;
  useEffect(() => {
    if (synced) setCopyArrived(true);
  }, [synced]);
  const message = damageMessage(community.report, { gapOpen: hasGap(community.doc), copyArrived, peers: status?.peers ?? 0 });
  if (!message) return null;
  return (
    <div className={message.filled ? 'banner ok' : 'banner warn'} role="status">
      {message.filled ? <CircleCheck size={18} aria-hidden="true" /> : <AlertTriangle size={18} aria-hidden="true" />}
      <div className="grow">
        <p className="banner-line">{message.lost}</p>
        <p className="banner-line">{message.repair}</p>
      </div>
    </div>
  );
}
