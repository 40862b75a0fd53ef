// The Content-Security-Policy: what production allows, and what development adds.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/security/csp.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const production = directives(contentSecurityPolicy({ dev: false }));

  it('is the strict production policy', () => {
    expect(Object.fromEntries(production)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'ws:', 'wss:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('never lets production run inline, evaluated or remote script, or fetch over http', () => {
    const all = [...production.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(production.get('script-src')).not.toContain("'unsafe-inline'");
    expect(all).not.toContain('*');
    expect(all.some((source) => source.startsWith('http'))).toBe(false);
  });

  it('is a single header line', () => {
    expect(contentSecurityPolicy({ dev: false })).not.toMatch(/[\r\n]/);
  });

  it('adds only inline script for Vite’s dev server, and only in development', () => {
    const dev = directives(contentSecurityPolicy({ dev: true }));
    expect(dev.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    for (const [name, sources] of production) if (name !== 'script-src') expect(dev.get(name), name).toEqual(sources);
  });
});
