// What a Hearth says about itself on the LAN (DNS-SD over mDNS, RFC 6762/6763), and how what its
// neighbours say is read. Every field of a neighbour's record is untrusted input: it becomes a URL the
// app connects to, so it is validated here, in pure functions that a table of hostile records tests.
import type { Answer } from 'dns-packet';

/** The DNS-SD service type every Hearth advertises its signaling service under. */
export const SERVICE_TYPE = '_hearth._tcp.local';
/** TXT `v=`: a record of another version is ignored, so the format can change without confusing old apps. */
export const RECORD_VERSION = '1';
/** TTL of our own records (RFC 6762 §10 recommends 120 s for records tied to a host's address). */
export const RECORD_TTL_S = 120;
/** A neighbour's TTL is cut to this, so a record that claims to live for years expires like any other. */
export const MAX_TTL_S = 600;
/** Largest mDNS packet read (RFC 6762 §17); anything bigger is not from a Hearth. */
export const MAX_PACKET_BYTES = 9_000;
/** Records of one packet looked at (answers, then additionals); the rest are ignored. */
export const MAX_RECORDS_PER_PACKET = 64;
/** Services taken from one packet; a Hearth sends one. */
export const MAX_SERVICES_PER_PACKET = 8;
/** Questions of one query looked at. */
export const MAX_QUESTIONS_PER_PACKET = 16;
/** TXT strings of one record looked at. */
export const MAX_TXT_ENTRIES = 16;
export const MAX_PATH_LENGTH = 128;
/** Addresses we put in our own advertisement (one per interface, a host seldom has more). */
export const MAX_ADVERTISED_ADDRESSES = 8;

const MAX_NAME_LENGTH = 255;
/** Our instance labels, and the only ones accepted: letters, digits and hyphens, as a host name label. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** A signaling path: what y-webrtc servers use ('/', '/signal'); no query, fragment, '..' or '//'. */
// Segments are joined by a mandatory '/' and dots need a character on each side, so no part of the
// pattern can match the same text two ways (no catastrophic backtracking on hostile input).
const PATH = /^\/(?:[\w~-]+(?:\.[\w~-]+)*(?:\/[\w~-]+(?:\.[\w~-]+)*)*\/?)?$/;
const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export interface OwnService {
  /** A unique label, e.g. `hearth-5f1c9a0b2e4d`: the instance is `<label>._hearth._tcp.local`. */
  readonly label: string;
  readonly port: number;
  readonly path: string;
  /** This host's IPv4 addresses on the network(s) it advertises on. */
  readonly addresses: readonly string[];
}

/** A neighbour's service, read from a packet: where its signaling service is, and for how long to believe it. */
export type Sighting =
  | { readonly kind: 'service'; readonly instance: string; readonly url: string; readonly address: string; readonly ttlSeconds: number }
  /** A TTL of 0: the neighbour is leaving (RFC 6762 §10.1). */
  | { readonly kind: 'goodbye'; readonly instance: string; readonly address: string };

export interface PacketReading {
  readonly sightings: readonly Sighting[];
  /** Hearth services in the packet that were refused (bad port, path, address…), for diagnostics and tests. */
  readonly ignored: number;
}

export function instanceName(label: string): string {
  return `${label}.${SERVICE_TYPE}`;
}

function hostName(label: string): string {
  return `${label}.local`;
}

/** Our PTR, SRV, TXT and A records; `ttlSeconds` 0 is the goodbye sent when we stop. */
export function advertisementRecords(service: OwnService, ttlSeconds = RECORD_TTL_S): Answer[] {
  const instance = instanceName(service.label);
  const host = hostName(service.label);
  return [
    // The PTR is shared (many Hearths answer for the service type); the others are ours alone, so
    // they carry the cache-flush bit (RFC 6762 §10.2).
    { type: 'PTR', name: SERVICE_TYPE, ttl: ttlSeconds, data: instance },
    { type: 'SRV', name: instance, ttl: ttlSeconds, flush: true, data: { port: service.port, target: host, priority: 0, weight: 0 } },
    { type: 'TXT', name: instance, ttl: ttlSeconds, flush: true, data: [`v=${RECORD_VERSION}`, `path=${service.path}`] },
    ...service.addresses
      .slice(0, MAX_ADVERTISED_ADDRESSES)
      .map((address): Answer => ({ type: 'A', name: host, ttl: ttlSeconds, flush: true, data: address })),
  ];
}

/** The question a Hearth asks to find the others. */
export const SERVICE_QUESTION = { type: 'PTR', name: SERVICE_TYPE } as const;

/** True when a query asks for Hearth services (a PTR or ANY question for the service type). */
export function asksForHearths(packet: unknown): boolean {
  if (!isRecord(packet) || !Array.isArray(packet.questions)) return false;
  return packet.questions
    .slice(0, MAX_QUESTIONS_PER_PACKET)
    .some(
      (question: unknown) =>
        isRecord(question) && sameName(question.name, SERVICE_TYPE) && (question.type === 'PTR' || question.type === 'ANY'),
    );
}

/**
 * An IPv4 address a neighbour may point us at: not unspecified (0/8), loopback (127/8, which would make
 * the app connect to services on this machine), multicast or reserved (224/3, incl. broadcast).
 */
export function isUsableAddress(address: unknown): address is string {
  if (typeof address !== 'string') return false;
  const match = IPV4.exec(address);
  if (!match) return false;
  const first = Number(match[1]);
  return first !== 0 && first !== 127 && first < 224;
}

export function isSignalingPath(path: unknown): path is string {
  return typeof path === 'string' && path.length <= MAX_PATH_LENGTH && PATH.test(path);
}

export function isPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65_535;
}

/** The ws:// URL of a signaling service, or null when any part of it is unacceptable. */
export function signalingUrl(address: unknown, port: unknown, path: unknown): string | null {
  if (!isUsableAddress(address) || !isPort(port) || !isSignalingPath(path)) return null;
  const url = `ws://${address}:${port}${path}`;
  // Belt and braces: the URL must read back exactly as built (no normalisation surprises).
  try {
    return new URL(url).href === url ? url : null;
  } catch {
    return null;
  }
}

/**
 * Reads the Hearth services announced in one mDNS response. `source` is the address the packet came
 * from: a service counts only with an A record equal to it, so a neighbour can point us at itself and
 * nowhere else (not at this machine's loopback, not at a server on the internet).
 */
export function readSightings(packet: unknown, source: string): PacketReading {
  if (!isRecord(packet)) return { sightings: [], ignored: 0 };
  const records = [...asArray(packet.answers), ...asArray(packet.additionals)].slice(0, MAX_RECORDS_PER_PACKET).filter(isRecord);
  const instances: { instance: string; ttl: number }[] = [];
  let ignored = 0;
  for (const record of records) {
    if (record.type !== 'PTR' || !sameName(record.name, SERVICE_TYPE)) continue;
    const instance = typeof record.data === 'string' ? record.data.toLowerCase() : '';
    if (!isInstanceName(instance) || !isTtl(record.ttl)) {
      ignored += 1;
      continue;
    }
    if (instances.some((seen) => seen.instance === instance)) continue;
    if (instances.length >= MAX_SERVICES_PER_PACKET) {
      ignored += 1;
      continue;
    }
    instances.push({ instance, ttl: record.ttl });
  }

  const sightings: Sighting[] = [];
  for (const { instance, ttl } of instances) {
    if (ttl === 0) {
      sightings.push({ kind: 'goodbye', instance, address: source });
      continue;
    }
    const service = readService(records, instance, source);
    if (service === null) {
      ignored += 1;
      continue;
    }
    if (service.ttl === 0) {
      sightings.push({ kind: 'goodbye', instance, address: source });
      continue;
    }
    sightings.push({ kind: 'service', instance, url: service.url, address: source, ttlSeconds: Math.min(ttl, service.ttl, MAX_TTL_S) });
  }
  return { sightings, ignored };
}

function readService(records: readonly Record<string, unknown>[], instance: string, source: string): { url: string; ttl: number } | null {
  const srv = records.find((record) => record.type === 'SRV' && sameName(record.name, instance));
  if (!srv || !isTtl(srv.ttl) || !isRecord(srv.data)) return null;
  const target = srv.data.target;
  if (typeof target !== 'string' || !isHostName(target)) return null;
  const txt = records.find((record) => record.type === 'TXT' && sameName(record.name, instance));
  if (!txt || !isTtl(txt.ttl)) return null;
  const fields = readTxt(txt.data);
  if (fields === null || fields.get('v') !== RECORD_VERSION) return null;
  const address = records.find((record) => record.type === 'A' && sameName(record.name, target) && record.data === source);
  if (!address || !isTtl(address.ttl)) return null;
  const url = signalingUrl(source, srv.data.port, fields.get('path') ?? '/');
  if (url === null) return null;
  return { url, ttl: Math.min(srv.ttl, txt.ttl, address.ttl) };
}

/** TXT `key=value` strings (RFC 6763 §6); the first of a repeated key wins. Null when unreadable. */
export function readTxt(data: unknown): Map<string, string> | null {
  const entries = Array.isArray(data) ? data : [data];
  const fields = new Map<string, string>();
  for (const entry of entries.slice(0, MAX_TXT_ENTRIES)) {
    const text =
      typeof entry === 'string' ? entry : entry instanceof Uint8Array ? new TextDecoder('utf-8', { fatal: false }).decode(entry) : null;
    if (text === null) return null;
    const equals = text.indexOf('=');
    const key = (equals === -1 ? text : text.slice(0, equals)).toLowerCase();
    if (key !== '' && !fields.has(key)) fields.set(key, equals === -1 ? '' : text.slice(equals + 1));
  }
  return fields;
}

function isInstanceName(name: string): boolean {
  const suffix = `.${SERVICE_TYPE}`;
  return name.length <= MAX_NAME_LENGTH && name.endsWith(suffix) && LABEL.test(name.slice(0, -suffix.length));
}

function isHostName(name: string): boolean {
  const labels = name.split('.');
  return (
    name.length <= MAX_NAME_LENGTH &&
    labels.length >= 2 &&
    labels.at(-1)?.toLowerCase() === 'local' &&
    labels.every((label) => LABEL.test(label))
  );
}

function isTtl(ttl: unknown): ttl is number {
  return typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0;
}

/** DNS names compare without regard to ASCII case. */
function sameName(name: unknown, expected: string): boolean {
  return typeof name === 'string' && name.toLowerCase() === expected.toLowerCase();
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
