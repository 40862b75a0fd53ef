// Keeps the communities that are syncing up to date with the signaling servers the host finds later
// (LAN discovery: a neighbour's Hearth may appear long after this one started). Asks the host for its
// network info on a timer, one request at a time and only while some community syncs, and hands every
// new server to every running community.
import type { NetworkInfo } from '../../shared/host-api.js';

/** How often the host is asked; discovery itself needs a few seconds to notice a neighbour. */
export const NETWORK_POLL_MS = 10_000;
/** Servers remembered; discovery keeps at most 32 neighbours, a member adds a few by hand. */
export const MAX_WATCHED_URLS = 64;

export interface Watched {
  addSignalingUrl(url: string): boolean;
}

export interface SignalingWatch {
  /** The host's latest network info (asked once, then kept fresh by the timer). */
  network(): Promise<NetworkInfo>;
  /** Hands `sync` every server known now and found from now on, until the returned function is called. */
  track(sync: Watched): () => void;
}

export function createSignalingWatch(getNetwork: () => Promise<NetworkInfo>, intervalMs = NETWORK_POLL_MS): SignalingWatch {
  let latest: Promise<NetworkInfo> | null = null;
  const known = new Set<string>();
  const tracked = new Set<Watched>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let polling = false;

  function learn(info: NetworkInfo): void {
    for (const url of info.signalingUrls) {
      if (known.has(url) || known.size >= MAX_WATCHED_URLS) continue;
      known.add(url);
      for (const sync of tracked) sync.addSignalingUrl(url);
    }
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const info = await getNetwork();
      latest = Promise.resolve(info);
      learn(info);
    } catch {
      // The host did not answer this time; the next tick asks again.
    } finally {
      polling = false;
    }
  }

  return {
    network() {
      latest ??= getNetwork().then((info) => {
        learn(info);
        return info;
      });
      return latest;
    },
    track(sync) {
      tracked.add(sync);
      for (const url of known) sync.addSignalingUrl(url);
      timer ??= setInterval(() => void poll(), intervalMs);
      return () => {
        tracked.delete(sync);
        if (tracked.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
  };
}
