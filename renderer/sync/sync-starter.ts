// Starts a community's sync with this device's network: the host's own signaling service, the
// member's extra servers, the invite's hints, and ICE servers only if the member turned them on.
import type { HostApi } from '../../shared/host-api.js';
import { startCommunitySync } from '../../shared/sync/community-sync.js';
import { loopbackOnly } from '../../shared/sync/loopback-ice.js';
import type { SyncStarter } from '../communities/community-registry.js';
import type { DeviceSettings } from '../store/device-store.js';
import { PUBLIC_ICE_SERVERS, loadNetworkSettings } from './network-settings.js';
import { createSignalingWatch } from './signaling-watch.js';

export function createSyncStarter(host: HostApi, store: DeviceSettings): SyncStarter {
  // Servers the host finds later (LAN discovery) reach communities that are already syncing.
  const watch = createSignalingWatch(() => host.getNetwork());
  return async (doc, entry, epoch, awareness, changes) => {
    const [info, settings] = await Promise.all([watch.network(), loadNetworkSettings(store)]);
    if (epoch.secret.byteLength === 0) throw new Error(`The secret stored for “${entry.name}” is damaged; this community cannot sync.`);
    const signalingUrls = [...new Set([...info.signalingUrls, ...settings.extraSignalingUrls, ...(entry.signalingHints ?? [])])];
    const wrtc =
      info.icePolicy === 'loopback'
        ? loopbackOnly({
            RTCPeerConnection: window.RTCPeerConnection,
            RTCSessionDescription: window.RTCSessionDescription,
            RTCIceCandidate: window.RTCIceCandidate,
          })
        : undefined;
    const sync = await startCommunitySync({
      doc,
      communityId: entry.id,
      secret: epoch.secret,
      epoch: epoch.epoch,
      awareness,
      ...(changes ? { changes } : {}),
      signalingUrls,
      iceServers: settings.usePublicStun ? PUBLIC_ICE_SERVERS : [],
      ...(wrtc ? { wrtc } : {}),
    });
    await sync.ready;
    const untrack = watch.track(sync);
    return {
      ...sync,
      destroy() {
        untrack();
        sync.destroy();
      },
    };
  };
}

/** What an invite should carry: servers a friend on another machine could reach (not loopback). */
export async function inviteHints(host: HostApi, store: DeviceSettings, entry: { signalingHints?: readonly string[] }): Promise<string[]> {
  const [info, settings] = await Promise.all([host.getNetwork(), loadNetworkSettings(store)]);
  const reachable = (url: string) => !/^wss?:\/\/(127\.|localhost|\[::1\])/i.test(url);
  return [...new Set([...settings.extraSignalingUrls, ...(entry.signalingHints ?? []), ...info.signalingUrls.filter(reachable)])];
}
