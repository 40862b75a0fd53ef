// LAN discovery: advertises this Hearth's signaling service as `_hearth._tcp` over mDNS and lists the
// signaling services of the other Hearths on the same network. See README.md in this folder.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import makeMulticastDns from 'multicast-dns';
import type { Answer } from 'dns-packet';
import {
  applySighting,
  expirePeers,
  FIRST_QUERY_INTERVAL_MS,
  MAX_QUERY_INTERVAL_MS,
  nextQueryInterval,
  peerUrls,
  type PeerTable,
} from './peer-table.js';
import { createFaultCounter } from '../../shared/guarded-handler.js';
import {
  advertisementRecords,
  asksForHearths,
  instanceName,
  isUsableAddress,
  MAX_ADVERTISED_ADDRESSES,
  MAX_PACKET_BYTES,
  readSightings,
  RECORD_TTL_S,
  SERVICE_QUESTION,
} from './records.js';

/** How often expired neighbours are dropped. */
export const SWEEP_INTERVAL_MS = 5_000;
/** We answer queries at most this often (RFC 6762 §6), so a query flood cannot make us flood the LAN. */
export const RESPONSE_MIN_INTERVAL_MS = 1_000;
/** Unsolicited announcements when starting, RESPONSE_MIN_INTERVAL_MS apart (RFC 6762 §8.3). */
export const ANNOUNCEMENTS = 2;
/** On close, how long the goodbye may take to leave before the socket is closed anyway. */
export const GOODBYE_TIMEOUT_MS = 500;

export interface OutgoingPacket {
  readonly type: 'query' | 'response';
  readonly questions?: readonly { readonly type: 'PTR'; readonly name: string }[];
  readonly answers?: readonly Answer[];
}

/** Where mDNS packets go and come from: the multicast group, or an in-memory network in unit tests. */
export interface DiscoveryTransport {
  /** Sends to everyone on the link (this process included); resolves once sent, never rejects. */
  send(packet: OutgoingPacket): Promise<void>;
  /** Decoded packets as the DNS decoder gave them: untrusted, any shape. */
  onPacket(listener: (packet: unknown, source: { readonly address: string; readonly size: number }) => void): void;
  /** This host's addresses on the network(s) the transport reaches, for our A records. */
  addresses(): readonly string[];
  close(): Promise<void>;
}

export interface DiscoveryTiming {
  readonly firstQueryIntervalMs: number;
  readonly maxQueryIntervalMs: number;
  readonly sweepIntervalMs: number;
  readonly responseMinIntervalMs: number;
  readonly recordTtlSeconds: number;
}

export interface DiscoveryOptions {
  /** Port of this Hearth's signaling service, as neighbours reach it. */
  readonly port: number;
  /** Path of this Hearth's signaling service, e.g. '/signal'. */
  readonly path: string;
  /** IPv4 address of the one interface to use; every interface when absent. */
  readonly interfaceAddress?: string;
  /** Called with the neighbours' signaling URLs whenever that list changes. */
  readonly onChange?: (peers: readonly string[]) => void;
  readonly log?: (line: string) => void;
  /** The multicast group unless given (tests). */
  readonly transport?: DiscoveryTransport;
  readonly timing?: Partial<DiscoveryTiming>;
}

export interface Discovery {
  /** ws:// URLs of the signaling services of the other Hearths seen on the network, not expired. */
  peers(): string[];
  /** This Hearth's DNS-SD instance name (its own advertisement is recognised by it and ignored). */
  readonly instance: string;
  /** Unexpected throws caught in a packet handler or timer (a bug, logged once); discovery kept running. */
  handlerFaults(): number;
  /** Says goodbye (TTL 0) so neighbours forget us at once, then closes the socket. */
  close(): Promise<void>;
}

export function startDiscovery(options: DiscoveryOptions): Discovery {
  const timing: DiscoveryTiming = {
    firstQueryIntervalMs: FIRST_QUERY_INTERVAL_MS,
    maxQueryIntervalMs: MAX_QUERY_INTERVAL_MS,
    sweepIntervalMs: SWEEP_INTERVAL_MS,
    responseMinIntervalMs: RESPONSE_MIN_INTERVAL_MS,
    recordTtlSeconds: RECORD_TTL_S,
    ...options.timing,
  };
  const log = options.log ?? (() => {});
  // A neighbour's packet (or the app's onChange) that makes a handler throw must not reach
  // multicast-dns's socket listener: there it would end the process, and every service with it.
  const faults = createFaultCounter('LAN discovery', log);
  const transport = options.transport ?? createMulticastTransport(options.interfaceAddress, log);
  // 48 random bits: two Hearths on one network never pick the same name, and no one can guess ours.
  const label = `hearth-${randomBytes(6).toString('hex')}`;
  const ownInstance = instanceName(label);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let table: PeerTable = new Map();
  let reported: string[] = [];
  let closed = false;
  let lastResponseAt = Number.NEGATIVE_INFINITY;
  let responseScheduled = false;

  function later(run: () => void, delayMs: number): void {
    const timer = setTimeout(
      faults.guard('a timer', () => {
        timers.delete(timer);
        if (!closed) run();
      }),
      delayMs,
    );
    // Discovery alone must not keep a process alive; its socket decides that.
    timer.unref?.();
    timers.add(timer);
  }

  const own = (ttlSeconds: number) =>
    advertisementRecords({ label, port: options.port, path: options.path, addresses: transport.addresses() }, ttlSeconds);

  function respond(): void {
    lastResponseAt = performance.now();
    void transport.send({ type: 'response', answers: own(timing.recordTtlSeconds) });
  }

  /** Answers a query, at most once per responseMinIntervalMs however many queries arrive. */
  function answerQuery(): void {
    if (responseScheduled) return;
    responseScheduled = true;
    const wait = Math.max(0, lastResponseAt + timing.responseMinIntervalMs - performance.now());
    // RFC 6762 §6: a 20–120 ms random delay, so the answers of many hosts do not collide.
    later(
      () => {
        responseScheduled = false;
        respond();
      },
      wait + 20 + Math.random() * 100,
    );
  }

  function commit(next: PeerTable): void {
    table = next;
    const urls = peerUrls(table);
    if (urls.length === reported.length && urls.every((url, index) => url === reported[index])) return;
    reported = urls;
    options.onChange?.(urls);
  }

  transport.onPacket(
    faults.guard('a packet', (packet: unknown, source: { readonly address: string; readonly size: number }) => {
      if (closed || source.size > MAX_PACKET_BYTES) return;
      const type = typeof packet === 'object' && packet !== null ? (packet as { type?: unknown }).type : undefined;
      if (type === 'query') {
        if (asksForHearths(packet)) answerQuery();
        return;
      }
      if (type !== 'response') return;
      const reading = readSightings(packet, source.address);
      const now = Date.now();
      let next = table;
      // Our own announcements come back to us (multicast loopback, which other Hearths on this machine need).
      for (const sighting of reading.sightings) if (sighting.instance !== ownInstance) next = applySighting(next, sighting, now);
      commit(next);
    }),
  );

  let queryInterval = timing.firstQueryIntervalMs;
  const query = () => {
    // Scheduled first, so a send that throws cannot end the querying.
    later(query, queryInterval);
    queryInterval = nextQueryInterval(queryInterval, timing.maxQueryIntervalMs);
    void transport.send({ type: 'query', questions: [SERVICE_QUESTION] });
  };
  later(query, 20 + Math.random() * 100);
  for (let announcement = 0; announcement < ANNOUNCEMENTS; announcement += 1) later(respond, announcement * timing.responseMinIntervalMs);
  const sweep = setInterval(
    faults.guard('the sweep', () => commit(expirePeers(table, Date.now()))),
    timing.sweepIntervalMs,
  );
  sweep.unref?.();

  return {
    instance: ownInstance,
    peers: () => peerUrls(expirePeers(table, Date.now())),
    handlerFaults: () => faults.count(),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.race([
        transport.send({ type: 'response', answers: own(0) }),
        new Promise((resolve) => setTimeout(resolve, GOODBYE_TIMEOUT_MS)),
      ]);
      await transport.close();
    },
  };
}

/** This host's IPv4 addresses on real networks (not loopback), one per interface. */
export function lanAddresses(): string[] {
  const found: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    const address = addresses?.find(
      (candidate) => candidate.family === 'IPv4' && !candidate.internal && isUsableAddress(candidate.address),
    );
    if (address) found.push(address.address);
  }
  return found.slice(0, MAX_ADVERTISED_ADDRESSES);
}

/**
 * mDNS on 224.0.0.251:5353 through multicast-dns. With `interfaceAddress`, the group is joined and
 * sent to on that interface only; without, on every interface (multicast-dns re-checks them every 5 s).
 */
export function createMulticastTransport(interfaceAddress: string | undefined, log: (line: string) => void): DiscoveryTransport {
  const mdns = makeMulticastDns({
    ...(interfaceAddress ? { interface: interfaceAddress } : {}),
    // Bound to the wildcard address even with an interface: on Linux a socket bound to a unicast
    // address never receives packets sent to the multicast group.
    bind: '0.0.0.0',
    // Other Hearths on this machine (desktop app and browser mode) must hear us.
    loopback: true,
  });
  let warned = false;
  const warnOnce = (what: string) => (error: Error) => {
    // Undecodable packets from the network arrive as warnings; one line is enough to know.
    if (warned) return;
    warned = true;
    log(`LAN discovery: ${what}: ${error.message} (further problems are not logged).`);
  };
  mdns.on('warning', warnOnce('a problem on the network'));
  mdns.on('error', (error: Error) => log(`LAN discovery is off: ${error.message}`));
  return {
    send: (packet) =>
      new Promise<void>((resolve) => {
        const done = (error?: Error | null) => {
          if (error) warnOnce('could not send')(error);
          resolve();
        };
        try {
          if (packet.type === 'query') mdns.query({ questions: [...(packet.questions ?? [])] }, done);
          else mdns.respond({ answers: [...(packet.answers ?? [])] }, done);
        } catch (error) {
          done(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    onPacket: (listener) =>
      mdns.on('packet', (packet: unknown, rinfo: { address: string; size: number }) =>
        listener(packet, { address: rinfo.address, size: rinfo.size }),
      ),
    addresses: () => (interfaceAddress ? [interfaceAddress] : lanAddresses()),
    close: () => new Promise<void>((resolve) => mdns.destroy(() => resolve())),
  };
}
