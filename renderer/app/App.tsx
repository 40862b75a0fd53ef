// The app's top level: opens the local store, asks a new member for their name, then shows the
// sidebar of communities and the one that is open.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AlertTriangle, Plus, Users } from 'lucide-react';
import type { AppInfo, HostApi } from '../../shared/host-api.js';
import type { CommunityEntry, StoreProblem } from '../../shared/store/store.js';
import { CommunityHome } from '../communities/CommunityHome.js';
import { CommunityRegistry } from '../communities/community-registry.js';
import { NewCommunityDialog, type NewCommunityInput } from '../communities/NewCommunityDialog.js';
import { Sidebar } from '../communities/Sidebar.js';
import { FirstRun } from '../profile/FirstRun.js';
import { ProfileDialog } from '../profile/ProfileDialog.js';
import { adoptIdentity, loadProfile, saveProfile, type Profile, type ProfileEdit } from '../profile/profile.js';
import { ensureDeviceIdentity, IdentityKeyProblem, type KeyProtection } from '../profile/device-identity.js';
import { IdentityKeyProblemCard } from '../profile/IdentityKeyProblemCard.js';
import type { DexieStore } from '../store/dexie-store.js';
import { ensureAgreementKey } from '../profile/agreement-key.js';
import { acceptOnThisDevice, applyLinkedMember, linkStarter, offerFromThisDevice } from '../profile/device-link.js';
import { LinkDeviceDialog } from '../profile/LinkDeviceDialog.js';
import { YourDevices } from '../profile/YourDevices.js';
import { EmptyState } from '../ui/EmptyState.js';
import { Toast, type ToastMessage } from '../ui/Toast.js';
import { useHashRoute } from './use-hash-route.js';
import type { Invite } from '../../shared/sync/invite.js';
import { errorMessage } from '../../shared/errors.js';
import { JoinDialog } from '../sync/JoinDialog.js';
import { createSyncStarter } from '../sync/sync-starter.js';
import { targetOf, type SearchTarget } from '../search/item-focus.js';
import { SearchPalette, useSearchShortcut } from '../search/SearchPalette.js';
import { useSearchIndex } from '../search/use-search-index.js';

const NO_COMMUNITIES: readonly CommunityEntry[] = [];

type Boot =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string; readonly identityProblem?: IdentityKeyProblem }
  | { readonly status: 'ready'; readonly profile: Profile | null; readonly damagedProfile: boolean; readonly salvagedMemberId: string | null };

export function App({ store, host }: { store: DexieStore; host: HostApi }) {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [communities, setCommunities] = useState<readonly CommunityEntry[]>([]);
  const [storeProblems, setStoreProblems] = useState<readonly StoreProblem[]>([]);
  const [backgroundError, setBackgroundError] = useState<string | null>(null);
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);
  const [keyProtection, setKeyProtection] = useState<KeyProtection | null>(null);
  const [dialog, setDialog] = useState<'new-community' | 'join' | 'profile' | null>(null);
  const [joinCode, setJoinCode] = useState('');
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const dismissToast = useCallback(() => setToast(null), []);
  const [route, navigate] = useHashRoute();
  const startSync = useMemo(() => createSyncStarter(host, store), [host, store]);
  const registry = useMemo(
    () => new CommunityRegistry(store, (error) => setBackgroundError(errorMessage(error)), startSync),
    [store, startSync],
  );
  // Linking devices: 'offer' on the device already in use (from Your profile), 'accept' on a new one.
  const [linking, setLinking] = useState<'offer' | 'accept' | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const [loaded, listed, device, agreement] = await Promise.all([loadProfile(store), store.listCommunities(), ensureDeviceIdentity(store, host), ensureAgreementKey(store)]);
        // A device linked to another's identity signs as that member (renderer/profile/device-link.ts).
        const identity = await applyLinkedMember(store, device.identity);
        registry.setIdentity(identity);
        registry.setAgreementKey(agreement);
        const profile = loaded.profile ? await adoptIdentity(store, loaded.profile, identity) : null;
        if (cancelled) return;
        setKeyProtection(device.protection);
        setCommunities(listed.communities);
        setStoreProblems(listed.problems);
        setBoot({ status: 'ready', profile, damagedProfile: loaded.damaged, salvagedMemberId: loaded.salvagedMemberId });
      } catch (error) {
        if (!cancelled) setBoot({ status: 'failed', message: errorMessage(error), identityProblem: error instanceof IdentityKeyProblem ? error : undefined });
      }
    })();
    host.getAppInfo().then(setAppInfo, () => undefined);
    // Flush every open community when the window goes away; appends are already under way by then.
    const flush = () => void registry.closeAll();
    window.addEventListener('pagehide', flush);
    return () => {
      cancelled = true;
      window.removeEventListener('pagehide', flush);
    };
  }, [store, host, registry]);

  // Every community on this device syncs in the background, not only the one on screen.
  const readyProfile = boot.status === 'ready' ? boot.profile : null;
  useEffect(() => {
    if (!readyProfile) return;
    registry.setProfile(readyProfile);
    for (const community of communities) void registry.get(community.id).catch(() => undefined);
    // A community made or joined since, or one whose record a peer damaged, gets the member's name and
    // profile; records already in step are not rewritten.
    void registry.renameMember(readyProfile).catch(() => undefined);
  }, [registry, readyProfile, communities]);

  // Search covers every community on this device, once the member is known (as the background sync).
  const search = useSearchIndex(registry, readyProfile ? communities : NO_COMMUNITIES);
  const [searching, setSearching] = useState(false);
  const [searchTarget, setSearchTarget] = useState<SearchTarget | null>(null);
  const openSearch = useCallback(() => setSearching(true), []);
  const searchTargetTaken = useCallback(() => setSearchTarget(null), []);
  useSearchShortcut(readyProfile ? openSearch : null);

  const currentId = route.communityId && communities.some((community) => community.id === route.communityId) ? route.communityId : (communities[0]?.id ?? null);

  // Remember when each community was last opened, so the sidebar lists the recent ones first next time.
  useEffect(() => {
    if (!currentId) return;
    const entry = communities.find((community) => community.id === currentId);
    if (!entry) return;
    registry.get(currentId).then(
      (community) => registry.touch(entry, community.doc),
      () => undefined,
    );
    // Only a change of community counts as opening one; a rename of the list must not.
  }, [currentId, registry]);

  // An invite link opened the app (hearth:// on the desktop, #/join/ in browser mode): offer to join.
  useEffect(() => host.onJoinLink((code) => {
    setJoinCode(code);
    setDialog('join');
  }), [host]);
  useEffect(() => {
    if (!route.joinCode) return;
    setJoinCode(route.joinCode);
    setDialog('join');
    navigate({ communityId: null });
  }, [route.joinCode, navigate]);

  const openNewCommunity = useCallback(() => setDialog('new-community'), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'n') {
        event.preventDefault();
        openNewCommunity();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openNewCommunity]);

  if (boot.status === 'loading') {
    return (
      <main className="center-stage">
        <div className="splash" role="status">
          <span className="spinner" aria-hidden="true" />
          Opening Hearth…
        </div>
      </main>
    );
  }
  if (boot.status === 'failed' && boot.identityProblem) {
    return (
      <IdentityKeyProblemCard
        problem={boot.identityProblem}
        onStartOver={async () => {
          await ensureDeviceIdentity(store, host, { startOver: true });
          window.location.reload();
        }}
      />
    );
  }
  if (boot.status === 'failed') {
    return (
      <main className="center-stage">
        <div className="welcome-card" role="alert">
          <h1 style={{ fontSize: 'var(--text-xl)' }}>Hearth could not open its storage</h1>
          <p className="lede">{boot.message}</p>
          <p className="lede">Nothing was changed or deleted. Close other Hearth windows and reload; if this keeps happening, check that this browser allows site storage.</p>
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
  if (!boot.profile) {
    return (
      <>
      <FirstRun
        damaged={boot.damagedProfile}
        onLinkDevice={() => setLinking('accept')}
        onSubmit={async (displayName) => {
          const profile = await saveProfile(store, displayName, { memberId: registry.requireIdentity().memberId, previousMemberIds: boot.salvagedMemberId ? [boot.salvagedMemberId] : [] });
          setBoot({ status: 'ready', profile, damagedProfile: false, salvagedMemberId: null });
        }}
      />
      <LinkDeviceDialog
        open={linking === 'accept'}
        mode="accept"
        onClose={() => setLinking(null)}
        offer={() => Promise.reject(new Error('This device has nobody to link yet.'))}
        accept={async (code) => {
          const agreement = registry.agreementKeyOrNull();
          if (!agreement) throw new Error('This device is still making its keys; try again in a moment.');
          await acceptOnThisDevice({ code, start: linkStarter(startSync), store, identity: registry.requireIdentity(), agreement });
          // Start again as the linked member, with their communities.
          window.location.reload();
        }}
      />
      </>
    );
  }
  const profile = boot.profile;

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
    setBoot({ status: 'ready', profile: updated, damagedProfile: false, salvagedMemberId: null });
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
        onSearch={openSearch}
      />
      <main className="main">
        {storeProblems.length > 0 || backgroundError ? (
          <div style={{ padding: '16px 32px 0', display: 'grid', gap: 8 }}>
            {storeProblems.length > 0 ? (
              <div className="banner warn" role="status">
                <AlertTriangle size={18} aria-hidden="true" />
                <div className="grow">
                  {storeProblems.length === 1 ? 'One community entry' : `${storeProblems.length} community entries`} on this device could not be read and
                  {storeProblems.length === 1 ? ' is' : ' are'} not listed. The data is still stored.
                </div>
              </div>
            ) : null}
            {backgroundError ? (
              <div className="banner danger" role="alert">
                <AlertTriangle size={18} aria-hidden="true" />
                <div className="grow">Saving on this device failed: {backgroundError}. Your changes are kept in memory and saved again with the next change.</div>
                <button type="button" className="button" onClick={() => setBackgroundError(null)}>
                  Dismiss
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
        {currentId ? (
          <CommunityHome
            key={currentId}
            registry={registry}
            communityId={currentId}
            profile={profile}
            store={store}
            host={host}
            focus={searchTarget?.communityId === currentId ? searchTarget : null}
            onFocusTaken={searchTargetTaken}
            onLeave={({ tell }) => leaveCommunity(currentId, tell)}
            onEditProfile={() => setDialog('profile')}
          />
        ) : (
          <div className="center-stage" style={{ background: 'none' }}>
            <EmptyState
              big
              icon={<Users size={28} />}
              title="Start your first community"
              action={
                <button type="button" className="button primary large" onClick={openNewCommunity} style={{ marginTop: 12 }}>
                  <Plus size={18} aria-hidden="true" /> New community
                </button>
              }
            >
              A home for your mastermind, coaching group or club: notes, threads, boards and sessions that live on your members’ devices, not on someone else’s server.
            </EmptyState>
          </div>
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
        open={searching}
        onClose={() => setSearching(false)}
        index={search}
        communities={communities}
        currentId={currentId}
        onPick={(hit) => {
          const target = targetOf(hit);
          setSearchTarget(target);
          if (target.communityId !== currentId) navigate({ communityId: target.communityId });
        }}
      />
      <NewCommunityDialog open={dialog === 'new-community'} onClose={() => setDialog(null)} onCreate={createCommunity} />
      <ProfileDialog
        open={dialog === 'profile'}
        profile={profile}
        appInfo={appInfo}
        keyProtection={keyProtection}
        store={store}
        onClose={() => setDialog(null)}
        onSave={updateProfile}
        // Every community reconnects with the new servers; a reload is the simplest honest way.
        onNetworkChanged={() => window.location.reload()}
        onLinkDevice={() => {
          setDialog(null);
          setLinking('offer');
        }}
        devices={dialog === 'profile' ? <YourDevices registry={registry} /> : null}
      />
      <LinkDeviceDialog
        open={linking === 'offer'}
        mode="offer"
        onClose={() => setLinking(null)}
        offer={(code, confirm, signal) => offerFromThisDevice({ code, start: linkStarter(startSync), registry, store, profile, confirm, signal })}
        accept={() => Promise.reject(new Error('This device already has an identity.'))}
      />
    </div>
  );
}
