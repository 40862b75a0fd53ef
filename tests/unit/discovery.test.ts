// LAN discovery as a whole, on an in-memory link (no socket, no multicast: the real thing runs in
// network namespaces in tests/integration/discovery.test.ts), and the seams that hand what it finds to
// the app: the LAN switch, browser mode's /api/network, running communities' signaling lists.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Answer } from 'dns-packet';
import { startDiscovery, type Discovery, type DiscoveryTiming } from '../../electron/discovery/discovery.js';
import { lanSetting } from '../../electron/discovery/lan-setting.js';
import { startLanSignaling } from '../../electron/discovery/lan-signaling.js';
import { advertisementRecords, MAX_PACKET_BYTES, SERVICE_TYPE } from '../../electron/discovery/records.js';
import { startBrowserHost } from '../../electron/host/browser-host.js';
import { startSignalingServer, type RunningSignalingServer } from '../../electron/signaling/server.js';
import { MAX_SIGNALING_URLS } from '../../shared/sync/add-signaling-url.js';
import { startCommunitySync, type CommunitySync } from '../../shared/sync/community-sync.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import { createSignalingWatch } from '../../renderer/sync/signaling-watch.js';
import type { NetworkInfo } from '../../shared/host-api.js';
import { createMemoryLink } from './discovery-network.js';

// y-webrtc's signaling client uses the global WebSocket, which Node 20 does not have.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const FAST: Partial<DiscoveryTiming> = { firstQueryIntervalMs: 20, maxQueryIntervalMs: 80, sweepIntervalMs: 20, responseMinIntervalMs: 50 };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function start(link: ReturnType<typeof createMemoryLink>, address: string, port: number, changes: (readonly string[])[] = []): Discovery {
  const discovery = startDiscovery({
    port,
    path: '/signal',
    transport: link.join(address),
    timing: FAST,
    onChange: (peers) => changes.push(peers),
  });
  cleanups.push(() => discovery.close());
  return discovery;
}

/** Polls `check` every 10 ms until it holds; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 5_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LAN discovery on one link', () => {
  it('two Hearths find each other’s signaling service, and neither lists its own', async () => {
    const link = createMemoryLink();
    const changes: (readonly string[])[] = [];
    const ann = start(link, '10.1.0.1', 5318, changes);
    const bob = start(link, '10.1.0.2', 5319);
    await until(() => ann.peers().length > 0 && bob.peers().length > 0, 5_000, 'both to see the other');
    expect(ann.peers()).toEqual(['ws://10.1.0.2:5319/signal']);
    expect(bob.peers()).toEqual(['ws://10.1.0.1:5318/signal']);
    expect(changes).toEqual([['ws://10.1.0.2:5319/signal']]);
    // They met through the announcements each sends when it starts, before either asked.
    expect(link.sent.some(({ from, packet }) => from === '10.1.0.1' && packet.type === 'response')).toBe(true);
  });

  it('a Hearth that stops says goodbye and is forgotten at once', async () => {
    const link = createMemoryLink();
    const changes: (readonly string[])[] = [];
    const ann = start(link, '10.1.0.1', 5318, changes);
    const bob = start(link, '10.1.0.2', 5319);
    await until(() => ann.peers().length === 1);
    await bob.close();
    await until(() => ann.peers().length === 0, 1_000, 'the goodbye');
    expect(changes.at(-1)).toEqual([]);
  });

  it('a neighbour that goes silent expires after its TTL', async () => {
    const link = createMemoryLink();
    const ann = start(link, '10.1.0.1', 5318);
    // A neighbour whose records live 1 s, announced once and never again (as if unplugged).
    link.injectPacket(
      { type: 'response', answers: advertisementRecords({ label: 'hearth-silent', port: 7000, path: '/', addresses: ['10.1.0.9'] }, 1) },
      '10.1.0.9',
    );
    await until(() => ann.peers().includes('ws://10.1.0.9:7000/'), 1_000, 'the silent neighbour');
    await until(() => ann.peers().length === 0, 3_000, 'its expiry');
  });

  it('hostile packets change nothing: garbage, oversize, loopback, spoofed own or others’ names, foreign goodbyes', async () => {
    const link = createMemoryLink();
    const ann = start(link, '10.1.0.1', 5318);
    const bob = start(link, '10.1.0.2', 5319);
    await until(() => ann.peers().length === 1 && bob.peers().length === 1);
    const evil = '10.1.0.66';
    // Bytes that do not decode.
    link.inject(new Uint8Array([0, 1, 2, 3, 255, 255, 255, 255, 9]), evil);
    link.inject(new Uint8Array(0), evil);
    // A valid service, but in a packet over MAX_PACKET_BYTES.
    const padding: Answer[] = Array.from({ length: 400 }, (_unused, index) => ({
      type: 'TXT',
      name: `pad${index}.local`,
      ttl: 120,
      data: ['x'.repeat(30)],
    }));
    link.injectPacket(
      {
        type: 'response',
        answers: [...advertisementRecords({ label: 'hearth-big', port: 7001, path: '/', addresses: [evil] }), ...padding],
      },
      evil,
    );
    // Pointing at this machine's loopback, or at another host.
    link.injectPacket(
      { type: 'response', answers: advertisementRecords({ label: 'hearth-loop', port: 22, path: '/', addresses: ['127.0.0.1'] }) },
      evil,
    );
    link.injectPacket(
      { type: 'response', answers: advertisementRecords({ label: 'hearth-other', port: 443, path: '/', addresses: ['93.184.216.34'] }) },
      evil,
    );
    // Ann's own instance name, announced from elsewhere: she ignores it, Bob keeps the real Ann.
    const annLabel = link.sent
      .find(({ from, packet }) => from === '10.1.0.1' && packet.type === 'response')!
      .packet.answers!.find((answer) => answer.type === 'SRV')!
      .name.split('.')[0]!;
    link.injectPacket(
      { type: 'response', answers: advertisementRecords({ label: annLabel, port: 6666, path: '/', addresses: [evil] }) },
      evil,
    );
    // Bob's goodbye, sent by someone else.
    const bobLabel = link.sent
      .find(({ from, packet }) => from === '10.1.0.2' && packet.type === 'response')!
      .packet.answers!.find((answer) => answer.type === 'SRV')!
      .name.split('.')[0]!;
    link.injectPacket(
      { type: 'response', answers: advertisementRecords({ label: bobLabel, port: 5319, path: '/signal', addresses: [evil] }, 0) },
      evil,
    );
    await sleep(200);
    expect(ann.peers()).toEqual(['ws://10.1.0.2:5319/signal']);
    expect(bob.peers()).toEqual(['ws://10.1.0.1:5318/signal']);
    expect(MAX_PACKET_BYTES).toBe(9_000);
  });

  it('a handler that throws is caught and counted, and discovery keeps finding neighbours and answering', async () => {
    const link = createMemoryLink();
    const lines: string[] = [];
    // The app's onChange is the handler's own code path: a throw there ran up into the socket's listener.
    const ann = startDiscovery({
      port: 5318,
      path: '/signal',
      transport: link.join('10.1.0.1'),
      timing: FAST,
      log: (line) => lines.push(line),
      onChange: () => {
        throw new Error('the app failed');
      },
    });
    cleanups.push(() => ann.close());
    start(link, '10.1.0.2', 5319);
    await until(() => ann.peers().length === 1, 5_000, 'Ann to see Bob');
    start(link, '10.1.0.3', 5320);
    await until(() => ann.peers().length === 2, 5_000, 'Ann to see Cid too');
    const carl = start(link, '10.1.0.4', 5321);
    await until(() => carl.peers().includes('ws://10.1.0.1:5318/signal'), 5_000, 'Ann still to answer');
    expect(ann.handlerFaults()).toBeGreaterThanOrEqual(2);
    expect(lines.filter((line) => line.includes('unexpected error'))).toHaveLength(1);
  });

  it('a query flood gets at most one answer per response interval', async () => {
    const link = createMemoryLink();
    start(link, '10.1.0.1', 5318);
    await sleep(150);
    const before = link.sent.filter(({ from, packet }) => from === '10.1.0.1' && packet.type === 'response').length;
    const floodStarted = Date.now();
    for (let index = 0; index < 500; index += 1)
      link.injectPacket({ type: 'query', questions: [{ type: 'PTR', name: SERVICE_TYPE }] }, '10.1.0.66');
    await sleep(300);
    const elapsed = Date.now() - floodStarted;
    const answers = link.sent.filter(({ from, packet }) => from === '10.1.0.1' && packet.type === 'response').length - before;
    expect(answers).toBeGreaterThanOrEqual(1);
    expect(answers).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
  });

  it('queries back off: intervals double up to the cap', async () => {
    const link = createMemoryLink();
    start(link, '10.1.0.1', 5318);
    const times: number[] = [];
    const seen = () => link.sent.filter(({ from, packet }) => from === '10.1.0.1' && packet.type === 'query').length;
    let counted = 0;
    const deadline = Date.now() + 2_000;
    while (times.length < 6 && Date.now() < deadline) {
      if (seen() > counted) {
        counted = seen();
        times.push(performance.now());
      }
      await sleep(2);
    }
    expect(times).toHaveLength(6);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // 20, 40, 80, 80, 80 ms (timers may run late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    expect(Math.min(...gaps.slice(2))).toBeGreaterThanOrEqual(75);
    expect(Math.max(...gaps)).toBeLessThan(400);
  });
});

describe('the LAN switch', () => {
  it.each<[string[], Record<string, string>, boolean, ReturnType<typeof lanSetting>]>([
    [[], {}, false, { ok: true, on: false }],
    [[], {}, true, { ok: true, on: true }],
    [[], { HEARTH_LAN: '1' }, false, { ok: true, on: true }],
    [[], { HEARTH_LAN: '0' }, true, { ok: true, on: false }],
    [['--no-lan'], { HEARTH_LAN: '1' }, false, { ok: true, on: false }],
    [['--lan'], { HEARTH_LAN: '0' }, false, { ok: true, on: true }],
    [['--lan', '--no-lan'], {}, false, { ok: true, on: false }],
    [['--lan'], { HEARTH_LAN_ADDRESS: '192.168.1.20' }, false, { ok: true, on: true, address: '192.168.1.20' }],
  ])('%j %j (default %s) → %j', (argv, env, defaultOn, expected) => {
    expect(lanSetting(argv, env, defaultOn)).toEqual(expected);
  });

  it.each([
    { HEARTH_LAN: 'yes' },
    { HEARTH_LAN: 'true' },
    { HEARTH_LAN_ADDRESS: '127.0.0.1' },
    { HEARTH_LAN_ADDRESS: '0.0.0.0' },
    { HEARTH_LAN_ADDRESS: 'eth0' },
  ])('%j is refused with a reason', (env) => {
    const setting = lanSetting([], env, true);
    expect(setting.ok).toBe(false);
    if (!setting.ok) expect(setting.error).toMatch(/HEARTH_LAN/);
  });
});

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function rendererRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'hearth-host-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  return root;
}

describe('what discovery finds reaches the app', () => {
  it('browser mode lists discovered signaling services in /api/network, after its own', async () => {
    const found = ['ws://10.1.0.2:5318/signal', 'ws://10.1.0.3:5319/signal'];
    const host = await startBrowserHost({ rootDir: rendererRoot(), port: 0, version: '0', discoveredSignalingUrls: () => found });
    if (host.kind !== 'started') throw new Error('expected a new host');
    cleanups.push(() => host.close());
    const network = JSON.parse(await get(host.port, '/api/network')) as NetworkInfo;
    expect(network.signalingUrls).toEqual([`ws://127.0.0.1:${host.port}/signal`, ...found]);
    // LAN discovery is off unless asked for.
    expect(host.lanPort).toBeUndefined();
  });

  it('LAN signaling serves the same relay as loopback, and discovery advertises its port', async () => {
    const link = createMemoryLink();
    const ann = await startLanSignaling({
      path: '/signal',
      listenAddress: '127.0.0.1',
      discovery: { transport: link.join('10.1.0.1'), timing: FAST },
    });
    cleanups.push(() => ann.close());
    const bob = start(link, '10.1.0.2', 5319);
    await until(() => bob.peers().length === 1 && ann.peers().length === 1);
    expect(bob.peers()).toEqual([`ws://10.1.0.1:${ann.port}/signal`]);
    expect(ann.peers()).toEqual(['ws://10.1.0.2:5319/signal']);
    expect(ann.localUrl).toBe(`ws://127.0.0.1:${ann.port}/signal`);
    // It answers WebSocket upgrades on the path, and plain HTTP with 426 (no app on the LAN).
    const socket = new WebSocket(ann.localUrl);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.close();
    expect(await get(ann.port, '/')).toContain('connect with a WebSocket');
  });
});

describe('communities that already sync pick up servers found later', () => {
  const servers: RunningSignalingServer[] = [];
  const subscriptions = () => servers.map((server) => server.stats().subscriptions);

  async function community(urls: readonly string[]): Promise<CommunitySync> {
    const sync = await startCommunitySync({
      doc: new Y.Doc(),
      communityId: 'discoverytest001',
      secret: newCommunitySecret(),
      signalingUrls: urls,
    });
    await sync.ready;
    // y-webrtc's destroy leaves its signaling sockets open; pause closes them first.
    cleanups.push(() => {
      sync.pause();
      sync.destroy();
    });
    return sync;
  }

  it('addSignalingUrl connects the running room to a new server; known, invalid or late URLs are refused', async () => {
    for (let index = 0; index < 3; index += 1) servers.push(await startSignalingServer({ port: 0 }));
    cleanups.push(async () => {
      for (const server of servers.splice(0)) await server.close();
    });
    const [first, second, third] = servers as [RunningSignalingServer, RunningSignalingServer, RunningSignalingServer];
    const sync = await community([first.url]);
    await until(() => first.stats().subscriptions === 1, 5_000, 'the first server');
    expect(sync.addSignalingUrl(second.url)).toBe(true);
    await until(() => second.stats().subscriptions === 1, 5_000, 'the added server');
    expect(sync.addSignalingUrl(second.url)).toBe(false);
    expect(sync.addSignalingUrl('http://10.0.0.1/')).toBe(false);
    expect(sync.addSignalingUrl('not a url')).toBe(false);
    // Offline: the server is remembered, and used on resume.
    sync.pause();
    await until(() => subscriptions().every((count) => count === 0), 5_000, 'the pause');
    expect(sync.addSignalingUrl(third.url)).toBe(true);
    await sleep(100);
    expect(third.stats().subscriptions).toBe(0);
    sync.resume();
    await until(() => subscriptions().every((count) => count === 1), 5_000, 'all three after resume');
    // Bounded: a community holds at most MAX_SIGNALING_URLS servers.
    let added = 0;
    for (let index = 0; index < MAX_SIGNALING_URLS + 10; index += 1) if (sync.addSignalingUrl(`ws://10.255.${index}.1:1/`)) added += 1;
    expect(added).toBe(MAX_SIGNALING_URLS - 3);
    sync.pause();
    sync.destroy();
    expect(sync.addSignalingUrl('ws://10.255.255.1:2/')).toBe(false);
  });

  it('the renderer’s watch hands servers the host finds later to every running community, and stops polling when none runs', async () => {
    let urls = ['ws://127.0.0.1:1/signal'];
    let asked = 0;
    const watch = createSignalingWatch(async () => {
      asked += 1;
      return { signalingUrls: urls, icePolicy: 'all' };
    }, 20);
    expect((await watch.network()).signalingUrls).toEqual(urls);
    const gotA: string[] = [];
    const gotB: string[] = [];
    const untrackA = watch.track({ addSignalingUrl: (url) => gotA.push(url) > 0 });
    const untrackB = watch.track({ addSignalingUrl: (url) => gotB.push(url) > 0 });
    urls = [...urls, 'ws://10.1.0.2:5318/signal'];
    await until(() => gotA.includes('ws://10.1.0.2:5318/signal') && gotB.includes('ws://10.1.0.2:5318/signal'), 2_000, 'the new server');
    expect((await watch.network()).signalingUrls).toEqual(urls);
    // Each server is handed over once.
    await sleep(100);
    expect(gotA.filter((url) => url === 'ws://10.1.0.2:5318/signal')).toHaveLength(1);
    untrackA();
    untrackB();
    const askedWhenStopped = asked;
    await sleep(100);
    expect(asked).toBe(askedWhenStopped);
  });
});
