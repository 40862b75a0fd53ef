// Hearth's signaling server: a bounded relay that speaks y-webrtc's signaling protocol, shared by the
// desktop shell, browser mode's host (at /signal) and headless peers.
//
// The protocol is the one of node_modules/y-webrtc/bin/server.js, message for message:
//   {type:'subscribe', topics:[…]}   join topics (y-webrtc room names)
//   {type:'unsubscribe', topics:[…]} leave them
//   {type:'publish', topic, …}       relayed, with `clients` (the topic's subscriber count) added, to every
//                                    subscriber of the topic, the sender included
//   {type:'ping'}                    answered with {type:'pong'}
// and the server pings every connection, closing the ones that stop answering.
//
// What differs from the stock server is that every resource a peer can make us hold is bounded, and
// every message we refuse is counted instead of throwing: peers are untrusted input.
//
// The Origin of a WebSocket upgrade is checked (admission.ts): WebSockets are not bound by the
// same-origin policy, so without the check any web page the member visits could open
// ws://127.0.0.1:<port>/signal and use their relay. No Origin (native peers, y-webrtc in Node) and the
// app's own origins (app://hearth, loopback pages of any port, which is what a browser-mode member's
// page sends to another member's LAN listener) pass; every other origin gets HTTP 403. Host is not
// checked: LAN peers connect by IP, and the Origin check is what keeps web pages out.
//
// One message must never take the host down: every event handler is guarded (shared/guarded-handler.ts),
// frames nested deeper than MAX_NESTING_DEPTH are refused before JSON.parse, and a publish is relayed
// as the sender's own text with `clients` spliced in, never re-serialised from a peer's structure
// (JSON.stringify of a 10,000-deep array overflows the stack). Per-address connection limits keep one
// address from taking every slot, and a relay budget shared fairly across connections keeps a flood
// from many connections from starving the event loop.
//
// One file over ~400 lines because each bound above is defined, parsed for and enforced here together:
// changing one limit means reading its constant, the frame check and the connection state it bounds;
// the Origin and per-address rules already live apart (admission.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createFaultCounter } from '../../shared/guarded-handler.js';
import { addressGroup, isAllowedSignalingOrigin } from './admission.js';

/** Largest message a peer may send. y-webrtc's messages are SDP offers and ICE candidates: a few KiB. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Topics (rooms) one connection may be subscribed to at once; a member is in a handful of communities. */
export const MAX_TOPICS_PER_CONNECTION = 64;
/** Open connections the server holds; more are refused with HTTP 503 until some close. */
export const MAX_CONNECTIONS = 512;
/**
 * Open connections from one address (an IPv6 /64), so one address cannot take all MAX_CONNECTIONS. On
 * loopback every local client shares 127.0.0.1: integration tests and benchmarks run up to ~30 peer
 * processes (one connection each per server: y-webrtc shares one per URL in a process) and e2e several
 * browser contexts, so the default is about twice that.
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 64;
/**
 * Deepest nesting of objects and arrays a frame may have; deeper ones are refused before JSON.parse.
 * y-webrtc's messages nest about five levels (publish → signal → sdp/candidate), Hearth's sealed ones
 * one; 32 leaves room for any honest client while a frame 10,000 levels deep, which made
 * JSON.stringify overflow the stack, costs one linear scan.
 */
export const MAX_NESTING_DEPTH = 32;
/**
 * Relay work the whole server does per second, in bytes written (a publish costs its size, plus
 * RELAY_WRITE_COST_BYTES, times its receivers). Up to this, any connection within its own rate is
 * relayed; past it (contention), only connections within their fair share of this window are, so a flood
 * from many connections cannot starve an honest one. About 30 members joining one room at once write
 * a few MiB a second; the bound is what keeps a busy two-core machine answering during a flood.
 */
export const RELAY_BYTES_PER_SECOND = 32 * 1024 * 1024;
/** What one write costs beyond its bytes (a frame, a syscall): a tiny publish to a big room is not free. */
export const RELAY_WRITE_COST_BYTES = 256;
/** The budget's accounting window. */
export const RELAY_BUDGET_WINDOW_MS = 1_000;
/**
 * Past the budget, connections within their fair share still get through until this many budgets are
 * spent in a window: the hard ceiling of relay work, and the room that guarantees an honest client its
 * share (those over their share stop at one budget, those within it can add at most one more).
 */
export const RELAY_BUDGET_CEILING = 2;
/** Longest topic name, in UTF-16 code units. Hearth's room names are derived hashes, far shorter. */
export const MAX_TOPIC_LENGTH = 256;
/** Sustained message rate per connection. */
export const MAX_MESSAGES_PER_SECOND = 100;
/**
 * Messages a connection may send at once before the rate applies. A member joining a room of ~30
 * peers sends an offer and several ICE candidates to each within a second or two.
 */
export const MESSAGE_BURST = 500;
/** Sustained bytes per second per connection; caps what one peer can make us relay to a big topic. */
export const MAX_BYTES_PER_SECOND = 1024 * 1024;
/** Bytes a connection may send at once; at least one largest message. */
export const BYTE_BURST = 4 * MAX_MESSAGE_BYTES;
/**
 * Gross abuse: this many messages in a row over the rate limit close the connection (code 1008). An
 * honest client that overshoots sends a few over budget, then a message gets through again and the
 * count starts over; only a flood runs this far ahead of the bucket.
 */
export const ABUSE_DROPS_IN_A_ROW = 1_000;
/** Bytes waiting to be written to one receiver; past this it is not reading, and is closed. */
export const MAX_BUFFERED_BYTES_PER_CONNECTION = 2 * MAX_MESSAGE_BYTES;
/** How often each connection is pinged; one that has not answered the previous ping is closed. */
export const PING_INTERVAL_MS = 30_000;
/** On close(), how long peers get to answer our close frame before their sockets are cut. */
export const CLOSE_GRACE_MS = 1_000;

const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_GOING_AWAY = 1001;
const WS_OPEN = 1;

export type DropReason =
  | 'notJson'
  | 'badShape'
  | 'unknownType'
  | 'oversize'
  | 'badFrame'
  | 'rateLimited'
  | 'topicLimit'
  | 'topicTooLong'
  /** Nested deeper than MAX_NESTING_DEPTH. */
  | 'tooDeep'
  /** A publish refused because the server's relay budget was contended and the sender had had its share. */
  | 'overBudget';

export interface SignalingStats {
  /** Open connections now. */
  readonly connections: number;
  /** Topics with at least one subscriber now. */
  readonly topics: number;
  /** (connection, topic) pairs now. */
  readonly subscriptions: number;
  readonly acceptedConnections: number;
  /** Upgrades refused because MAX_CONNECTIONS were open. */
  readonly refusedConnections: number;
  /** Upgrades refused because their address (or /64) had MAX_CONNECTIONS_PER_ADDRESS open. */
  readonly refusedForAddress: number;
  /** Upgrades refused (403) for a foreign Origin. */
  readonly refusedForOrigin: number;
  /** Unexpected throws caught in a handler (a bug, logged once); the server kept running. */
  readonly handlerFaults: number;
  readonly closedForAbuse: number;
  /** Connections that stopped answering pings. */
  readonly closedAsDead: number;
  /** Receivers closed because they stopped reading what we sent. */
  readonly closedAsSlow: number;
  /** Messages written to subscribers (one publish to n subscribers counts n). */
  readonly relayed: number;
  /** Refused messages (for topic reasons: refused topics), by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
}

export interface SignalingOptions {
  readonly maxConnections?: number;
  readonly maxConnectionsPerAddress?: number;
  readonly maxNestingDepth?: number;
  readonly relayBytesPerSecond?: number;
  readonly maxMessageBytes?: number;
  readonly maxTopicsPerConnection?: number;
  readonly maxTopicLength?: number;
  readonly maxMessagesPerSecond?: number;
  readonly messageBurst?: number;
  readonly maxBytesPerSecond?: number;
  readonly byteBurst?: number;
  readonly pingIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface SignalingServer {
  /** Takes over an HTTP upgrade request (the caller has already matched the path). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Serves signaling at `path` on an existing HTTP server. It owns that server's upgrades: upgrades to
   * other paths are answered 404. A server with more WebSocket services should call handleUpgrade.
   */
  attach(httpServer: Server, path: string): void;
  stats(): SignalingStats;
  /** Closes every connection and detaches from the HTTP server; the HTTP server itself stays open. */
  close(): void;
}

/** A message from a peer that passed validation. `publish` keeps the sender's text: it is relayed as sent. */
export type SignalingMessage =
  | { readonly type: 'subscribe' | 'unsubscribe'; readonly topics: readonly unknown[] }
  | { readonly type: 'publish'; readonly topic: string; readonly text: string }
  | { readonly type: 'ping' };

export type ParsedMessage = { readonly ok: true; readonly message: SignalingMessage } | { readonly ok: false; readonly reason: DropReason };

/** Parses one text frame. Pure, so the shapes it refuses can be listed in a table test. */
export function parseSignalingMessage(text: string, maxTopicLength = MAX_TOPIC_LENGTH, maxNestingDepth = MAX_NESTING_DEPTH): ParsedMessage {
  if (nestsDeeperThan(text, maxNestingDepth)) return { ok: false, reason: 'tooDeep' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'notJson' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'badShape' };
  const record = value;
  const type = record.type;
  if (typeof type !== 'string') return { ok: false, reason: 'badShape' };
  switch (type) {
    case 'subscribe':
    case 'unsubscribe': {
      // The stock server treats a missing list as empty; so do we, but a list must be a list.
      const topics = record.topics ?? [];
      if (!Array.isArray(topics)) return { ok: false, reason: 'badShape' };
      return { ok: true, message: { type, topics } };
    }
    case 'publish': {
      const topic = record.topic;
      if (typeof topic !== 'string' || topic.length === 0) return { ok: false, reason: 'badShape' };
      if (topic.length > maxTopicLength) return { ok: false, reason: 'topicTooLong' };
      return { ok: true, message: { type, topic, text } };
    }
    case 'ping':
      return { ok: true, message: { type } };
    default:
      return { ok: false, reason: 'unknownType' };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when `text` opens more than `maxDepth` objects and arrays at once, counting brackets outside
 * strings (an escaped quote does not end one). One pass, no allocation: this is the check that runs
 * before anything recursive. Text that is not JSON may count oddly; JSON.parse refuses it after.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && depth > 0) {
      // Never below zero: stray closers up front must not buy room for deeper nesting after them.
      depth -= 1;
    }
  }
  return false;
}

/**
 * A publish as relayed: the sender's own text with `"clients":n` spliced in before its final `}`. The
 * text parsed to an object with a type and a topic, so it ends in `}` (then only whitespace) and is not
 * `{}`. JSON.parse keeps the last of duplicate keys, so a `clients` the sender set is overridden, as the
 * stock server's `message.clients = n` does. The peer's structure is never re-serialised.
 */
export function withClients(publishText: string, clients: number): string {
  const end = publishText.lastIndexOf('}');
  return `${publishText.slice(0, end)},"clients":${clients}}`;
}

/** A token bucket: `capacity` at once, refilled at `perSecond`. */
interface Bucket {
  tokens: number;
  readonly capacity: number;
  readonly perSecond: number;
}

function refill(bucket: Bucket, elapsedMs: number): void {
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (elapsedMs * bucket.perSecond) / 1000);
}

interface Connection {
  readonly socket: WebSocket;
  readonly topics: Set<string>;
  readonly messages: Bucket;
  readonly bytes: Bucket;
  lastRefillMs: number;
  dropsInARow: number;
  answeredPing: boolean;
  closed: boolean;
  /** The addressGroup it counts against. */
  readonly addressGroup: string;
  /** The relay budget's window this connection last published in, and what it spent there. */
  budgetWindow: number;
  spentInWindow: number;
}

/** The server-wide relay budget (RELAY_BYTES_PER_SECOND), in fixed windows. */
interface RelayBudget {
  window: number;
  windowStartMs: number;
  spent: number;
  /** Connections that published in this window: the budget's fair share is split between them. */
  publishers: number;
}

export function createSignalingServer(options: SignalingOptions = {}): SignalingServer {
  const limits = {
    maxConnections: options.maxConnections ?? MAX_CONNECTIONS,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS,
    maxNestingDepth: options.maxNestingDepth ?? MAX_NESTING_DEPTH,
    relayBytesPerSecond: options.relayBytesPerSecond ?? RELAY_BYTES_PER_SECOND,
    maxMessageBytes: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    maxTopicsPerConnection: options.maxTopicsPerConnection ?? MAX_TOPICS_PER_CONNECTION,
    maxTopicLength: options.maxTopicLength ?? MAX_TOPIC_LENGTH,
    maxMessagesPerSecond: options.maxMessagesPerSecond ?? MAX_MESSAGES_PER_SECOND,
    messageBurst: options.messageBurst ?? MESSAGE_BURST,
    maxBytesPerSecond: options.maxBytesPerSecond ?? MAX_BYTES_PER_SECOND,
    byteBurst: Math.max(options.byteBurst ?? BYTE_BURST, options.maxMessageBytes ?? MAX_MESSAGE_BYTES),
    pingIntervalMs: options.pingIntervalMs ?? PING_INTERVAL_MS,
  };
  const log = options.log ?? (() => {});
  const faults = createFaultCounter('Signaling', log);
  // ws refuses a frame whose header announces more than maxPayload before reading its body, so an
  // oversize message costs us a header, not its bytes. Compression stays off: a small deflated frame
  // could inflate past every bound here.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  const connections = new Set<Connection>();
  const topics = new Map<string, Set<Connection>>();
  /** Open connections per addressGroup; a group leaves the map with its last connection. */
  const perAddress = new Map<string, number>();
  const budget: RelayBudget = { window: 0, windowStartMs: performance.now(), spent: 0, publishers: 0 };
  const counters = {
    acceptedConnections: 0,
    refusedConnections: 0,
    refusedForAddress: 0,
    refusedForOrigin: 0,
    closedForAbuse: 0,
    closedAsDead: 0,
    closedAsSlow: 0,
    relayed: 0,
  };
  const dropped: Record<DropReason, number> = {
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
  };
  let closing = false;
  const detachers: (() => void)[] = [];

  const pingTimer = setInterval(
    faults.guard('the ping timer', () => {
      for (const connection of connections) {
        if (!connection.answeredPing) {
          counters.closedAsDead += 1;
          drop(connection);
          connection.socket.terminate();
          continue;
        }
        connection.answeredPing = false;
        try {
          connection.socket.ping();
        } catch {
          drop(connection);
          connection.socket.terminate();
        }
      }
    }),
    limits.pingIntervalMs,
  );
  // A signaling server alone must not keep a headless peer's process alive.
  pingTimer.unref();

  function subscriptionCount(): number {
    let total = 0;
    for (const connection of connections) total += connection.topics.size;
    return total;
  }

  /** Forgets a connection's subscriptions; called once, whichever way it ends. */
  function drop(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    connections.delete(connection);
    const sameAddress = (perAddress.get(connection.addressGroup) ?? 1) - 1;
    if (sameAddress > 0) perAddress.set(connection.addressGroup, sameAddress);
    else perAddress.delete(connection.addressGroup);
    for (const topic of connection.topics) unsubscribe(connection, topic);
  }

  function unsubscribe(connection: Connection, topic: string): void {
    connection.topics.delete(topic);
    const subscribers = topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(connection);
    // The stock server keeps empty topics forever; here they go, so the map is bounded by live subscriptions.
    if (subscribers.size === 0) topics.delete(topic);
  }

  function closeForAbuse(connection: Connection, why: string): void {
    counters.closedForAbuse += 1;
    log(`Signaling: closed a connection for ${why}.`);
    drop(connection);
    connection.socket.close(CLOSE_POLICY_VIOLATION, why);
  }

  /** Writes to one connection unless it is gone or stopped reading; true when written. */
  function send(receiver: Connection, text: string): boolean {
    if (receiver.closed || receiver.socket.readyState !== WS_OPEN) return false;
    if (receiver.socket.bufferedAmount > MAX_BUFFERED_BYTES_PER_CONNECTION) {
      // It stopped reading; holding more for it would let one idle socket grow our memory without bound.
      counters.closedAsSlow += 1;
      drop(receiver);
      receiver.socket.terminate();
      return false;
    }
    receiver.socket.send(text);
    return true;
  }

  /** Spends one message and its bytes; false when either bucket is empty. */
  function withinRate(connection: Connection, bytes: number): boolean {
    const now = performance.now();
    const elapsedMs = now - connection.lastRefillMs;
    connection.lastRefillMs = now;
    refill(connection.messages, elapsedMs);
    refill(connection.bytes, elapsedMs);
    if (connection.messages.tokens < 1 || connection.bytes.tokens < bytes) return false;
    connection.messages.tokens -= 1;
    connection.bytes.tokens -= bytes;
    return true;
  }

  /**
   * Spends `cost` of the server's relay budget for `connection`; false when the budget is contended and
   * the connection has had its fair share of this window (or the window's hard ceiling is reached).
   */
  function withinBudget(connection: Connection, cost: number): boolean {
    const now = performance.now();
    if (now - budget.windowStartMs >= RELAY_BUDGET_WINDOW_MS) {
      budget.window += 1;
      budget.windowStartMs = now;
      budget.spent = 0;
      budget.publishers = 0;
    }
    if (connection.budgetWindow !== budget.window) {
      connection.budgetWindow = budget.window;
      connection.spentInWindow = 0;
      budget.publishers += 1;
    }
    const fairShare = limits.relayBytesPerSecond / budget.publishers;
    const uncontended = budget.spent + cost <= limits.relayBytesPerSecond;
    const withinShare =
      connection.spentInWindow + cost <= fairShare && budget.spent + cost <= RELAY_BUDGET_CEILING * limits.relayBytesPerSecond;
    if (!uncontended && !withinShare) return false;
    budget.spent += cost;
    connection.spentInWindow += cost;
    return true;
  }

  function onMessage(connection: Connection, data: RawData): void {
    if (connection.closed) return;
    // ws hands over one Buffer (binaryType 'nodebuffer', the default); the other shapes are for completeness.
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data));
    // The rate is checked before parsing: parsing is the cost a flood would make us pay.
    if (!withinRate(connection, buffer.byteLength)) {
      dropped.rateLimited += 1;
      connection.dropsInARow += 1;
      if (connection.dropsInARow >= ABUSE_DROPS_IN_A_ROW) closeForAbuse(connection, 'flooding');
      return;
    }
    connection.dropsInARow = 0;
    // Binary frames are read as UTF-8 text, as the stock server does.
    const parsed = parseSignalingMessage(buffer.toString('utf8'), limits.maxTopicLength, limits.maxNestingDepth);
    if (!parsed.ok) {
      dropped[parsed.reason] += 1;
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'subscribe':
        for (const topic of message.topics) {
          if (typeof topic !== 'string' || topic.length === 0) {
            dropped.badShape += 1;
          } else if (topic.length > limits.maxTopicLength) {
            dropped.topicTooLong += 1;
          } else if (!connection.topics.has(topic)) {
            if (connection.topics.size >= limits.maxTopicsPerConnection) {
              dropped.topicLimit += 1;
              continue;
            }
            connection.topics.add(topic);
            let subscribers = topics.get(topic);
            if (!subscribers) topics.set(topic, (subscribers = new Set()));
            subscribers.add(connection);
          }
        }
        return;
      case 'unsubscribe':
        for (const topic of message.topics) if (typeof topic === 'string') unsubscribe(connection, topic);
        return;
      case 'publish': {
        const receivers = topics.get(message.topic);
        if (!receivers) return;
        // One text for all receivers, and the sender's own: see withClients.
        const text = withClients(message.text, receivers.size);
        if (!withinBudget(connection, receivers.size * (text.length + RELAY_WRITE_COST_BYTES))) {
          dropped.overBudget += 1;
          return;
        }
        for (const receiver of [...receivers]) if (send(receiver, text)) counters.relayed += 1;
        return;
      }
      case 'ping':
        send(connection, JSON.stringify({ type: 'pong' }));
        return;
    }
  }

  function onConnection(socket: WebSocket, request: IncomingMessage): void {
    const group = addressGroup(request.socket.remoteAddress);
    const connection: Connection = {
      socket,
      topics: new Set(),
      messages: { tokens: limits.messageBurst, capacity: limits.messageBurst, perSecond: limits.maxMessagesPerSecond },
      bytes: { tokens: limits.byteBurst, capacity: limits.byteBurst, perSecond: limits.maxBytesPerSecond },
      lastRefillMs: performance.now(),
      dropsInARow: 0,
      answeredPing: true,
      closed: false,
      addressGroup: group,
      budgetWindow: -1,
      spentInWindow: 0,
    };
    connections.add(connection);
    perAddress.set(group, (perAddress.get(group) ?? 0) + 1);
    counters.acceptedConnections += 1;
    // Whatever made a handler throw came from this peer (or hit it): it is cut off, the server goes on.
    const cutOff = () => {
      drop(connection);
      socket.terminate();
    };
    socket.on(
      'message',
      faults.guard('a message', (data: RawData) => onMessage(connection, data), cutOff),
    );
    socket.on('pong', () => (connection.answeredPing = true));
    socket.on(
      'close',
      faults.guard('a close', () => drop(connection)),
    );
    // ws reports bad frames here and closes the socket itself (1009 for a frame over maxPayload);
    // without this listener the error would crash the process.
    socket.on(
      'error',
      faults.guard(
        'a socket error',
        (error: Error & { code?: string }) => {
          if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') dropped.oversize += 1;
          else dropped.badFrame += 1;
          drop(connection);
        },
        cutOff,
      ),
    );
  }

  function refuse(socket: Duplex, status: 503 | 404 | 403, text: string): void {
    // A reset from the other side must not become an unhandled 'error' event.
    socket.on('error', () => {});
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    if (!isAllowedSignalingOrigin(request.headers.origin)) {
      counters.refusedForOrigin += 1;
      return refuse(socket, 403, 'Forbidden');
    }
    // The upgrade below completes synchronously (no verifyClient), so these counts cannot be raced.
    if (connections.size >= limits.maxConnections) {
      counters.refusedConnections += 1;
      return refuse(socket, 503, 'Service Unavailable');
    }
    if ((perAddress.get(addressGroup(request.socket.remoteAddress)) ?? 0) >= limits.maxConnectionsPerAddress) {
      counters.refusedForAddress += 1;
      return refuse(socket, 503, 'Service Unavailable');
    }
    wss.handleUpgrade(request, socket, head, onConnection);
  }
  const guardedUpgrade = faults.guard('an upgrade', upgrade, (_request, socket) => socket.destroy());

  const server: SignalingServer = {
    handleUpgrade: guardedUpgrade,
    attach(httpServer, path) {
      const onUpgrade = faults.guard(
        'an upgrade',
        (request: IncomingMessage, socket: Duplex, head: Buffer) => {
          const pathname = (request.url ?? '/').split('?', 1)[0];
          if (pathname === path) upgrade(request, socket, head);
          else refuse(socket, 404, 'Not Found');
        },
        (_request, socket) => socket.destroy(),
      );
      httpServer.on('upgrade', onUpgrade);
      detachers.push(() => httpServer.off('upgrade', onUpgrade));
    },
    stats() {
      return {
        connections: connections.size,
        topics: topics.size,
        subscriptions: subscriptionCount(),
        ...counters,
        handlerFaults: faults.count(),
        dropped: { ...dropped },
      };
    },
    close() {
      closing = true;
      clearInterval(pingTimer);
      for (const detach of detachers.splice(0)) detach();
      const closingSockets = [...connections].map((connection) => connection.socket);
      for (const connection of [...connections]) {
        drop(connection);
        // Going away (1001) tells y-webrtc clients to reconnect elsewhere or later, not that they erred.
        connection.socket.close(CLOSE_GOING_AWAY, 'server closing');
      }
      // A peer that never answers the close frame must not hold its socket, or an HTTP server's close, open.
      if (closingSockets.length > 0) setTimeout(() => closingSockets.forEach((socket) => socket.terminate()), CLOSE_GRACE_MS).unref();
      wss.close();
    },
  };
  return server;
}

export interface StartSignalingOptions extends SignalingOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Loopback unless the caller means to serve the LAN. */
  readonly host?: string;
  /** Path that upgrades are accepted on; y-webrtc clients use the URL as given, so '/' suits them. */
  readonly path?: string;
}

export interface RunningSignalingServer {
  readonly url: string;
  readonly port: number;
  stats(): SignalingStats;
  close(): Promise<void>;
}

/** A signaling server on its own port, for tests and headless peers. */
export function startSignalingServer(options: StartSignalingOptions): Promise<RunningSignalingServer> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/';
  const signaling = createSignalingServer(options);
  const httpServer = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
    response.end('Hearth signaling: connect with a WebSocket.');
  });
  signaling.attach(httpServer, path);
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', reject);
      // From now on an 'error' is an accept that failed (EMFILE under a flood): logged, not fatal.
      httpServer.on('error', (error) => (options.log ?? (() => {}))(`Signaling: ${error.message}`));
      const address = httpServer.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `ws://${urlHost}:${port}${path}`,
        port,
        stats: () => signaling.stats(),
        close: () =>
          new Promise<void>((done) => {
            signaling.close();
            httpServer.close(() => done());
            httpServer.closeAllConnections();
          }),
      });
    });
  });
}
