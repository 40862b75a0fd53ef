// The app once a member is in: the sidebar of communities, the open one (or the invitation to start
// one), the store's warnings, and the dialogs that make, join and leave communities, edit the
// profile, search, and link another device.
import { useCallback, useState } from 'react';
import { AlertTriangle, Plus, Users } from 'lucide-react';
import type { AppInfo, HostApi } from '../../shared/host-api.js';
import type { CommunityEntry, StoreProblem } from '../../shared/store/store.js';
import type { Invite } from '../../shared/sync/invite.js';
import { CommunityHome } from '../communities/CommunityHome.js';
import type { CommunityRegistry, SyncStarter } from '../communities/community-registry.js';
import { NewCommunityDialog, type NewCommunityInput } from '../communities/NewCommunityDialog.js';
import { Sidebar } from '../communities/Sidebar.js';
import type { KeyProtection } from '../profile/device-identity.js';
import { linkStarter, offerFromThisDevice } from '../profile/device-link.js';
import { LinkDeviceDialog } from '../profile/LinkDeviceDialog.js';
import { ProfileDialog } from '../profile/ProfileDialog.js';
import { saveProfile, type Profile, type ProfileEdit } from '../profile/profile.js';
import { YourDevices } from '../profile/YourDevices.js';
import { targetOf } from '../search/item-focus.js';
import { SearchPalette } from '../search/SearchPalette.js';
import type { DeviceStore } from '../store/device-store.js';
import { JoinDialog } from '../sync/JoinDialog.js';
import { EmptyState } from '../ui/EmptyState.js';
import { Toast, type ToastMessage } from '../ui/Toast.js';
import type { AppDialogs } from './use-app-dialogs.js';
import type { AppSearch } from './use-app-search.js';
import type { Route } from './use-hash-route.js';

export interface CommunityShellProps {
  readonly store: DeviceStore;
  readonly host: HostApi;
  readonly registry: CommunityRegistry;
  readonly startSync: SyncStarter;
  readonly profile: Profile;
  readonly communities: readonly CommunityEntry[];
  readonly setCommunities: (update: (list: readonly CommunityEntry[]) => readonly CommunityEntry[]) => void;
  readonly currentId: string | null;
  readonly navigate: (route: Route) => void;
  readonly storeProblems: readonly StoreProblem[];
  readonly backgroundError: string | null;
  readonly onDismissBackgroundError: () => void;
  readonly appInfo: AppInfo | null;
  readonly keyProtection: KeyProtection | null;
  readonly dialogs: AppDialogs;
  readonly search: AppSearch;
  readonly onProfileSaved: (profile: Profile) => void;
}

export function CommunityShell(props: CommunityShellProps) {
  const { store, host, registry, startSync, profile, communities, setCommunities, currentId, navigate, dialogs, search, onProfileSaved } =
    props;
  const { dialog, setDialog, joinCode, setJoinCode, openNewCommunity } = dialogs;
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismissToast = useCallback(() => setToast(null), []);
  // Linking another device to this member, from Your profile.
  const [linking, setLinking] = useState(false);

  async function createCommunity(input: NewCommunityInput) {
    const entry = await registry.create(input, profile);
    setCommunities((list) => [entry, ...list.filter((community) => community.id !== entry.id)]);
    setDialog(null);
    navigate({ communityId: entry.id });
  }

  async function leaveCommunity(communityId: string, tell: boolean) {
    const name = communities.find((community) => community.id === communityId)?.name ?? 'The community';
    const { peers } = await registry.leave(communityId, { tell });
    setCommunities((list) => list.filter((community) => community.id !== communityId));
    navigate({ communityId: null });
    const message = !tell
      ? `${name} is no longer on this device.`
      : peers > 0
        ? `You left ${name}. The members online were told, and it is no longer on this device.`
        : `You left ${name} and it is no longer on this device. No other member was online, so they may not learn that you left.`;
    setToast({ id: Date.now(), message });
  }

  async function joinCommunity(invite: Invite) {
    const entry = await registry.join(invite, profile);
    if (registry.renewed) {
      // The invite carried a newer key for a community this device was left behind in: start again on it.
      window.location.hash = `#/c/${entry.id}`;
      window.location.reload();
      return;
    }
    setCommunities((list) => [entry, ...list.filter((community) => community.id !== entry.id)]);
    setDialog(null);
    navigate({ communityId: entry.id });
  }

  async function updateProfile({ displayName, avatar, bio, timeZone }: ProfileEdit) {
    const updated = await saveProfile(store, displayName, { ...profile, avatar, bio, timeZone });
    await registry.renameMember(updated);
    onProfileSaved(updated);
  }

  return (
    <div className="shell">
      <Sidebar
        communities={communities}
        currentId={currentId}
        profile={profile}
        onSelect={(communityId) => navigate({ communityId })}
        onNew={openNewCommunity}
        onJoin={() => {
          setJoinCode('');
          setDialog('join');
        }}
        onEditProfile={() => setDialog('profile')}
        onSearch={search.openSearch}
      />
      <main className="main">
        <StoreBanners
          storeProblems={props.storeProblems}
          backgroundError={props.backgroundError}
          onDismiss={props.onDismissBackgroundError}
        />
        {currentId ? (
          <CommunityHome
            key={currentId}
            registry={registry}
            communityId={currentId}
            profile={profile}
            store={store}
            host={host}
            focus={search.searchTarget?.communityId === currentId ? search.searchTarget : null}
            onFocusTaken={search.searchTargetTaken}
            onLeave={({ tell }) => leaveCommunity(currentId, tell)}
            onEditProfile={() => setDialog('profile')}
          />
        ) : (
          <NoCommunityYet onNew={openNewCommunity} />
        )}
      </main>
      <Toast toast={toast} onDismiss={dismissToast} />
      <JoinDialog
        open={dialog === 'join'}
        initialCode={joinCode}
        onClose={() => {
          setDialog(null);
          setJoinCode('');
        }}
        onJoin={joinCommunity}
      />
      <SearchPalette
        open={search.searching}
        onClose={search.closeSearch}
        index={search.index}
        communities={communities}
        currentId={currentId}
        onPick={(hit) => {
          const target = targetOf(hit);
          search.setSearchTarget(target);
          if (target.communityId !== currentId) navigate({ communityId: target.communityId });
        }}
      />
      <NewCommunityDialog open={dialog === 'new-community'} onClose={() => setDialog(null)} onCreate={createCommunity} />
      <ProfileDialog
        open={dialog === 'profile'}
        profile={profile}
        appInfo={props.appInfo}
        keyProtection={props.keyProtection}
        store={store}
        onClose={() => setDialog(null)}
        onSave={updateProfile}
        // Every community reconnects with the new servers; a reload is the simplest honest way.
        onNetworkChanged={() => window.location.reload()}
        onLinkDevice={() => {
          setDialog(null);
          setLinking(true);
        }}
        devices={dialog === 'profile' ? <YourDevices registry={registry} /> : null}
      />
      <LinkDeviceDialog
        open={linking}
        mode="offer"
        onClose={() => setLinking(false)}
        offer={(code, confirm, signal) =>
          offerFromThisDevice({ code, start: linkStarter(startSync), registry, store, profile, confirm, signal })
        }
        accept={() => Promise.reject(new Error('This device already has an identity.'))}
      />
    </div>
  );
}

/** What went wrong with the store on this device: entries it could not read, a save that failed. */
function StoreBanners({
  storeProblems,
  backgroundError,
  onDismiss,
}: {
  storeProblems: readonly StoreProblem[];
  backgroundError: string | null;
  onDismiss: () => void;
}) {
  if (storeProblems.length === 0 && !backgroundError) return null;
  return (
    <div style={{ padding: '16px 32px 0', display: 'grid', gap: 8 }}>
      {storeProblems.length > 0 ? (
        <div className="banner warn" role="status">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            {storeProblems.length === 1 ? 'One community entry' : `${storeProblems.length} community entries`} on this device could not be
            read and
            {storeProblems.length === 1 ? ' is' : ' are'} not listed. The data is still stored.
          </div>
        </div>
      ) : null}
      {backgroundError ? (
        <div className="banner danger" role="alert">
          <AlertTriangle size={18} aria-hidden="true" />
          <div className="grow">
            Saving on this device failed: {backgroundError}. Your changes are kept in memory and saved again with the next change.
          </div>
          <button type="button" className="button" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}

function NoCommunityYet({ onNew }: { onNew: () => void }) {
  return (
    <div className="center-stage" style={{ background: 'none' }}>
      <EmptyState
        big
        icon={<Users size={28} />}
        title="Start your first community"
        action={
          <button type="button" className="button primary large" onClick={onNew} style={{ marginTop: 12 }}>
            <Plus size={18} aria-hidden="true" /> New community
          </button>
        }
      >
        A home for your mastermind, coaching group or club: notes, threads, boards and sessions that live on your members’ devices, not on
        someone else’s server.
      </EmptyState>
    </div>
  );
}
