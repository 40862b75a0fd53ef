// Linking devices from the app: the first device shows a code and vouches for the new device in each
// of its communities; the new device types the code and takes on the member's id, profile and
// communities. The new device keeps its own keys (made on first run, like any device's): only the
// member id it signs as changes, recorded here and applied at every start.
import { Awareness } from 'y-protocols/awareness';
import { z } from 'zod';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import {
  acceptLink,
  offerLink,
  type LinkCode,
  type LinkGrant,
  type LinkRequest,
  type LinkStarter,
} from '../../shared/identity/device-link.js';
import type { Identity } from '../../shared/identity/identity.js';
import { ID_PATTERN } from '../../shared/ids.js';
import type { AgreementKeyPair } from '../../shared/sync/epochs.js';
import type { CommunityRegistry, SyncStarter } from '../communities/community-registry.js';
import type { CommunityStore } from '../../shared/store/store.js';
import type { DeviceSettings } from '../store/device-store.js';
import { profileSchema, type Profile } from './profile.js';

/** Linking reads and writes settings and copies the communities across. */
type LinkingStore = DeviceSettings & Pick<CommunityStore, 'listCommunities' | 'putCommunity'>;

const LINKED_MEMBER_KEY = 'linkedMember';

const linkedMemberSchema = z.object({ memberId: z.string().regex(ID_PATTERN), publicKey: z.string().min(1) });

/** The member this device signs as: its own key's id, or the id of the member it was linked to. */
export async function applyLinkedMember(store: DeviceSettings, identity: Identity): Promise<Identity> {
  const parsed = linkedMemberSchema.safeParse(await store.getSetting(LINKED_MEMBER_KEY));
  // Bound to the key it was granted for: a new key on this device (started over) is not linked.
  return parsed.success && parsed.data.publicKey === identity.publicKey ? { ...identity, memberId: parsed.data.memberId } : identity;
}

/** A sync of the link's throwaway document through this device's network, like a community's. */
export function linkStarter(startSync: SyncStarter): LinkStarter {
  return async (doc, room) => {
    const entry = { id: room.roomId, name: 'Linking a device', joinedAt: 0, lastOpenedAt: 0, signalingHints: [] };
    return startSync(doc, entry, { epoch: 0, secret: room.secret }, new Awareness(doc), null);
  };
}

/** A name the first device can show ("Chrome on Linux"), from what the browser says about itself. */
export function describeThisDevice(userAgent = navigator.userAgent): string {
  const browser = /Electron\//.test(userAgent)
    ? 'Hearth desktop'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(userAgent)
          ? 'Chromium'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : 'A browser';
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Linux/.test(userAgent)
          ? 'Linux'
          : 'another computer';
  return `${browser} on ${system}`;
}

/**
 * The first device's side: waits for the code to be typed, asks the member to confirm the device by
 * name, writes a signed `device` entry into every community it can, and hands over the rest.
 */
export async function offerFromThisDevice(options: {
  readonly code: LinkCode;
  readonly start: LinkStarter;
  readonly registry: CommunityRegistry;
  readonly store: LinkingStore;
  readonly profile: Profile;
  readonly confirm: (request: LinkRequest) => Promise<boolean>;
  readonly signal: { readonly aborted: boolean };
}): Promise<LinkRequest> {
  return offerLink({
    code: options.code,
    start: options.start,
    signal: options.signal,
    authorize: async (request) => {
      if (!(await options.confirm(request))) throw new Error('You did not confirm the device, so nothing was shared.');
      const identity = options.registry.requireIdentity();
      const communities: LinkGrant['communities'][number][] = [];
      for (const entry of (await options.store.listCommunities()).communities) {
        const community = await options.registry.get(entry.id).catch(() => null);
        if (!community || community.sync?.access().kind === 'excluded' || !entry.secret) continue;
        const held = await options.registry.heldEpoch(entry.id);
        await writeMembershipChange(community.doc, identity, entry.id, {
          kind: 'device',
          subject: identity.memberId,
          publicKey: request.publicKey,
          agreementKey: request.agreementKey,
          deviceName: request.deviceName,
        });
        await community.persisted.flush();
        communities.push({
          id: entry.id,
          name: entry.name,
          secret: entry.secret,
          epoch: held.epoch,
          signalingHints: [...(entry.signalingHints ?? [])].slice(0, 8),
        });
      }
      const { memberId: _memberId, ...profile } = options.profile;
      return { memberId: identity.memberId, profile, communities };
    },
  });
}

/**
 * The new device's side: sends its own public keys, then takes on the member it was linked to. The
 * caller reloads the app afterwards, so everything starts again as that member.
 */
export async function acceptOnThisDevice(options: {
  readonly code: LinkCode;
  readonly start: LinkStarter;
  readonly store: LinkingStore;
  readonly identity: Identity;
  readonly agreement: AgreementKeyPair;
}): Promise<LinkGrant> {
  const grant = await acceptLink({
    code: options.code,
    start: options.start,
    request: { publicKey: options.identity.publicKey, agreementKey: options.agreement.publicKey, deviceName: describeThisDevice() },
  });
  const profile = profileSchema.safeParse({ ...grant.profile, memberId: grant.memberId });
  const displayName = profile.success ? profile.data.displayName : 'Member';
  const now = Date.now();
  const known = new Set((await options.store.listCommunities()).communities.map((entry) => entry.id));
  for (const community of grant.communities) {
    if (known.has(community.id)) continue;
    await options.store.putCommunity({
      id: community.id,
      name: community.name || 'Community',
      joinedAt: now,
      lastOpenedAt: now,
      secret: community.secret,
      ...(community.epoch ? { epoch: community.epoch } : {}),
      signalingHints: community.signalingHints,
    });
  }
  await options.store.putSetting('profile', profile.success ? profile.data : { memberId: grant.memberId, displayName, createdAt: now });
  await options.store.putSetting(LINKED_MEMBER_KEY, { memberId: grant.memberId, publicKey: options.identity.publicKey });
  return grant;
}
