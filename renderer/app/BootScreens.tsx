// What the app shows before a member is in: the splash while the device opens, why it could not
// open, and the first run that asks a new member for their name (or links this device to another).
import { useState } from 'react';
import type { HostApi } from '../../shared/host-api.js';
import type { CommunityRegistry, SyncStarter } from '../communities/community-registry.js';
import { ensureDeviceIdentity } from '../profile/device-identity.js';
import { acceptOnThisDevice, linkStarter } from '../profile/device-link.js';
import { FirstRun } from '../profile/FirstRun.js';
import { IdentityKeyProblemCard } from '../profile/IdentityKeyProblemCard.js';
import { LinkDeviceDialog } from '../profile/LinkDeviceDialog.js';
import { saveProfile, type Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';
import type { Boot } from './use-boot.js';

/** The splash, or why the device could not open; null once it is ready. */
export function BootScreen({ boot, store, host }: { boot: Boot; store: DeviceStore; host: HostApi }) {
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
          <p className="lede">
            Nothing was changed or deleted. Close other Hearth windows and reload; if this keeps happening, check that this browser allows
            site storage.
          </p>
          <button type="button" className="button primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
  return null;
}

export interface FirstRunScreenProps {
  readonly store: DeviceStore;
  readonly registry: CommunityRegistry;
  readonly startSync: SyncStarter;
  readonly damagedProfile: boolean;
  /** A member id salvaged from a damaged profile, kept so this member's earlier writes stay theirs. */
  readonly salvagedMemberId: string | null;
  readonly onProfileSaved: (profile: Profile) => void;
}

/** A new member names themselves, or links this device to one they already use. */
export function FirstRunScreen({ store, registry, startSync, damagedProfile, salvagedMemberId, onProfileSaved }: FirstRunScreenProps) {
  const [linking, setLinking] = useState(false);
  return (
    <>
      <FirstRun
        damaged={damagedProfile}
        onLinkDevice={() => setLinking(true)}
        onSubmit={async (displayName) => {
          const profile = await saveProfile(store, displayName, {
            memberId: registry.requireIdentity().memberId,
            previousMemberIds: salvagedMemberId ? [salvagedMemberId] : [],
          });
          onProfileSaved(profile);
        }}
      />
      <LinkDeviceDialog
        open={linking}
        mode="accept"
        onClose={() => setLinking(false)}
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
