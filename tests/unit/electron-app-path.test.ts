// The app:// and browser-mode static file guard, against a table of hostile requests.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveAppRequest, resolveStaticPath } from '../../electron/security/app-path.js';

const ROOT = path.resolve('/srv/hearth/renderer');
const inRoot = (...parts: string[]): string => path.join(ROOT, ...parts);

function expectInsideRoot(filePath: string): void {
  expect(filePath.startsWith(ROOT + path.sep)).toBe(true);
}

describe('resolveAppRequest: what is served', () => {
  it.each([
    ['app://hearth/', inRoot('index.html'), 'text/html; charset=utf-8'],
    ['app://hearth', inRoot('index.html'), 'text/html; charset=utf-8'],
    ['app://hearth/index.html', inRoot('index.html'), 'text/html; charset=utf-8'],
    ['app://hearth/assets/index-C0ffee12.js', inRoot('assets', 'index-C0ffee12.js'), 'text/javascript; charset=utf-8'],
    ['app://hearth/assets/index-C0ffee12.css', inRoot('assets', 'index-C0ffee12.css'), 'text/css; charset=utf-8'],
    ['app://hearth/assets/inter-latin.woff2', inRoot('assets', 'inter-latin.woff2'), 'font/woff2'],
    ['app://hearth/assets/logo%20mark.svg', inRoot('assets', 'logo mark.svg'), 'image/svg+xml'],
    ['app://HEARTH/favicon.ico', inRoot('favicon.ico'), 'image/x-icon'],
    // Client-side routes are the single-page app's business.
    ['app://hearth/communities/abc123', inRoot('index.html'), 'text/html; charset=utf-8'],
    ['app://hearth/settings/', inRoot('index.html'), 'text/html; charset=utf-8'],
    // Query strings and fragments are not part of the file's name.
    ['app://hearth/assets/app.js?v=3', inRoot('assets', 'app.js'), 'text/javascript; charset=utf-8'],
    ['app://hearth/index.html#/notes/..', inRoot('index.html'), 'text/html; charset=utf-8'],
    ['app://hearth/assets/app.js?file=../../etc/passwd', inRoot('assets', 'app.js'), 'text/javascript; charset=utf-8'],
  ])('%s → %s', (url, filePath, contentType) => {
    expect(resolveAppRequest('GET', url, ROOT)).toEqual({ ok: true, filePath, contentType });
  });

  it('answers HEAD like GET', () => {
    expect(resolveAppRequest('HEAD', 'app://hearth/index.html', ROOT)).toEqual(resolveAppRequest('GET', 'app://hearth/index.html', ROOT));
  });

  it('treats an absolute path as a path inside the root, never as the system root', () => {
    const verdict = resolveAppRequest('GET', 'app://hearth/etc/passwd', ROOT);
    expect(verdict.ok && verdict.filePath).toBe(inRoot('index.html'));
    const withType = resolveStaticPath('/etc/hosts.json', ROOT);
    expect(withType).toEqual({ ok: true, filePath: inRoot('etc', 'hosts.json'), contentType: 'application/json; charset=utf-8' });
  });
});

describe('resolveAppRequest: what is refused', () => {
  const hostile: [string, string, number][] = [
    ['dot-dot', 'app://hearth/../../etc/passwd', 400],
    ['dot-dot inside', 'app://hearth/assets/../../../secret.json', 400],
    ['single dot', 'app://hearth/./index.html', 400],
    ['encoded dot-dot', 'app://hearth/%2e%2e/%2e%2e/etc/passwd', 400],
    ['encoded dot-dot, upper case', 'app://hearth/%2E%2E%2Fsecret.json', 400],
    ['mixed dot-dot', 'app://hearth/.%2e/secret.json', 400],
    ['encoded slash', 'app://hearth/assets%2f..%2f..%2fsecret.json', 400],
    ['dot-dot with encoded slash', 'app://hearth/..%2fsecret.json', 400],
    ['double-encoded dot-dot', 'app://hearth/%252e%252e/secret.json', 400],
    ['double-encoded slash', 'app://hearth/assets%252fapp.js', 400],
    ['backslash', 'app://hearth/..\\..\\secret.json', 400],
    ['backslash alone', 'app://hearth/assets\\app.js', 400],
    ['encoded backslash', 'app://hearth/..%5c..%5csecret.json', 400],
    ['encoded NUL', 'app://hearth/index.html%00.js', 400],
    ['raw NUL', 'app://hearth/index.html\u0000.js', 400],
    ['encoded newline', 'app://hearth/a%0a.js', 400],
    ['drive letter', 'app://hearth/C:/Windows/win.ini', 400],
    ['encoded drive letter', 'app://hearth/C%3a%5cWindows%5cwin.ini', 400],
    ['UNC path', 'app://hearth//server/share/file.js', 400],
    ['empty segment', 'app://hearth/assets//app.js', 400],
    ['bad percent-encoding', 'app://hearth/%E0%A4%A.js', 400],
    ['Windows device name', 'app://hearth/assets/nul.js', 400],
    ['alternate data stream', 'app://hearth/index.html::$DATA', 400],
    ['overlong path', `app://hearth/${'a/'.repeat(600)}x.js`, 400],
    ['overlong segment', `app://hearth/${'a'.repeat(300)}.js`, 400],
    ['hidden file', 'app://hearth/.env', 403],
    ['hidden file with a known type', 'app://hearth/.secret.json', 403],
    ['unknown file type', 'app://hearth/server.exe', 404],
    ['source file', 'app://hearth/main.ts', 404],
    ['wrong host', 'app://evil/index.html', 403],
    ['host with a port', 'app://hearth:8080/index.html', 403],
    ['credentials', 'app://user:pass@hearth/index.html', 403],
    ['another scheme', 'file:///etc/passwd', 403],
    ['http', 'http://hearth/index.html', 403],
    ['not a URL', 'hearth/index.html', 400],
    ['empty', '', 400],
  ];

  it.each(hostile)('%s: %s → %i', (_name, url, status) => {
    const verdict = resolveAppRequest('GET', url, ROOT);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.status).toBe(status);
      expect(verdict.reason.length).toBeGreaterThan(0);
    }
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'get', ''])('method %s → 405', (method) => {
    expect(resolveAppRequest(method, 'app://hearth/index.html', ROOT)).toMatchObject({ ok: false, status: 405 });
  });
});

describe('resolveStaticPath: the path half, as browser mode uses it with raw request paths', () => {
  it.each([
    ['/../etc/passwd'],
    ['/assets/../../secret.json'],
    ['/%2e%2e/%2e%2e/etc/passwd'],
    ['/..%2fsecret.json'],
    ['/%252e%252e/secret.json'],
    ['/assets/..'],
    ['/assets/%2e%2e'],
    ['/..\\secret.json'],
    ['/%5c%5cserver%5cshare.js'],
    ['//server/share/file.js'],
    ['/C:/Windows/win.ini'],
    ['/c%3A/Windows/win.ini'],
    ['/index.html%00.js'],
    ['index.html'],
    [''],
    ['/a b.js'],
  ])('refuses %j', (pathname) => {
    expect(resolveStaticPath(pathname, ROOT).ok).toBe(false);
  });

  it('keeps every accepted path inside the root, with a separator after it', () => {
    // "/srv/hearth/renderer-evil" starts with the root's text but is not inside it.
    const sibling = resolveStaticPath('/index.html', ROOT);
    expect(sibling).toMatchObject({ ok: true });
    if (sibling.ok) expect(sibling.filePath.startsWith(`${ROOT}-`)).toBe(false);
    for (const pathname of ['/', '/a.js', '/deep/er/x.css', '/communities/abc', '/etc/passwd', '/%E2%82%AC.png']) {
      const verdict = resolveStaticPath(pathname, ROOT);
      expect(verdict.ok, pathname).toBe(true);
      if (verdict.ok) expectInsideRoot(verdict.filePath);
    }
  });

  it('decodes exactly once', () => {
    expect(resolveStaticPath('/caf%C3%A9.png', ROOT)).toMatchObject({ ok: true, filePath: inRoot('café.png') });
    expect(resolveStaticPath('/caf%25C3%25A9.png', ROOT)).toMatchObject({ ok: false, status: 400 });
  });

  it('accepts a relative root by resolving it', () => {
    const verdict = resolveStaticPath('/index.html', 'dist/renderer');
    expect(verdict).toMatchObject({ ok: true, filePath: path.resolve('dist/renderer', 'index.html') });
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.jpg', 'image/jpeg'],
    ['A.JPG', 'image/jpeg'],
    ['a.webp', 'image/webp'],
    ['a.ico', 'image/x-icon'],
    ['a.woff2', 'font/woff2'],
    ['a.woff', 'font/woff'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.js.map', 'application/json; charset=utf-8'],
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });

  it.each(['a.exe', 'a.ts', 'a', '.env', 'a.html.bak'])('%s has no type, so it is not served', (file) => {
    expect(contentTypeFor(file)).toBeUndefined();
  });
});
