// The neighbours LAN discovery remembers, as pure functions of (table, sighting, now): bounded in size,
// per sender and in time, so whatever the network says, memory and the list of servers the app
// connects to stay small.
import type { Sighting } from './records.js';

/** Neighbours remembered at once; a community is under ~30 people, a LAN seldom has more Hearths. */
export const MAX_PEERS = 32;
/**
 * Services one address may hold: a machine may run the desktop app and browser mode, not dozens.
 * Without this, one host on the Wi-Fi could fill the table with made-up services.
 */
export const MAX_PEERS_PER_ADDRESS = 4;
/** First interval between our queries; each next one doubles, up to the cap (RFC 6762 §5.2). */
export const FIRST_QUERY_INTERVAL_MS = 1_000;
/** Cap of the query interval: half our records' TTL, so neighbours are asked again before they expire. */
export const MAX_QUERY_INTERVAL_MS = 60_000;

export interface PeerRecord {
  /** Lower-case instance name, the table's key. */
  readonly instance: string;
  readonly url: string;
  readonly address: string;
  readonly expiresAt: number;
}

export type PeerTable = ReadonlyMap<string, PeerRecord>;

export interface PeerLimits {
  readonly maxPeers: number;
  readonly maxPeersPerAddress: number;
}

const DEFAULT_LIMITS: PeerLimits = { maxPeers: MAX_PEERS, maxPeersPerAddress: MAX_PEERS_PER_ADDRESS };

/**
 * The table after one sighting. A known service is refreshed (or moved, if its URL changed); a new one
 * is refused while the table, or its address's share of it, is full: the neighbours already known keep
 * their place, and a flood of made-up services cannot push them out.
 */
export function applySighting(table: PeerTable, sighting: Sighting, nowMs: number, limits: PeerLimits = DEFAULT_LIMITS): PeerTable {
  const instance = sighting.instance.toLowerCase();
  const known = table.get(instance);
  if (sighting.kind === 'goodbye') {
    // Only the host that announced a service may take it back.
    if (!known || known.address !== sighting.address) return table;
    const next = new Map(table);
    next.delete(instance);
    return next;
  }
  const record: PeerRecord = { instance, url: sighting.url, address: sighting.address, expiresAt: nowMs + sighting.ttlSeconds * 1000 };
  if (!known) {
    if (table.size >= limits.maxPeers) return table;
    let fromAddress = 0;
    for (const peer of table.values()) if (peer.address === sighting.address) fromAddress += 1;
    if (fromAddress >= limits.maxPeersPerAddress) return table;
  } else if (known.address !== sighting.address) {
    // Another host claims a known instance: the first one keeps it until it expires or says goodbye.
    return table;
  }
  const next = new Map(table);
  next.set(instance, record);
  return next;
}

/** The table without the records whose TTL ran out. */
export function expirePeers(table: PeerTable, nowMs: number): PeerTable {
  let next: Map<string, PeerRecord> | null = null;
  for (const [instance, peer] of table) {
    if (peer.expiresAt > nowMs) continue;
    next ??= new Map(table);
    next.delete(instance);
  }
  return next ?? table;
}

/** The signaling URLs of the table, each once, in the order they were first seen. */
export function peerUrls(table: PeerTable): string[] {
  return [...new Set([...table.values()].map((peer) => peer.url))];
}

/** The interval after `previousMs`: doubled, capped. */
export function nextQueryInterval(previousMs: number, maxMs = MAX_QUERY_INTERVAL_MS): number {
  return Math.min(Math.max(previousMs, 1) * 2, maxMs);
}
