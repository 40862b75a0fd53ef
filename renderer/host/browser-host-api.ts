// Browser mode's HostApi: app info comes from the local Node host over HTTP; links, saving and opening
// files use what a browser already offers (a new tab, a download, a file picker).
import type { AppInfo, HostApi, NetworkInfo, OpenFileResult } from '../../shared/host-api.js';
import { isSignalingUrl } from '../../shared/sync/invite.js';
import { MAX_HOST_FILE_BYTES } from '../../shared/host-api.js';
import { checkExternalUrl } from '../../shared/links.js';

async function getAppInfo(): Promise<AppInfo> {
  const fallback: AppInfo = {
    name: 'Hearth',
    version: 'unknown',
    mode: 'browser',
    platform: navigator.platform,
    dataLocation: 'this browser’s storage for this address',
  };
  try {
    const response = await fetch('./api/app-info', { headers: { accept: 'application/json' } });
    if (!response.ok) return fallback;
    const body = (await response.json()) as Partial<AppInfo>;
    return {
      name: typeof body.name === 'string' ? body.name : fallback.name,
      version: typeof body.version === 'string' ? body.version : fallback.version,
      mode: 'browser',
      platform: typeof body.platform === 'string' ? body.platform : fallback.platform,
      dataLocation: typeof body.dataLocation === 'string' ? body.dataLocation : fallback.dataLocation,
    };
  } catch {
    return fallback;
  }
}

async function getNetwork(): Promise<NetworkInfo> {
  // Without the host's answer, its signaling service is still where the page came from.
  const fallback: NetworkInfo = {
    signalingUrls: [`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`],
    icePolicy: 'all',
  };
  try {
    const response = await fetch('./api/network', { headers: { accept: 'application/json' } });
    if (!response.ok) return fallback;
    const body = (await response.json()) as Partial<NetworkInfo>;
    const signalingUrls = Array.isArray(body.signalingUrls)
      ? body.signalingUrls.filter((url): url is string => typeof url === 'string' && isSignalingUrl(url))
      : fallback.signalingUrls;
    return { signalingUrls, icePolicy: body.icePolicy === 'loopback' ? 'loopback' : 'all' };
  } catch {
    return fallback;
  }
}

export const browserHostApi: HostApi = {
  // Browser mode has no hearth:// handler; invite links open through the #/join/ route instead.
  onJoinLink: () => () => {},
  // No keychain behind a web page: the identity key stays a non-extractable key in IndexedDB.
  loadIdentityKey: async () => ({ status: 'unsupported' }),
  sealIdentityKey: async () => ({ sealed: false, reason: 'unsupported' }),
  getAppInfo,
  getNetwork,
  async openExternal(url) {
    const verdict = checkExternalUrl(url);
    if (!verdict.ok) return { opened: false, reason: verdict.reason };
    // noopener keeps the opened page from reaching back into Hearth through window.opener.
    window.open(verdict.url, '_blank', 'noopener,noreferrer');
    return { opened: true };
  },
  async saveFile({ suggestedName, data }) {
    if (data.byteLength > MAX_HOST_FILE_BYTES) return { saved: false };
    const blob = new Blob([data.slice().buffer]);
    const href = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.download = suggestedName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'download';
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return { saved: true, name: anchor.download };
  },
  openFile({ filters }) {
    return new Promise<OpenFileResult>((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      const extensions = (filters ?? []).flatMap((filter) => filter.extensions.map((extension) => `.${extension}`));
      if (extensions.length > 0) input.accept = extensions.join(',');
      input.addEventListener('change', async () => {
        const file = input.files?.[0];
        if (!file || file.size > MAX_HOST_FILE_BYTES) return resolve({ opened: false });
        resolve({ opened: true, name: file.name, data: new Uint8Array(await file.arrayBuffer()) });
      });
      input.addEventListener('cancel', () => resolve({ opened: false }));
      input.click();
    });
  },
};
