// Adds a signaling server to a y-webrtc provider that is already running: the seam that lets
// communities that started before LAN discovery found a neighbour use that neighbour's server.
//
// y-webrtc 10.3 reads `signalingUrls` only in connect(), and keeps its map of open signaling
// connections (shared by all providers, one per URL) private. connect() is safe to run again: it reuses
// the connection of every URL it already knows and re-registers the room's handlers in sets, so the
// only effect of a second run is one more announcement. So the new URL is passed to connect() alone,
// which opens (or joins) its connection, and then the full list is put back.
import type { WebrtcProvider } from 'y-webrtc';
import { isSignalingUrl } from './invite.js';

/** Signaling servers one community connects to at most: its own host's, a few added, LAN neighbours'. */
export const MAX_SIGNALING_URLS = 48;

/** True when `url` was added; false when it is invalid, already known, or the list is full. */
export function addSignalingUrl(provider: WebrtcProvider, url: string): boolean {
  if (!isSignalingUrl(url) || provider.signalingUrls.includes(url) || provider.signalingUrls.length >= MAX_SIGNALING_URLS) return false;
  const all = [...provider.signalingUrls, url];
  if (provider.shouldConnect) {
    provider.signalingUrls = [url];
    try {
      provider.connect();
    } finally {
      provider.signalingUrls = all;
    }
  } else {
    // Paused (offline): resume's connect() opens every URL, the new one included.
    provider.signalingUrls = all;
  }
  return true;
}
