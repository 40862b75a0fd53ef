// A community's home: what this member may see (opening, waiting, declined, or the community), and
// the page that puts its header, section tabs, the open section and the side column together.
import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { AlertTriangle, RotateCcw } from 'lucide-react';
import { InviteDialog } from '../sync/InviteDialog.js';
import { useOnlineMembers } from '../sync/use-sync.js';
import { useLastSeen } from '../sync/last-seen.js';
import type { CommunityView } from '../../shared/community/queries.js';
import { MemberAvatarsContext } from '../ui/Avatar.js';
import type { HostApi } from '../../shared/host-api.js';
import type { Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';
import type { CommunityRegistry } from './community-registry.js';
import { SECTIONS, type ItemFocus, type SectionId, type SectionProps } from './sections.js';
import { useCommunity } from './use-community.js';
import { IdentityContext, useMembership } from './use-membership.js';
import { memberAccess, type MemberAccess } from '../../shared/community/access.js';
import { PostingGateContext } from '../access/posting-gate.js';
import { useConductHash } from '../access/use-conduct.js';
import { DeclinedScreen, WaitingScreen } from '../access/WaitingScreen.js';
import '../access/access.css';
import { AccessBanner, useEpochAccess } from '../sync/AccessBanner.js';
import { DamagedStorageBanner, NotArrivedBanner, ProblemsBanner } from './CommunityBanners.js';
import { CommunityDialogs, type CommunityDialog } from './CommunityDialogs.js';
import { CommunityHeader } from './CommunityHeader.js';
import { CommunitySideColumn } from './CommunitySideColumn.js';
import { SectionCards, SectionTabs } from './SectionTabs.js';
import { isLastOwner, isModerator, postingGate } from './member-standing.js';

export interface CommunityHomeProps {
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
}

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
}: CommunityHomeProps) {
  const [attempt, setAttempt] = useState(0);
  const { section, focus, openSection } = useSectionFocus(requestedFocus, onFocusTaken);
  const state = useCommunity(registry, communityId, attempt);
  const [inviting, setInviting] = useState(false);
  const online = useOnlineMembers(state.status === 'ready' ? state.community.sync : null);
  const lastSeen = useLastSeen(store, communityId, online);
  const membership = useMembership(state.status === 'ready' ? state.community.doc : EMPTY_DOC, communityId);
  const identity = registry.identityOrNull();
  const me = identity?.memberId ?? profile.memberId;
  const codeOfConduct = state.status === 'ready' ? (state.view.meta?.codeOfConduct ?? '') : '';
  const currentConduct = useConductHash(codeOfConduct);
  const standing = membership && currentConduct !== undefined ? memberAccess(membership, me, currentConduct) : null;
  const [dialog, setDialog] = useState<CommunityDialog | null>(null);
  useConductPrompt(standing, currentConduct, setDialog);
  const access = useEpochAccess(state.status === 'ready' ? state.community.sync : null);
  const viewMembers = state.status === 'ready' ? state.view.members : NO_MEMBERS;
  // Every avatar of a member in this community shows the look they chose in their profile.
  const avatars = useMemo(
    () => new Map(viewMembers.flatMap((member) => (member.avatar ? [[member.id, member.avatar] as const] : []))),
    [viewMembers],
  );

  // Until the membership log is verified, whether this member waits or takes part is not known.
  if (state.status === 'loading' || (state.status === 'ready' && standing === null)) return <OpeningCommunity />;
  if (state.status === 'error') return <CommunityOpenError message={state.message} onRetry={() => setAttempt((value) => value + 1)} />;

  const { view, community } = state;
  const meta = view.meta;
  const sectionProps: SectionProps = { community, view, profile, store, host, openSection, focus, onEditProfile };
  const current = SECTIONS.find((item) => item.id === section);
  const name = meta?.name ?? community.entry.name;
  const nameOf = (id: string) => view.members.find((member) => member.id === id)?.displayName ?? 'A former member';
  // With a signed log, the list follows the log: not newcomers still waiting, nor members who left.
  const members = membership?.signed ? view.members.filter((member) => membership.roles.has(member.id)) : view.members;
  const moderator = membership !== null && identity !== null && isModerator(membership, identity);
  const gate = postingGate(meta !== null, standing, () => setDialog('conduct'));
  const dialogs = (withEditConduct: boolean) => (
    <CommunityDialogs
      dialog={dialog}
      doc={community.doc}
      communityId={communityId}
      communityName={name}
      identity={identity}
      codeOfConduct={codeOfConduct}
      currentConduct={currentConduct}
      conductChanged={membership?.conduct.has(me) === true}
      waiting={standing?.kind === 'waiting'}
      lastOwner={membership !== null && isLastOwner(membership, me)}
      withEditConduct={withEditConduct}
      onClose={() => setDialog(null)}
      onLeave={() => onLeave({ tell: true })}
    />
  );

  // A newcomer who was declined never saw the community: the same screen tells them so. (A member
  // removed later keeps reading what was there; the banner of the key rotation says so.)
  const declinedBy =
    standing?.kind === 'outside'
      ? [...(membership?.audit ?? [])].reverse().find((entry) => entry.subject === me && entry.kind === 'decline')?.by
      : undefined;
  if (standing?.kind === 'waiting' || declinedBy) {
    const screenCommunity = { id: communityId, name, purpose: meta?.purpose ?? '', sync: community.sync, logKeeper: community.logKeeper };
    return (
      <article className="community" aria-label={name}>
        {standing?.kind === 'waiting' ? (
          <WaitingScreen community={screenCommunity} since={standing.since} onLeave={() => setDialog('leave')} />
        ) : (
          <DeclinedScreen
            community={screenCommunity}
            declinedBy={nameOf(declinedBy ?? '')}
            onForget={() => void onLeave({ tell: false })}
          />
        )}
        {dialogs(false)}
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
            <AccessBanner
              access={access}
              nameOf={(id) => view.members.find((member) => member.id === id)?.displayName ?? 'a facilitator'}
            />
            {meta ? null : <NotArrivedBanner name={community.entry.name} />}
            <CommunityHeader
              communityId={communityId}
              name={name}
              meta={meta}
              memberCount={members.length}
              waitingToJoin={moderator ? membership.waiting.size : 0}
              canInvite={access?.kind !== 'excluded'}
              sync={community.sync}
              logKeeper={community.logKeeper}
              onInvite={() => setInviting(true)}
              onLeave={() => setDialog('leave')}
              onShowWaiting={() => openSection('home')}
            />
            <SectionTabs section={section} sectionProps={sectionProps} onOpen={openSection} />
            <div className="community-body" style={current?.fullWidth ? { gridTemplateColumns: 'minmax(0, 1fr)' } : undefined}>
              <div role="tabpanel" aria-label={current?.label ?? 'Home'}>
                {current ? (
                  <current.Panel {...sectionProps} />
                ) : (
                  <SectionCards doc={community.doc} sectionProps={sectionProps} onOpen={openSection} />
                )}
              </div>
              <CommunitySideColumn
                doc={community.doc}
                communityId={communityId}
                meta={meta}
                identity={identity}
                membership={membership}
                changes={community.changes}
                moderator={moderator}
                members={members}
                me={profile.memberId}
                onlineIds={new Set(online.map((member) => member.id))}
                lastSeen={lastSeen}
                nameOf={nameOf}
                hidden={current?.fullWidth === true}
                onRemoveMember={(memberId) => registry.removeMember(communityId, memberId)}
                onOpenMembers={() => openSection('members')}
                onEditConduct={() => setDialog('edit-conduct')}
              />
            </div>
            <InviteDialog
              open={inviting}
              onClose={() => setInviting(false)}
              entry={community.entry}
              communityName={name}
              host={host}
              store={store}
            />
            {dialogs(true)}
          </article>
        </MemberAvatarsContext>
      </PostingGateContext>
    </IdentityContext>
  );
}

/** Which section is open, and the item it was asked to show (a search result); choosing a tab lets go of it. */
function useSectionFocus(requestedFocus: ItemFocus | null, onFocusTaken: (() => void) | undefined) {
  const [section, setSection] = useState<SectionId | 'home'>('home');
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
  return { section, focus, openSection };
}

/** The code of conduct opens by itself once per text; "Not now" holds until the text changes. */
function useConductPrompt(
  standing: MemberAccess | null,
  currentConduct: string | null | undefined,
  setDialog: (update: (open: CommunityDialog | null) => CommunityDialog | null) => void,
): void {
  const [conductShownFor, setConductShownFor] = useState<string | null>(null);
  useEffect(() => {
    if (standing?.kind !== 'needs-conduct' || !currentConduct || conductShownFor === currentConduct) return;
    setConductShownFor(currentConduct);
    setDialog((open) => open ?? 'conduct');
  }, [standing?.kind, currentConduct, conductShownFor, setDialog]);
}

function OpeningCommunity() {
  return (
    <div className="center-stage" style={{ background: 'none' }}>
      <div className="splash" role="status">
        <span className="spinner" aria-hidden="true" />
        Opening community…
      </div>
    </div>
  );
}

function CommunityOpenError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="community">
      <div className="banner danger" role="alert">
        <AlertTriangle size={18} aria-hidden="true" />
        <div className="grow">
          <strong>This community could not be opened.</strong> {message} Nothing stored was changed.
        </div>
        <button type="button" className="button" onClick={onRetry}>
          <RotateCcw size={16} aria-hidden="true" /> Try again
        </button>
      </div>
    </div>
  );
}

// useMembership needs a document before the community has loaded; an empty one verifies to nothing.
const EMPTY_DOC = new Y.Doc();
const NO_MEMBERS: CommunityView['members'] = [];
