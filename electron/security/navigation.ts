// Pure decisions for what a Hearth window may load, open, ask for, and who may call the host API.
import { checkExternalUrl } from '../../shared/links.js';

/** Parses a URL without throwing; anything that is not a string or not a URL is `undefined`. */
function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Same scheme, host and port, and no credentials. URL#origin cannot be used: Node's parser reports
 * "null" for app:// (it does not know the scheme is standard), which would make every app:// URL
 * equal to every other.
 */
export function isSameAppOrigin(value: unknown, appOrigin: string): boolean {
  const url = parseUrl(value);
  const app = parseUrl(appOrigin);
  if (url === undefined || app === undefined || app.host === '') return false;
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === app.protocol && url.host.toLowerCase() === app.host.toLowerCase();
}

/** A window may only ever show the app itself; links go through the external-link guard instead. */
export function isAllowedNavigation(url: unknown, appOrigin: string): boolean {
  return isSameAppOrigin(url, appOrigin);
}

export interface WindowOpenDecision {
  /** What to return from setWindowOpenHandler: Hearth never opens a second window for content. */
  readonly decision: { readonly action: 'deny' };
  /** When set, the caller hands this (already checked) link to the system browser or mail client. */
  readonly externalUrl: string | undefined;
}

export function windowOpenDecision(url: unknown): WindowOpenDecision {
  const verdict = checkExternalUrl(url);
  return { decision: { action: 'deny' }, externalUrl: verdict.ok ? verdict.url : undefined };
}

export interface PermissionDetails {
  readonly appOrigin: string;
  /** The URL of the frame asking; Electron gives it as `requestingUrl` (or the origin for checks). */
  readonly requestingUrl: string | undefined;
}

// Everything not named here is refused: camera, microphone, notifications, geolocation, MIDI, HID,
// serial, clipboard *read*, fullscreen, opening external protocols, and any permission Chromium adds
// later. Each entry must be safe to grant to the app's own page without asking the member:
// - clipboard-sanitized-write: "copy invite code" uses navigator.clipboard.writeText(); a sanitized
//   write can only put plain text or cleaned HTML on the clipboard, and reading stays denied.
// - persistent-storage: the IndexedDB copy may be a community's only copy on this machine; this lets
//   navigator.storage.persist() protect it from eviction when the disk fills up. It grants no access.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'persistent-storage']);

/** For session.setPermissionRequestHandler and setPermissionCheckHandler. */
export function permissionDecision(permission: string, details: PermissionDetails): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSameAppOrigin(details.requestingUrl, details.appOrigin);
}

/** An IPC message is answered only when it comes from a frame showing the app itself. */
export function isTrustedSender(frameUrl: unknown, appOrigin: string): boolean {
  return isSameAppOrigin(frameUrl, appOrigin);
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * HEARTH_DEV_URL points the window at Vite's dev server. The page it loads gets the host API, so
 * only a loopback http(s) address is accepted, and only in an unpackaged build: an environment
 * variable must not be enough to make an installed Hearth load a remote page.
 */
export function devServerUrl(value: unknown, isPackaged: boolean): string | undefined {
  if (isPackaged || value === undefined || value === '') return undefined;
  const url = parseUrl(value);
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.username !== '' || url.password !== '') return undefined;
  return url.href;
}
