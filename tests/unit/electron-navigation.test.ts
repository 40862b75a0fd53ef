// Navigation, window-open, permission and IPC-sender decisions of the shell, against hostile inputs.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../electron/security/app-path.js';
import {
  devServerUrl,
  isAllowedNavigation,
  isTrustedSender,
  permissionDecision,
  windowOpenDecision,
} from '../../electron/security/navigation.js';

const DEV_ORIGIN = 'http://127.0.0.1:5173';

const foreign = [
  'https://example.com/',
  'http://hearth/index.html',
  'app://evil/index.html',
  'app://hearth.evil.example/index.html',
  'app://hearth:1234/index.html',
  'app://user:pass@hearth/index.html',
  'file:///etc/passwd',
  'file://hearth/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'hearth://join/abc',
  'blob:app://hearth/1234',
  '',
  'not a url',
];

describe('isAllowedNavigation', () => {
  it.each(['app://hearth/index.html', 'app://hearth/', 'app://hearth/communities/abc?x=1#y', 'app://HEARTH/index.html'])(
    'allows the app itself: %s',
    (url) => {
      expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(true);
    },
  );

  it.each(foreign)('refuses %j', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(false);
  });

  it.each([undefined, null, 7, {}, new URL('app://hearth/index.html')])('refuses a value that is not text: %j', (value) => {
    expect(isAllowedNavigation(value, APP_ORIGIN)).toBe(false);
  });

  it('in development allows only the dev server’s own origin', () => {
    expect(isAllowedNavigation('http://127.0.0.1:5173/src/main.tsx', DEV_ORIGIN)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5174/', DEV_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('https://127.0.0.1:5173/', DEV_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', DEV_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('app://hearth/index.html', DEV_ORIGIN)).toBe(false);
  });

  it('refuses everything when the app origin itself is malformed', () => {
    expect(isAllowedNavigation('app://hearth/index.html', 'app:')).toBe(false);
    expect(isAllowedNavigation('anything', 'anything')).toBe(false);
  });
});

describe('windowOpenDecision', () => {
  it('denies a new window for a web link and hands the checked link out', () => {
    expect(windowOpenDecision(' https://Example.com/docs ')).toEqual({
      decision: { action: 'deny' },
      externalUrl: 'https://example.com/docs',
    });
    expect(windowOpenDecision('mailto:circle@example.com').externalUrl).toBe('mailto:circle@example.com');
  });

  it.each([
    ...foreign.filter((url) => !url.startsWith('https://') && !url.startsWith('http://')),
    'app://hearth/index.html',
    'http://a:b@c.example/',
    42,
  ])('denies %j without opening anything', (url) => {
    expect(windowOpenDecision(url)).toEqual({ decision: { action: 'deny' }, externalUrl: undefined });
  });
});

describe('permissionDecision', () => {
  const fromApp = { appOrigin: APP_ORIGIN, requestingUrl: 'app://hearth/index.html' };

  it.each([
    'media',
    'notifications',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'fullscreen',
    'openExternal',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'usb',
    'fileSystem',
    'pointerLock',
    'keyboardLock',
    'idle-detection',
    'local-fonts',
    'window-management',
    'unknown',
    'a-permission-chromium-adds-next-year',
    '',
  ])('denies %j even to the app', (permission) => {
    expect(permissionDecision(permission, fromApp)).toBe(false);
  });

  it.each(['clipboard-sanitized-write', 'persistent-storage'])('grants %s to the app, and only to the app', (permission) => {
    expect(permissionDecision(permission, fromApp)).toBe(true);
    // The permission check handler sees an origin rather than a URL.
    expect(permissionDecision(permission, { appOrigin: APP_ORIGIN, requestingUrl: 'app://hearth' })).toBe(true);
    for (const requestingUrl of ['https://example.com/', 'app://evil/', 'file:///', '', undefined]) {
      expect(permissionDecision(permission, { appOrigin: APP_ORIGIN, requestingUrl })).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  it('trusts frames showing the app', () => {
    expect(isTrustedSender('app://hearth/index.html', APP_ORIGIN)).toBe(true);
    expect(isTrustedSender('http://127.0.0.1:5173/', DEV_ORIGIN)).toBe(true);
  });

  it.each([...foreign, undefined, null])('refuses a frame at %j', (frameUrl) => {
    expect(isTrustedSender(frameUrl, APP_ORIGIN)).toBe(false);
  });

  it('does not trust the dev server in a production window, nor the app in a dev window', () => {
    expect(isTrustedSender('http://127.0.0.1:5173/', APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('app://hearth/index.html', DEV_ORIGIN)).toBe(false);
  });
});

describe('devServerUrl', () => {
  it.each([
    ['http://127.0.0.1:5173', 'http://127.0.0.1:5173/'],
    ['http://localhost:5173/', 'http://localhost:5173/'],
    ['http://[::1]:5173/', 'http://[::1]:5173/'],
    ['https://localhost:5173/', 'https://localhost:5173/'],
  ])('accepts a loopback dev server: %s', (value, url) => {
    expect(devServerUrl(value, false)).toBe(url);
  });

  it.each([
    'https://evil.example/',
    'http://192.168.1.10:5173/',
    'http://127.0.0.1.evil.example/',
    'http://user:pass@127.0.0.1:5173/',
    'file:///tmp/index.html',
    'javascript:alert(1)',
    'app://hearth/',
    'not a url',
    '',
    undefined,
  ])('refuses %j', (value) => {
    expect(devServerUrl(value, false)).toBeUndefined();
  });

  it('is ignored entirely in a packaged app', () => {
    expect(devServerUrl('http://127.0.0.1:5173/', true)).toBeUndefined();
  });
});
