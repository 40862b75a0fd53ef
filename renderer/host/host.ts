// Picks the host implementation: the Electron preload's bridge when it is there, browser mode's
// otherwise. The renderer talks to its host only through this HostApi.
import { HOST_API_GLOBAL, type HostApi } from '../../shared/host-api.js';
import { browserHostApi } from './browser-host-api.js';

export function resolveHostApi(scope: object = globalThis): HostApi {
  const bridged = (scope as Record<string, unknown>)[HOST_API_GLOBAL];
  return isHostApi(bridged) ? bridged : browserHostApi;
}

/** Every HostApi method; a new one fails type-checking here until it is listed. */
const CAPABILITIES: Record<keyof HostApi, true> = {
  getAppInfo: true,
  getNetwork: true,
  openExternal: true,
  saveFile: true,
  openFile: true,
  loadIdentityKey: true,
  sealIdentityKey: true,
  onJoinLink: true,
};

function isHostApi(value: unknown): value is HostApi {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return Object.keys(CAPABILITIES).every((name) => typeof candidate[name] === 'function');
}
