// The app's top level: opens the local store, asks a new member for their name, then shows the
// sidebar of communities and the one that is open. The pieces live beside it: starting the device
// (use-boot.ts), the screens before a member is in (BootScreens.tsx), the app's dialogs and search
// (use-app-dialogs.ts, use-app-search.ts) and the signed-in view (CommunityShell.tsx).
import { useEffect, useMemo, useState } from 'react';
import type { HostApi } from '../../shared/host-api.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import { errorMessage } from '../../shared/errors.js';
import { CommunityRegistry } from '../communities/community-registry.js';
import type { Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';
import { createSyncStarter } from '../sync/sync-starter.js';
import { BootScreen, FirstRunScreen } from './BootScreens.js';
import { CommunityShell } from './CommunityShell.js';
import { useAppDialogs } from './use-app-dialogs.js';
import { useAppSearch } from './use-app-search.js';
import { useBoot } from './use-boot.js';
import { useHashRoute } from './use-hash-route.js';

export function App({ store, host }: { store: DeviceStore; host: HostApi }) {
  const [backgroundError, setBackgroundError] = useState<string | null>(null);
  const [route, navigate] = useHashRoute();
  const startSync = useMemo(() => createSyncStarter(host, store), [host, store]);
  const registry = useMemo(
    () => new CommunityRegistry(store, (error) => setBackgroundError(errorMessage(error)), startSync),
    [store, startSync],
  );
  const { boot, setBoot, communities, setCommunities, storeProblems, appInfo, keyProtection } = useBoot(store, host, registry);

  const readyProfile = boot.status === 'ready' ? boot.profile : null;
  useBackgroundSync(registry, readyProfile, communities);
  const search = useAppSearch(registry, readyProfile !== null, communities);

  const currentId =
    route.communityId && communities.some((community) => community.id === route.communityId)
      ? route.communityId
      : (communities[0]?.id ?? null);
  useRememberOpened(registry, currentId, communities);
  const dialogs = useAppDialogs(host, route, navigate);

  const profileSaved = (profile: Profile) => setBoot({ status: 'ready', profile, damagedProfile: false, salvagedMemberId: null });

  if (boot.status !== 'ready') return <BootScreen boot={boot} store={store} host={host} />;
  if (!boot.profile) {
    return (
      <FirstRunScreen
        store={store}
        registry={registry}
        startSync={startSync}
        damagedProfile={boot.damagedProfile}
        salvagedMemberId={boot.salvagedMemberId}
        onProfileSaved={profileSaved}
      />
    );
  }
  return (
    <CommunityShell
      store={store}
      host={host}
      registry={registry}
      startSync={startSync}
      profile={boot.profile}
      communities={communities}
      setCommunities={setCommunities}
      currentId={currentId}
      navigate={navigate}
      storeProblems={storeProblems}
      backgroundError={backgroundError}
      onDismissBackgroundError={() => setBackgroundError(null)}
      appInfo={appInfo}
      keyProtection={keyProtection}
      dialogs={dialogs}
      search={search}
      onProfileSaved={profileSaved}
    />
  );
}

/** Every community on this device syncs in the background, not only the one on screen. */
function useBackgroundSync(registry: CommunityRegistry, profile: Profile | null, communities: readonly CommunityEntry[]) {
  useEffect(() => {
    if (!profile) return;
    registry.setProfile(profile);
    for (const community of communities) void registry.get(community.id).catch(() => undefined);
    // A community made or joined since, or one whose record a peer damaged, gets the member's name and
    // profile; records already in step are not rewritten.
    void registry.renameMember(profile).catch(() => undefined);
  }, [registry, profile, communities]);
}

/** Remember when each community was last opened, so the sidebar lists the recent ones first next time. */
function useRememberOpened(registry: CommunityRegistry, currentId: string | null, communities: readonly CommunityEntry[]) {
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
}
