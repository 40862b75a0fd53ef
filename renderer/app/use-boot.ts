// Starting the app on this device: the profile, the communities listed in the store, this device's
// identity and agreement keys, and what the host says about itself. Nothing is shown until this is
// done, and a failure says why instead of starting on half a device.
import { useEffect, useState } from 'react';
import type { AppInfo, HostApi } from '../../shared/host-api.js';
import type { CommunityEntry, StoreProblem } from '../../shared/store/store.js';
import { errorMessage } from '../../shared/errors.js';
import type { CommunityRegistry } from '../communities/community-registry.js';
import { ensureAgreementKey } from '../profile/agreement-key.js';
import { ensureDeviceIdentity, IdentityKeyProblem, type KeyProtection } from '../profile/device-identity.js';
import { applyLinkedMember } from '../profile/device-link.js';
import { adoptIdentity, loadProfile, type Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';

export type Boot =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string; readonly identityProblem?: IdentityKeyProblem }
  | {
      readonly status: 'ready';
      readonly profile: Profile | null;
      readonly damagedProfile: boolean;
      readonly salvagedMemberId: string | null;
    };

export function useBoot(store: DeviceStore, host: HostApi, registry: CommunityRegistry) {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const [communities, setCommunities] = useState<readonly CommunityEntry[]>([]);
  const [storeProblems, setStoreProblems] = useState<readonly StoreProblem[]>([]);
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);
  const [keyProtection, setKeyProtection] = useState<KeyProtection | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const [loaded, listed, device, agreement] = await Promise.all([
          loadProfile(store),
          store.listCommunities(),
          ensureDeviceIdentity(store, host),
          ensureAgreementKey(store),
        ]);
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
        if (!cancelled)
          setBoot({
            status: 'failed',
            message: errorMessage(error),
            identityProblem: error instanceof IdentityKeyProblem ? error : undefined,
          });
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

  return { boot, setBoot, communities, setCommunities, storeProblems, appInfo, keyProtection };
}
