// The signaling server against real sockets on 127.0.0.1: y-webrtc's protocol, interop with the stock
// y-webrtc client (and, for comparison, the stock server), its bounds under abuse, and /signal on
// browser mode's host.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect, type Socket } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import {
  ABUSE_DROPS_IN_A_ROW,
  nestsDeeperThan,
  parseSignalingMessage,
  withClients,
  startSignalingServer,
  type RunningSignalingServer,
  type StartSignalingOptions,
} from '../../electron/signaling/server.js';
import { SIGNAL_PATH, startBrowserHost } from '../../electron/host/browser-host.js';

const LOOPBACK = '127.0.0.1';
const WAIT_MS = 5_000;
const POLL_MS = 10;
/** Two WebRTC peers in separate processes: start, signal, connect, sync. Seen at 1–3 s; CI is slower. */
const INTEROP_WAIT_MS = 20_000;
const INTEROP_TEST_MS = 45_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STOCK_PEER = join(ROOT, 'tests/fixtures/stock-peer.mjs');
const STOCK_SERVER = join(ROOT, 'node_modules/y-webrtc/bin/server.js');
const LOOPBACK_ONLY = join(ROOT, 'tests/fixtures/loopback-only.mjs');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function serve(options: Partial<StartSignalingOptions> = {}): Promise<RunningSignalingServer> {
  const server = await startSignalingServer({ port: 0, host: LOOPBACK, ...options });
  cleanups.push(async () => {
    await server.close();
    expect(server.stats().connections).toBe(0);
  });
  return server;
}

/** Every server test ends here: all sockets gone, so no subscription outlives its connection. */
async function expectNoLeaks(server: RunningSignalingServer): Promise<void> {
  await waitFor(() => server.stats().connections === 0, 'every connection to close');
  expect(server.stats()).toMatchObject({ connections: 0, topics: 0, subscriptions: 0 });
}

interface Client {
  readonly socket: WebSocket;
  readonly received: Record<string, unknown>[];
  send(message: unknown): void;
  next(predicate: (message: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
  readonly closed: Promise<number>;
}

async function client(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<Client> {
  const socket = new WebSocket(url, options);
  const received: Record<string, unknown>[] = [];
  socket.on('error', () => {});
  socket.on('message', (data) => received.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  const self: Client = {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(predicate, what) {
      let found: Record<string, unknown> | undefined;
      await waitFor(() => (found = received.find(predicate)) !== undefined, what);
      received.splice(received.indexOf(found!), 1);
      return found!;
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, WAIT_MS))]);
      socket.terminate();
    },
  };
  cleanups.push(() => self.close());
  return self;
}

/** Settles once everything sent before it was handled: the server answers messages in order. */
async function roundTrip(peer: Client): Promise<void> {
  peer.send({ type: 'ping' });
  await peer.next((message) => message.type === 'pong', 'a pong');
}

describe('signaling protocol (y-webrtc bin/server.js)', () => {
  it('relays a publish to every subscriber, the sender included, with the subscriber count', async () => {
    const server = await serve();
    const alice = await client(server.url);
    const bob = await client(server.url);
    alice.send({ type: 'subscribe', topics: ['room-1'] });
    bob.send({ type: 'subscribe', topics: ['room-1', 'room-2'] });
    await roundTrip(alice);
    await roundTrip(bob);
    expect(server.stats()).toMatchObject({ connections: 2, topics: 2, subscriptions: 3 });

    alice.send({ type: 'publish', topic: 'room-1', data: 'c2VjcmV0', clients: 99 });
    const expected = { type: 'publish', topic: 'room-1', data: 'c2VjcmV0', clients: 2 };
    expect(await bob.next((message) => message.type === 'publish', 'bob’s relay')).toEqual(expected);
    expect(await alice.next((message) => message.type === 'publish', 'alice’s own relay')).toEqual(expected);

    bob.send({ type: 'unsubscribe', topics: ['room-1'] });
    await roundTrip(bob);
    alice.send({ type: 'publish', topic: 'room-1', data: 'second' });
    expect(await alice.next((message) => message.data === 'second', 'the second relay')).toMatchObject({ clients: 1 });
    bob.send({ type: 'publish', topic: 'room-2', data: 'to bob only' });
    await bob.next((message) => message.data === 'to bob only', 'bob’s room-2 relay');
    await roundTrip(alice);
    expect(alice.received).toEqual([]);
    expect(bob.received.filter((message) => message.data === 'second')).toEqual([]);
    expect(server.stats()).toMatchObject({ topics: 2, subscriptions: 2, relayed: 4 });
    expect(Object.values(server.stats().dropped).every((count) => count === 0)).toBe(true);

    await alice.close();
    await bob.close();
    await expectNoLeaks(server);
  });

  it('answers ping with pong', async () => {
    const server = await serve();
    const peer = await client(server.url);
    peer.send({ type: 'ping' });
    expect(await peer.next(() => true, 'a pong')).toEqual({ type: 'pong' });
    await peer.close();
    await expectNoLeaks(server);
  });

  it('closes a connection that stops answering pings, and keeps one that answers', async () => {
    const server = await serve({ pingIntervalMs: 50 });
    const dead = await client(server.url, { autoPong: false });
    const alive = await client(server.url);
    await waitFor(() => server.stats().closedAsDead === 1, 'the dead connection to be closed');
    await dead.closed;
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    await roundTrip(alive);
    await alive.close();
    await expectNoLeaks(server);
  });
});

describe('parseSignalingMessage', () => {
  it.each([
    ['not json', 'notJson'],
    ['', 'notJson'],
    ['{"type":"subscribe"', 'notJson'],
    ['null', 'badShape'],
    ['42', 'badShape'],
    ['"publish"', 'badShape'],
    ['[{"type":"ping"}]', 'badShape'],
    ['{}', 'badShape'],
    ['{"type":7}', 'badShape'],
    ['{"type":"subscribe","topics":"room"}', 'badShape'],
    ['{"type":"unsubscribe","topics":{"0":"room"}}', 'badShape'],
    ['{"type":"publish"}', 'badShape'],
    ['{"type":"publish","topic":""}', 'badShape'],
    ['{"type":"publish","topic":["room"]}', 'badShape'],
    [`{"type":"publish","topic":"${'x'.repeat(257)}"}`, 'topicTooLong'],
    ['{"type":"__proto__"}', 'unknownType'],
    ['{"type":"announce"}', 'unknownType'],
  ])('refuses %j as %s', (text, reason) => {
    expect(parseSignalingMessage(text)).toEqual({ ok: false, reason });
  });

  // Refused by the scan before JSON.parse, valid JSON or not: nothing recursive ever sees them.
  it.each([
    ['a publish 10,000 arrays deep (~20 KB)', `{"type":"publish","topic":"t","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
    ['a publish 100,000 arrays deep', `{"type":"publish","topic":"t","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['33 nested objects', `{"type":"publish","topic":"t","data":${'{"a":'.repeat(33)}1${'}'.repeat(33)}}`],
    ['32 arrays inside the message (33 levels)', `{"type":"publish","topic":"t","data":${'['.repeat(32)}${']'.repeat(32)}}`],
    ['100,000 unclosed brackets', '['.repeat(100_000)],
    ['stray closers before deep nesting', `${']'.repeat(1_000)}${'['.repeat(1_000)}`],
    [
      'deep nesting after a string full of closers',
      `{"type":"publish","topic":"t","x":"${'}'.repeat(100)}","data":${'['.repeat(40)}${']'.repeat(40)}}`,
    ],
  ])('refuses %s as tooDeep', (_what, text) => {
    expect(parseSignalingMessage(text)).toEqual({ ok: false, reason: 'tooDeep' });
  });

  it('accepts what y-webrtc sends', () => {
    expect(parseSignalingMessage('{"type":"subscribe","topics":["a","b"]}')).toEqual({
      ok: true,
      message: { type: 'subscribe', topics: ['a', 'b'] },
    });
    expect(parseSignalingMessage('{"type":"subscribe"}')).toEqual({ ok: true, message: { type: 'subscribe', topics: [] } });
    expect(parseSignalingMessage('{"type":"ping"}')).toEqual({ ok: true, message: { type: 'ping' } });
    const publish = JSON.stringify({ type: 'publish', topic: 'a', data: 'ZW5jcnlwdGVk' });
    expect(parseSignalingMessage(publish)).toEqual({ ok: true, message: { type: 'publish', topic: 'a', text: publish } });
    // y-webrtc without a password publishes its signal unencrypted: about five levels deep.
    const unsealed = JSON.stringify({
      type: 'publish',
      topic: 'a',
      data: { type: 'signal', from: 'x', to: 'y', signal: { type: 'candidate', candidate: { candidate: 'c', sdpMid: '0' } } },
    });
    expect(parseSignalingMessage(unsealed)).toMatchObject({ ok: true });
    // 31 levels inside the outer object: exactly MAX_NESTING_DEPTH.
    const deepest = `{"type":"publish","topic":"t","data":${'['.repeat(31)}${']'.repeat(31)}}`;
    expect(parseSignalingMessage(deepest)).toMatchObject({ ok: true });
  });
});

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{}', 0, true],
    ['[[[]]]', 3, false],
    ['[[[]]]', 2, true],
    ['[[]][[]][[]]', 2, false],
    // Brackets inside strings do not count, escaped quotes do not end the string, escaped backslashes do.
    ['["[[[[[[[["]', 1, false],
    [String.raw`["\\"]`, 1, false],
    [String.raw`["\\", [[]]]`, 2, true],
    [String.raw`["\"[[[[["]`, 1, false],
    [String.raw`["\\"[[[[[`, 1, true],
    ['{"a":"}}}}","b":[[["x"]]]}', 4, false],
    ['{"a":"}}}}","b":[[["x"]]]}', 3, true],
    // Closers before openers cannot earn credit for deeper nesting later.
    [']]]]][[[', 2, true],
    ['', 0, false],
  ])('%j with a limit of %d: %s', (text, limit, deeper) => {
    expect(nestsDeeperThan(text, limit)).toBe(deeper);
  });
});

describe('withClients', () => {
  it.each([
    ['{"type":"publish","topic":"t"}', 3, { type: 'publish', topic: 't', clients: 3 }],
    // A sender's own `clients` is overridden: JSON.parse keeps the last of duplicate keys.
    ['{"type":"publish","topic":"t","clients":999}', 2, { type: 'publish', topic: 't', clients: 2 }],
    ['{"clients":"lie","type":"publish","topic":"t"}', 1, { type: 'publish', topic: 't', clients: 1 }],
    // Trailing whitespace, and a `}` inside the last string.
    ['{"type":"publish","topic":"t","data":"}"}\n  ', 4, { type: 'publish', topic: 't', data: '}', clients: 4 }],
    [
      '{"type":"publish","topic":"t","data":{"nested":{"x":[1,{}]}}}',
      5,
      { type: 'publish', topic: 't', data: { nested: { x: [1, {}] } }, clients: 5 },
    ],
  ])('%s relayed to %d', (text, clients, expected) => {
    expect(JSON.parse(withClients(text, clients))).toEqual(expected);
  });
});

interface Peer {
  readonly events: Record<string, unknown>[];
  waitForEvent(predicate: (event: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

/** Ends the child when the test ends, however it ends. */
function killAfterTest(child: ChildProcessWithoutNullStreams): void {
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), WAIT_MS))]);
    if (!gone) child.kill('SIGKILL');
  });
}

function track(child: ChildProcessWithoutNullStreams, name: string): Peer {
  killAfterTest(child);
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    events,
    async waitForEvent(predicate, what) {
      try {
        await waitFor(() => events.some(predicate), `${name}: ${what}`, INTEROP_WAIT_MS);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nevents: ${JSON.stringify(events)}\nstderr: ${stderr}`);
      }
      return events.find(predicate)!;
    },
  };
}

function stockPeer(name: string, signalingUrl: string, room: string, password: string, text?: string): Peer {
  const args = [STOCK_PEER, signalingUrl, room, password, ...(text ? [text] : [])];
  return track(spawn(process.execPath, args, { cwd: ROOT, stdio: 'pipe' }), name);
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, LOOPBACK, resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Two stock y-webrtc peers in their own processes; the first writes, the second must read it. */
async function expectStockPeersSync(signalingUrl: string): Promise<void> {
  const room = `hearth-interop-${process.pid}-${Date.now()}`;
  const text = 'written by the first peer';
  const writer = stockPeer('writer', signalingUrl, room, 'correct horse', text);
  // The reader starts once the writer is in the room. Two y-webrtc 10.3 peers that announce at the same
  // moment both dial (WebRTC "glare"), and about one pair in ten under load ends connected but never
  // synced, with the stock server as with ours: a client race, not a signaling one, so kept out of here.
  await writer.waitForEvent((event) => event.event === 'signaling-connected', 'signaling');
  const reader = stockPeer('reader', signalingUrl, room, 'correct horse');
  await reader.waitForEvent((event) => event.event === 'text' && event.text === text, 'the writer’s text');
}

describe('interop with the stock y-webrtc client', () => {
  it(
    'two stock peers sync through Hearth’s signaling server, which refuses none of their messages',
    async () => {
      const server = await serve();
      await expectStockPeersSync(server.url);
      const stats = server.stats();
      expect(stats).toMatchObject({ connections: 2, topics: 1, subscriptions: 2 });
      expect(stats.relayed).toBeGreaterThan(0);
      expect(stats.dropped).toEqual({
        notJson: 0,
        badShape: 0,
        unknownType: 0,
        oversize: 0,
        badFrame: 0,
        rateLimited: 0,
        topicLimit: 0,
        topicTooLong: 0,
        tooDeep: 0,
        overBudget: 0,
      });
      expect(stats).toMatchObject({ refusedForOrigin: 0, refusedForAddress: 0, handlerFaults: 0 });
      for (const cleanup of cleanups.splice(1).reverse()) await cleanup();
      await expectNoLeaks(server);
    },
    INTEROP_TEST_MS,
  );

  it(
    'two stock peers sync the same way through y-webrtc’s own bin/server.js',
    async () => {
      const port = await freePort();
      killAfterTest(
        spawn(process.execPath, ['--import', LOOPBACK_ONLY, STOCK_SERVER], {
          cwd: ROOT,
          env: { ...process.env, PORT: String(port) },
          stdio: 'pipe',
        }),
      );
      await waitForPort(port);
      await expectStockPeersSync(`ws://${LOOPBACK}:${port}`);
    },
    INTEROP_TEST_MS,
  );
});

async function waitForPort(port: number): Promise<void> {
  let open = false;
  const deadline = Date.now() + WAIT_MS;
  while (!open && Date.now() < deadline) {
    open = await new Promise<boolean>((resolve) => {
      const socket = netConnect(port, LOOPBACK);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!open) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!open) throw new Error(`nothing listens on ${port}`);
}

/** A WebSocket handshake by hand, for what a well-behaved client cannot do: lie in frame headers, stop reading. */
async function rawUpgrade(port: number, path: string, host = `${LOOPBACK}:${port}`): Promise<{ socket: Socket; status: number }> {
  const socket = netConnect(port, LOOPBACK);
  socket.on('error', () => {});
  cleanups.push(() => void socket.destroy());
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  let head = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no handshake answer')), WAIT_MS);
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      resolve();
    };
    socket.on('data', onData);
    socket.once('close', () => (clearTimeout(timer), resolve()));
  });
  return { socket, status: Number(head.split(' ', 2)[1] ?? 0) };
}

/** One masked client frame; `announcedLength` lets the header claim more than is sent. */
function clientFrame(payload: Buffer, announcedLength = payload.length): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const header =
    announcedLength < 126
      ? Buffer.from([0x81, 0x80 | announcedLength])
      : announcedLength < 65_536
        ? Buffer.from([0x81, 0x80 | 126, announcedLength >> 8, announcedLength & 0xff])
        : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(announcedLength)]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  return Buffer.concat([header, mask, masked]);
}

function bigEndian64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
}

describe('signaling under abuse', () => {
  it('drops garbage and wrong shapes, counts them, and keeps serving', async () => {
    const server = await serve();
    const attacker = await client(server.url);
    const honest = await client(server.url);
    honest.send({ type: 'subscribe', topics: ['room'] });
    const garbage = [
      'not json at all',
      '{"type":"subscribe","topics":',
      '[1,2,3]',
      'null',
      '{"type":{"nested":true}}',
      '{"type":"subscribe","topics":"room"}',
      '{"type":"subscribe","topics":[1,null,{},""]}',
      `{"type":"subscribe","topics":["${'x'.repeat(300)}"]}`,
      `{"type":"publish","topic":"${'x'.repeat(300)}"}`,
      '{"type":"publish","data":"no topic"}',
      '{"type":"constructor"}',
    ];
    for (const text of garbage) attacker.send(text);
    attacker.socket.send(Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    await roundTrip(attacker);
    expect(server.stats().dropped).toMatchObject({ notJson: 3, badShape: 9, topicTooLong: 2, unknownType: 1 });
    expect(server.stats()).toMatchObject({ connections: 2, topics: 1, subscriptions: 1 });

    attacker.send({ type: 'publish', topic: 'room', data: 'still relayed' });
    expect(await honest.next((message) => message.data === 'still relayed', 'the relay')).toMatchObject({ clients: 1 });
    await attacker.close();
    await honest.close();
    await expectNoLeaks(server);
  });

  it('refuses a 10 MB message by its frame header, then serves honest peers', async () => {
    const server = await serve();
    const before = process.memoryUsage();
    const attacker = await client(server.url);
    attacker.send('x'.repeat(10 * 1024 * 1024));
    expect(await attacker.closed).toBe(1009);
    expect(server.stats().dropped.oversize).toBe(1);

    // The same header with no body: refused before a byte of the body exists, so nothing is buffered.
    const { socket, status } = await rawUpgrade(server.port, '/');
    expect(status).toBe(101);
    const closeFrame = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.resume();
    socket.write(clientFrame(Buffer.alloc(0), 10 * 1024 * 1024));
    const answer = await closeFrame;
    expect(answer[0]).toBe(0x88);
    expect(answer.readUInt16BE(2)).toBe(1009);
    socket.destroy();
    await waitFor(() => server.stats().dropped.oversize === 2, 'the second refusal to be counted');
    const after = process.memoryUsage();
    // Client and server share this process; the 10 MB string is the client's, so only a loose bound.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 * 1024);

    const alice = await client(server.url);
    const bob = await client(server.url);
    alice.send({ type: 'subscribe', topics: ['room'] });
    bob.send({ type: 'subscribe', topics: ['room'] });
    await roundTrip(alice);
    await roundTrip(bob);
    alice.send({ type: 'publish', topic: 'room', data: 'after the attack' });
    await bob.next((message) => message.data === 'after the attack', 'the relay after the attack');
    await alice.close();
    await bob.close();
    await expectNoLeaks(server);
  });

  it('bounds the topics one connection may hold, however many it asks for', async () => {
    const server = await serve({ maxTopicsPerConnection: 64 });
    const attacker = await client(server.url);
    attacker.send({ type: 'subscribe', topics: Array.from({ length: 5_000 }, (_, index) => `topic-${index}`) });
    for (let batch = 0; batch < 50; batch += 1)
      attacker.send({ type: 'subscribe', topics: Array.from({ length: 100 }, (_, index) => `more-${batch}-${index}`) });
    await roundTrip(attacker);
    expect(server.stats()).toMatchObject({ topics: 64, subscriptions: 64 });
    expect(server.stats().dropped.topicLimit).toBe(5_000 - 64 + 50 * 100);

    attacker.send({ type: 'publish', topic: 'topic-63', data: 'kept' });
    attacker.send({ type: 'publish', topic: 'topic-64', data: 'refused' });
    await roundTrip(attacker);
    expect(attacker.received.map((message) => message.data)).toEqual(['kept']);

    // Leaving frees a slot: the bound is on what is held, not on what was ever asked.
    attacker.send({ type: 'unsubscribe', topics: ['topic-0'] });
    attacker.send({ type: 'subscribe', topics: ['late'] });
    await roundTrip(attacker);
    expect(server.stats()).toMatchObject({ topics: 64, subscriptions: 64 });
    await attacker.close();
    await expectNoLeaks(server);
  });

  it('refuses connections beyond the limit and serves honest peers once the flood is gone', async () => {
    const maxConnections = 20;
    const server = await serve({ maxConnections });
    const flood = await Promise.all(Array.from({ length: maxConnections }, () => client(server.url)));
    const refused = await Promise.allSettled(Array.from({ length: 10 }, () => client(server.url)));
    expect(refused.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'accepted'))).toEqual(
      Array(10).fill('Error: HTTP 503'),
    );
    expect(server.stats()).toMatchObject({ connections: maxConnections, refusedConnections: 10, acceptedConnections: maxConnections });

    await Promise.all(flood.map((socket) => socket.close()));
    await waitFor(() => server.stats().connections === 0, 'the flood to close');
    const alice = await client(server.url);
    const bob = await client(server.url);
    alice.send({ type: 'subscribe', topics: ['room'] });
    bob.send({ type: 'subscribe', topics: ['room'] });
    await roundTrip(alice);
    await roundTrip(bob);
    bob.send({ type: 'publish', topic: 'room', data: 'after the flood' });
    await alice.next((message) => message.data === 'after the flood', 'the relay after the flood');
    await alice.close();
    await bob.close();
    await expectNoLeaks(server);
  });

  it('relays a publish nested as deep as the limit allows and refuses a deeper one before parsing it', async () => {
    const server = await serve();
    const peer = await client(server.url);
    peer.send({ type: 'subscribe', topics: ['room'] });
    const nested = (depth: number) => `{"type":"publish","topic":"room","data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    peer.send(nested(10_000));
    peer.send(nested(31));
    expect(await peer.next((message) => message.type === 'publish', 'the shallow publish')).toMatchObject({ clients: 1 });
    await roundTrip(peer);
    expect(server.stats()).toMatchObject({ relayed: 1, handlerFaults: 0 });
    expect(server.stats().dropped.tooDeep).toBe(1);
    await peer.close();
    await expectNoLeaks(server);
  });

  it('refuses browser pages of foreign origins (403) and admits the app’s own and non-browser clients', async () => {
    const server = await serve();
    const foreign = ['https://evil.example', 'null', 'file://', 'http://127.0.0.1.evil.com', 'http://localhost.evil'];
    const refused = await Promise.allSettled(foreign.map((origin) => client(server.url, { origin })));
    expect(refused.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'accepted'))).toEqual(
      foreign.map(() => 'Error: HTTP 403'),
    );
    const admitted = [
      await client(server.url),
      await client(server.url, { origin: 'app://hearth' }),
      await client(server.url, { origin: 'http://127.0.0.1:5317' }),
    ];
    expect(server.stats()).toMatchObject({ connections: 3, refusedForOrigin: foreign.length });
    for (const peer of admitted) await peer.close();
    await expectNoLeaks(server);
  });

  it('refuses one address past its share of connections while another address still connects', async () => {
    const server = await serve({ maxConnectionsPerAddress: 5, maxConnections: 8 });
    const greedy = await Promise.all(Array.from({ length: 5 }, () => client(server.url, { localAddress: '127.0.0.2' })));
    const refused = await Promise.allSettled(Array.from({ length: 5 }, () => client(server.url, { localAddress: '127.0.0.2' })));
    expect(refused.every((outcome) => outcome.status === 'rejected' && String(outcome.reason) === 'Error: HTTP 503')).toBe(true);
    const other = await client(server.url, { localAddress: '127.0.0.3' });
    await roundTrip(other);
    expect(server.stats()).toMatchObject({ connections: 6, refusedForAddress: 5, refusedConnections: 0 });
    // A closed connection gives its address its slot back.
    await greedy[0]!.close();
    await waitFor(() => server.stats().connections === 5, 'the slot to be freed');
    const late = await client(server.url, { localAddress: '127.0.0.2' });
    await roundTrip(late);
    for (const peer of [...greedy, late, other]) await peer.close();
    await expectNoLeaks(server);
  });

  it('shares the relay budget fairly: a flood from many connections cannot starve an honest publish', async () => {
    const relayBytesPerSecond = 200_000;
    const server = await serve({ relayBytesPerSecond });
    const flooders = await Promise.all(Array.from({ length: 10 }, () => client(server.url)));
    for (const flooder of flooders) flooder.send({ type: 'subscribe', topics: ['flood'] });
    await Promise.all(flooders.map(roundTrip));
    const honest = await client(server.url);
    honest.send({ type: 'subscribe', topics: ['own'] });
    await roundTrip(honest);
    const started = performance.now();
    // Each publish asks for ~10 × 5 KB of relaying: the ten flood the budget ~25 times over.
    const publish = { type: 'publish', topic: 'flood', data: 'x'.repeat(5_000) };
    for (let round = 0; round < 10; round += 1) for (const flooder of flooders) flooder.send(publish);
    honest.send({ type: 'publish', topic: 'own', data: 'honest' });
    expect(await honest.next((message) => message.data === 'honest', 'the honest relay')).toMatchObject({ clients: 1 });
    await Promise.all(flooders.map(roundTrip));
    const windows = Math.ceil((performance.now() - started) / 1_000) + 1;
    const stats = server.stats();
    expect(stats.dropped.overBudget).toBeGreaterThan(0);
    // Relaying is cut at the budget's ceiling (two budgets a window), whatever was asked.
    const floodRelays = stats.relayed - 1;
    expect(floodRelays * 5_000).toBeLessThanOrEqual(2 * relayBytesPerSecond * windows);
    expect(stats.closedForAbuse).toBe(0);
    for (const peer of [...flooders, honest]) await peer.close();
    await expectNoLeaks(server);
  });

  it('drops what a connection sends over its rate, and keeps the connection', async () => {
    const burst = 20;
    const server = await serve({ maxMessagesPerSecond: 1, messageBurst: burst });
    const eager = await client(server.url);
    const sent = 30;
    for (let index = 0; index < sent; index += 1) eager.send({ type: 'ping' });
    await waitFor(() => eager.received.length + server.stats().dropped.rateLimited >= sent, 'every ping to be answered or dropped');
    // At one message a second, at most one more token can have come back while the pings were handled.
    expect(eager.received.length).toBeGreaterThanOrEqual(burst);
    expect(eager.received.length).toBeLessThanOrEqual(burst + 1);
    expect(server.stats()).toMatchObject({ connections: 1, closedForAbuse: 0 });
    expect(eager.socket.readyState).toBe(WebSocket.OPEN);
    await eager.close();
    await expectNoLeaks(server);
  });

  it('closes a connection that floods far past its rate, and serves honest peers meanwhile', async () => {
    const burst = 20;
    const server = await serve({ maxMessagesPerSecond: 1, messageBurst: burst });
    const honest = await client(server.url);
    const flooder = await client(server.url);
    const started = performance.now();
    const flood = 3 * ABUSE_DROPS_IN_A_ROW;
    for (let index = 0; index < flood; index += 1) flooder.send({ type: 'ping' });
    expect(await flooder.closed).toBe(1008);
    const elapsedSeconds = (performance.now() - started) / 1000;
    const stats = server.stats();
    expect(stats.closedForAbuse).toBe(1);
    expect(stats.dropped.rateLimited).toBe(ABUSE_DROPS_IN_A_ROW);
    expect(flooder.received.length).toBeLessThanOrEqual(burst + Math.ceil(elapsedSeconds) + 1);
    await roundTrip(honest);
    await honest.close();
    await expectNoLeaks(server);
  });

  it('limits the bytes a connection may send, not only its messages', async () => {
    const server = await serve({ maxMessageBytes: 1_000, byteBurst: 1_000, maxBytesPerSecond: 1 });
    const peer = await client(server.url);
    const publish = { type: 'publish', topic: 'room', data: 'x'.repeat(900) };
    peer.send({ type: 'subscribe', topics: ['room'] });
    peer.send(publish);
    peer.send(publish);
    await waitFor(() => server.stats().dropped.rateLimited === 1, 'the second publish to be dropped');
    expect(server.stats()).toMatchObject({ subscriptions: 1, relayed: 1 });
    expect(server.stats().dropped.rateLimited).toBe(1);
    await peer.close();
    await expectNoLeaks(server);
  });

  it('closes a receiver that stops reading instead of buffering for it without bound', async () => {
    const server = await serve({ maxBytesPerSecond: 1024 ** 3, byteBurst: 1024 ** 3 });
    const { socket, status } = await rawUpgrade(server.port, '/');
    expect(status).toBe(101);
    socket.write(clientFrame(Buffer.from(JSON.stringify({ type: 'subscribe', topics: ['room'] }))));
    await waitFor(() => server.stats().subscriptions === 1, 'the silent receiver’s subscription');
    // The socket stays paused from the handshake on: the kernel's buffers fill, then the server's.
    const publisher = await client(server.url);
    const message = JSON.stringify({ type: 'publish', topic: 'room', data: 'x'.repeat(200 * 1024) });
    for (let index = 0; index < 400 && server.stats().closedAsSlow === 0; index += 1) {
      publisher.send(message);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitFor(() => server.stats().closedAsSlow === 1, 'the silent receiver to be closed');
    expect(server.stats()).toMatchObject({ connections: 1, subscriptions: 0 });
    socket.destroy();
    await publisher.close();
    await expectNoLeaks(server);
  });
});

function rendererRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'hearth-signal-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  return root;
}

function httpStatus(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: LOOPBACK, port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('browser mode host at /signal', () => {
  it('relays signaling on the same port, for any Host, while HTTP keeps its Host guard', async () => {
    const host = await startBrowserHost({ rootDir: rendererRoot(), port: 0, version: '0.0.0' });
    if (host.kind !== 'started') throw new Error('expected a new host');
    cleanups.push(() => host.close());
    const url = `ws://${LOOPBACK}:${host.port}${SIGNAL_PATH}`;
    const alice = await client(url);
    const bob = await client(url, { headers: { host: `192.168.1.20:${host.port}` } });
    alice.send({ type: 'subscribe', topics: ['room'] });
    await roundTrip(alice);
    bob.send({ type: 'publish', topic: 'room', data: 'over the LAN' });
    await alice.next((message) => message.data === 'over the LAN', 'the relay');

    expect(await httpStatus(host.port, '/', `192.168.1.20:${host.port}`)).toBe(421);
    expect((await rawUpgrade(host.port, '/elsewhere')).status).toBe(404);

    // close() must end upgraded sockets too: the HTTP server no longer owns them.
    await host.close();
    expect(await alice.closed).toBe(1001);
    await bob.closed;
  });
});
