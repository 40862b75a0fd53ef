// The external-link guard (shared/links.ts) that the shell and browser mode both use, against hostile links.
import { describe, expect, it } from 'vitest';
import { checkExternalUrl, openExternalUrl } from '../../shared/links.js';

describe('checkExternalUrl refuses', () => {
  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['mixed-case javascript:', 'JaVaScRiPt:alert(document.domain)'],
    ['javascript: behind whitespace', '  javascript:alert(1)'],
    ['javascript: with a tab inside the scheme', 'java\tscript:alert(1)'],
    ['javascript: with a newline inside the scheme', 'java\nscript:alert(1)'],
    ['javascript: behind a control character', '\u0001javascript:alert(1)'],
    ['javascript: behind a zero-width space', '\u200bjavascript:alert(1)'],
    ['javascript: behind an ideographic space', '\u3000javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['data: base64', 'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file:', 'file:///etc/passwd'],
    ['file: on Windows', 'file:///C:/Windows/System32/calc.exe'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['UNC path', '\\\\host\\share\\payload.exe'],
    ['UNC with forward slashes as a scheme-relative URL', '//host/share'],
    ['backslashes after the scheme', 'https:\\\\evil.example'],
    ['credentials', 'http://user:pass@host.example'],
    ['a user name dressed as a host', 'https://bank.example@evil.example/'],
    ['a C1 control character', 'https://example.com/\u0085'],
    ['DEL', 'https://example.com/\u007f'],
    ['NUL', 'https://example.com\u0000.evil.example'],
    ['chrome:', 'chrome://settings'],
    ['chrome-extension:', 'chrome-extension://abc/page.html'],
    ['devtools:', 'devtools://devtools/bundled/inspector.html'],
    ['app: (the app itself)', 'app://hearth/index.html'],
    ['hearth: (deep links are not external)', 'hearth://join/abc'],
    ['blob:', 'blob:https://example.com/1234'],
    ['about:', 'about:blank'],
    ['ftp:', 'ftp://example.com/file'],
    ['ms-settings:', 'ms-settings:privacy'],
    ['smb:', 'smb://host/share'],
    ['ssh:', 'ssh://host'],
    ['feed: wrapping https', 'feed:https://example.com'],
    ['relative link', '/notes/1'],
    ['bare host', 'example.com'],
    ['empty', ''],
    ['only whitespace', ' \t\n '],
    ['http without a host', 'http://'],
    ['mailto without an address', 'mailto:'],
    ['mailto with only headers', 'mailto:?subject=hi'],
    ['port out of range', 'https://example.com:99999/'],
    ['very long', `https://example.com/${'a'.repeat(5000)}`],
    ['short to type but very long once encoded', `https://example.com/${'€'.repeat(1000)}`],
  ])('%s', (_name, value) => {
    const verdict = checkExternalUrl(value);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/\S/);
  });

  it.each([undefined, null, 42, true, {}, [], ['https://example.com'], { href: 'https://example.com' }, new URL('https://example.com')])(
    'a value that is not text: %j',
    (value) => {
      expect(checkExternalUrl(value)).toEqual({ ok: false, reason: 'A link must be text.' });
    },
  );
});

describe('checkExternalUrl allows', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/path?q=1#frag', 'http://example.com/path?q=1#frag'],
    ['HTTPS://Example.COM/Path', 'https://example.com/Path'],
    ['  https://example.com/padded  ', 'https://example.com/padded'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['https://example.com:8443/', 'https://example.com:8443/'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['mailto:circle@example.com', 'mailto:circle@example.com'],
    ['mailto:circle@example.com?subject=Session%20notes', 'mailto:circle@example.com?subject=Session%20notes'],
    ['MAILTO:Circle@Example.com', 'mailto:Circle@Example.com'],
  ])('%s', (value, url) => {
    expect(checkExternalUrl(value)).toEqual({ ok: true, url });
  });

  it('allows a link right at the length limit, measured once encoded', () => {
    const atLimit = `https://example.com/${'a'.repeat(4096 - 'https://example.com/'.length)}`;
    expect(checkExternalUrl(atLimit)).toEqual({ ok: true, url: atLimit });
    expect(checkExternalUrl(`${atLimit}a`).ok).toBe(false);
  });
});

describe('openExternalUrl', () => {
  it('opens only the normalized form of an allowed link', () => {
    const opened: string[] = [];
    const verdict = openExternalUrl(' HTTPS://Example.com/x ', (url) => opened.push(url));
    expect(verdict).toEqual({ ok: true, url: 'https://example.com/x' });
    expect(opened).toEqual(['https://example.com/x']);
  });

  it('never calls open for a refused link', () => {
    const opened: string[] = [];
    for (const value of ['javascript:alert(1)', 'file:///etc/passwd', '\\\\host\\share', 'http://a:b@c.example', 42]) {
      expect(openExternalUrl(value, (url) => opened.push(url)).ok).toBe(false);
    }
    expect(opened).toEqual([]);
  });
});
