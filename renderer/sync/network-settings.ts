// The member's network choices, kept on this device: extra signaling servers and whether to use
// public STUN servers. A fresh install uses neither, so it contacts no outside server at all.
import { z } from 'zod';
import { isSignalingUrl } from '../../shared/sync/invite.js';
import type { IceServer } from '../../shared/sync/community-sync.js';
import type { DeviceSettings } from '../store/device-store.js';

const NETWORK_KEY = 'network';
export const MAX_EXTRA_SIGNALING_URLS = 8;

/** Used only when the member turns them on: STUN servers learn this device's public IP address. */
export const PUBLIC_ICE_SERVERS: readonly IceServer[] = [{ urls: ['stun:stun.l.google.com:19302', 'stun:stun.cloudflare.com:3478'] }];

export const networkSettingsSchema = z.object({
  extraSignalingUrls: z.array(z.string().refine(isSignalingUrl)).max(MAX_EXTRA_SIGNALING_URLS),
  usePublicStun: z.boolean(),
});
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { extraSignalingUrls: [], usePublicStun: false };

export async function loadNetworkSettings(store: DeviceSettings): Promise<NetworkSettings> {
  const parsed = networkSettingsSchema.safeParse(await store.getSetting(NETWORK_KEY));
  return parsed.success ? parsed.data : DEFAULT_NETWORK_SETTINGS;
}

export async function saveNetworkSettings(store: DeviceSettings, settings: NetworkSettings): Promise<void> {
  await store.putSetting(NETWORK_KEY, networkSettingsSchema.parse(settings));
}

/** Why a signaling URL typed by the member is refused, or null when it is fine. */
export function signalingUrlProblem(value: string, existing: readonly string[]): string | null {
  const trimmed = value.trim();
  if (!trimmed) return 'Type the address of a signaling server.';
  if (!isSignalingUrl(trimmed)) return 'A signaling server address starts with ws:// or wss://, e.g. wss://signal.example.org.';
  if (existing.includes(trimmed)) return 'That server is already in the list.';
  if (existing.length >= MAX_EXTRA_SIGNALING_URLS) return `At most ${MAX_EXTRA_SIGNALING_URLS} extra servers.`;
  return null;
}
