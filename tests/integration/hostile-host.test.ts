// Issue 12, "no message can take a host down": the built browser-mode host runs as its own process on
// loopback, an attacker (tests/fixtures/hostile-client.mjs) as another, and after every attack the host
// must still be alive and answer GET /api/app-info with 200. Attackers come from their own loopback
// addresses (127.0.0.2–9: Linux routes all of 127/8 to lo), so per-address limits can be seen at work.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_CONNECTIONS_PER_ADDRESS } from '../../electron/signaling/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST_ENTRY = join(ROOT, 'dist/host/browser-host.mjs');
const ATTACKER = join(ROOT, 'tests/fixtures/hostile-client.mjs');
const HOST_START_TIMEOUT_MS = 15_000;
const ATTACK_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 5_000;
/** How often the host's HTTP latency is sampled during the flood. */
const LATENCY_SAMPLE_INTERVAL_MS = 100;
const FLOOD_MS = 10_000;

interface Host {
  readonly port: number;
  readonly process: ChildProcessWithoutNullStreams;
  output(): string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function stopAfterTest(child: ChildProcessWithoutNullStreams): void {
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS))]);
    if (!gone) child.kill('SIGKILL');
  });
}

/** `node dist/host/browser-host.mjs --port 0`, as a member starts browser mode. */
function startHost(): Promise<Host> {
  const child = spawn(process.execPath, [HOST_ENTRY, '--port', '0'], { cwd: ROOT, stdio: 'pipe' });
  stopAfterTest(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not start within ${HOST_START_TIMEOUT_MS} ms: ${output}`)),
      HOST_START_TIMEOUT_MS,
    );
    const onData = () => {
      const match = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({ port: Number(match[1]), process: child, output: () => output });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the host exited with ${code}: ${output}`))));
  });
}

const signalUrl = (host: Host) => `ws://127.0.0.1:${host.port}/signal`;

async function appInfoStatus(host: Host): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${host.port}/api/app-info`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** What every case ends with: the process is still there, and it still serves. */
async function expectAlive(host: Host): Promise<void> {
  expect(host.process.exitCode, host.output()).toBeNull();
  expect(host.process.signalCode, host.output()).toBeNull();
  expect(await appInfoStatus(host), host.output()).toBe(200);
  expect(host.output()).not.toContain('unexpected error');
}

interface Attacker {
  /** The first {"event":"ready"} line (attacks that hold connections). */
  ready(): Promise<Record<string, unknown>>;
  /** Lets a holding attack go, and resolves with its report. */
  release(): Promise<Record<string, unknown>>;
  report(): Promise<Record<string, unknown>>;
}

function attack(kind: 'nested' | 'connections' | 'flood' | 'origins', options: Record<string, unknown>): Attacker {
  const child = spawn(process.execPath, [ATTACKER, kind, JSON.stringify(options)], { cwd: ROOT, stdio: 'pipe' });
  stopAfterTest(child);
  const events: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (name: string): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + ATTACK_TIMEOUT_MS;
    for (;;) {
      const found = events.find((event) => event.event === name);
      if (found) return found;
      if (Date.now() > deadline || child.exitCode !== null) {
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100))]);
        const late = events.find((event) => event.event === name);
        if (late) return late;
        throw new Error(`the attacker sent no ${name}: ${JSON.stringify(events)} ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    ready: () => waitFor('ready'),
    report: () => waitFor('report'),
    release() {
      child.stdin.end('exit\n');
      return waitFor('report');
    },
  };
}

interface GoodClient {
  readonly received: Record<string, unknown>[];
  send(message: unknown): void;
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** An honest member's signaling connection, from this process. */
async function goodClient(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<GoodClient> {
  const socket = new WebSocket(url, options);
  cleanups.push(() => socket.terminate());
  const received: Record<string, unknown>[] = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    received,
    send: (message) => socket.send(JSON.stringify(message)),
    async next(predicate) {
      const deadline = Date.now() + ANSWER_TIMEOUT_MS;
      for (;;) {
        const index = received.findIndex(predicate);
        if (index !== -1) return received.splice(index, 1)[0]!;
        if (Date.now() > deadline) throw new Error(`no such message within ${ANSWER_TIMEOUT_MS} ms: ${JSON.stringify(received.slice(-3))}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** Subscribes, publishes, and gets its own publish back: the whole of what a member needs from signaling. */
async function subscribeAndPublish(client: GoodClient, topic: string): Promise<void> {
  client.send({ type: 'subscribe', topics: [topic] });
  client.send({ type: 'publish', topic, data: 'hello from an honest member' });
  expect(await client.next((message) => message.type === 'publish' && message.topic === topic)).toMatchObject({
    data: 'hello from an honest member',
    clients: 1,
  });
}

describe('the browser-mode host under attack, over loopback', () => {
  it.each([
    [10_000, false],
    [10_000, true],
    [100_000, false],
    [100_000, true],
  ])('survives a publish nested %i levels deep (subscriber: %s), and keeps relaying', async (depth, withSubscriber) => {
    const host = await startHost();
    const report = await attack('nested', { url: signalUrl(host), depth, withSubscriber }).report();
    expect(report).toMatchObject({ attackerAnswers: true, ...(withSubscriber ? { subscriberAnswers: true, relayed: 0 } : {}) });
    expect(report.frameBytes).toBeGreaterThanOrEqual(2 * depth);
    await subscribeAndPublish(await goodClient(signalUrl(host)), 'after-nested');
    await expectAlive(host);
  });

  it('lets 600 connections from one address take only its share, while another address connects and works', async () => {
    const host = await startHost();
    const greedy = attack('connections', { url: signalUrl(host), count: 600, localAddress: '127.0.0.2' });
    const ready = await greedy.ready();
    expect(ready).toMatchObject({ opened: MAX_CONNECTIONS_PER_ADDRESS, refused: { 503: 600 - MAX_CONNECTIONS_PER_ADDRESS } });
    const other = await goodClient(signalUrl(host), { localAddress: '127.0.0.3' });
    await subscribeAndPublish(other, 'another-address');
    await expectAlive(host);
    expect(await greedy.release()).toMatchObject({ opened: MAX_CONNECTIONS_PER_ADDRESS, stillOpen: MAX_CONNECTIONS_PER_ADDRESS });
    console.log(
      `600 connections from 127.0.0.2: ${String(ready.opened)} admitted, ${600 - Number(ready.opened)} refused with 503; 127.0.0.3 connected and relayed.`,
    );
  });

  it(
    'stays responsive through a 10-second flood from 100 connections, and a good client still subscribes and receives',
    async () => {
      const host = await startHost();
      const flood = attack('flood', {
        url: signalUrl(host),
        connections: 100,
        addresses: ['127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8', '127.0.0.9'],
        durationMs: FLOOD_MS,
        // 16 KiB at 50 a second is ~800 KiB/s per connection: inside each connection's own rate (1 MiB/s),
        // so only the server-wide budget stands between 100 of them and ~8 GB/s of fan-out.
        messageBytes: 16 * 1024,
        messagesPerSecond: 50,
      });
      expect(await flood.ready()).toMatchObject({ opened: 100 });
      const latencies: number[] = [];
      const floodEnds = Date.now() + FLOOD_MS - 1_000;
      let goodClientMs = Number.NaN;
      const goodClientRun = (async () => {
        // Into the flood first, so the budget is contended when the honest member arrives.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const started = performance.now();
        await subscribeAndPublish(await goodClient(signalUrl(host), { localAddress: '127.0.0.3' }), 'good-during-flood');
        goodClientMs = performance.now() - started;
      })();
      for (let sample = 0; sample < FLOOD_MS / LATENCY_SAMPLE_INTERVAL_MS && Date.now() < floodEnds; sample += 1) {
        const started = performance.now();
        expect(await appInfoStatus(host)).toBe(200);
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, LATENCY_SAMPLE_INTERVAL_MS));
      }
      await goodClientRun;
      const report = await flood.report();
      await expectAlive(host);
      const sorted = [...latencies].sort((a, b) => a - b);
      const percentile = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
      console.log(
        `Flood: ${String(report.sent)} publishes (${Math.round(Number(report.sentBytes) / 1024 / 1024)} MiB) from 100 connections in ${String(report.seconds)} s, ` +
          `${Math.round(Number(report.receivedBytes) / 1024 / 1024)} MiB relayed back to them; GET /api/app-info during it over ${latencies.length} samples: ` +
          `p50 ${percentile(0.5)} ms, p95 ${percentile(0.95)} ms, max ${Math.round(sorted.at(-1)!)} ms; good client's subscribe + publish + receive ${Math.round(goodClientMs)} ms.`,
      );
      expect(latencies.length).toBeGreaterThan(20);
      expect(percentile(0.95)).toBeLessThan(1_000);
      expect(goodClientMs).toBeLessThan(ANSWER_TIMEOUT_MS);
    },
    FLOOD_MS + 60_000,
  );

  it('refuses browser pages of foreign origins with 403 and admits the app’s own origins and non-browser clients', async () => {
    const host = await startHost();
    const foreign = [
      'https://evil.example',
      'null',
      'file://',
      'http://127.0.0.1.evil.com',
      'http://localhost.evil',
      'http://LOCALHOST.:5317',
      `http://evil.example@127.0.0.1:${host.port}`,
    ];
    const own = [null, `http://127.0.0.1:${host.port}`, 'http://localhost:5319', 'http://[::1]:5317', 'app://hearth'];
    const report = await attack('origins', { url: signalUrl(host), origins: [...foreign, ...own] }).report();
    const results = report.results as { origin: string | null; status: number | string; answers: boolean }[];
    expect(results.filter((result) => foreign.includes(result.origin as string))).toEqual(
      foreign.map((origin) => ({ origin, status: 403, answers: false })),
    );
    expect(results.filter((result) => own.includes(result.origin))).toEqual(own.map((origin) => ({ origin, status: 101, answers: true })));
    await expectAlive(host);
  });
});
