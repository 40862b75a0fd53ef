import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAllowedHostHeader, startBrowserHost, type BrowserHostStart } from '../../electron/host/browser-host.js';
import { parsePort } from '../../electron/host/port.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function rendererRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'hearth-host-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
  return root;
}

async function start(port = 0): Promise<Extract<BrowserHostStart, { kind: 'started' }>> {
  const started = await startBrowserHost({ rootDir: rendererRoot(), port, version: '9.9.9' });
  if (started.kind !== 'started') throw new Error('expected a new host');
  cleanups.push(started.close);
  return started;
}

/** A raw request, so the Host header and the path are sent exactly as given. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function occupy(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((_request, response) => response.end('not hearth'));
    server.listen(0, '127.0.0.1', () => resolve(server));
    cleanups.push(() => new Promise((done) => server.close(() => done())));
  });
}

describe('browser mode host', () => {
  it('serves the renderer and app info on loopback with security headers', async () => {
    const host = await start();
    const index = await get(host.port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Hearth</title>');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const info = await get(host.port, '/api/app-info');
    expect(JSON.parse(info.body)).toMatchObject({ name: 'Hearth', version: '9.9.9', mode: 'browser' });
    const asset = await get(host.port, '/assets/app-abc123.js');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('refuses traversal, foreign Host headers (DNS rebinding) and writes', async () => {
    const host = await start();
    expect((await get(host.port, '/../../../etc/passwd')).status).not.toBe(200);
    expect((await get(host.port, '/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect((await get(host.port, '/', { host: 'evil.example' })).status).toBe(421);
    expect((await get(host.port, '/', {}, 'POST')).status).toBe(405);
    expect((await get(host.port, '/api/nothing')).status).toBe(404);
  });

  it('moves to the next port when another program holds the preferred one, and says so', async () => {
    const blocker = await occupy();
    const address = blocker.address();
    const taken = typeof address === 'object' && address ? address.port : 0;
    const lines: string[] = [];
    const started = await startBrowserHost({ rootDir: rendererRoot(), port: taken, version: '1', log: (line) => lines.push(line) });
    expect(started.kind).toBe('started');
    if (started.kind !== 'started') return;
    cleanups.push(started.close);
    expect(started.port).not.toBe(taken);
    expect(lines.join('\n')).toMatch(new RegExp(`Port ${taken} is taken by another program`));
  });

  it('points at the Hearth already running on the preferred port instead of starting a second one', async () => {
    const first = await start();
    const second = await startBrowserHost({ rootDir: rendererRoot(), port: first.port, version: '1' });
    expect(second).toEqual({ kind: 'already-running', url: first.url });
  });

  it.each([
    ['127.0.0.1:5317', 5317, true],
    ['localhost:5317', 5317, true],
    ['[::1]:5317', 5317, true],
    ['127.0.0.1:5318', 5317, false],
    ['attacker.example:5317', 5317, false],
    ['127.0.0.1.nip.io:5317', 5317, false],
    [undefined, 5317, false],
  ])('Host header %s on port %i allowed: %s', (header, port, allowed) => {
    expect(isAllowedHostHeader(header, port)).toBe(allowed);
  });

  it.each([
    ['5317', 5317],
    ['0', 0],
    ['65535', 65535],
    ['65536', null],
    ['-1', null],
    ['12ab', null],
    ['', null],
    ['1e3', null],
  ])('parses port %j as %j', (value, expected) => {
    expect(parsePort(value)).toBe(expected);
  });
});
