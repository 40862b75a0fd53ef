// Keeps one community's Y.Doc in sync with the other members' devices: a y-webrtc provider in the
// room derived from the community secret, every data-channel message sealed by secure-channel.ts, and
// a status that comes from Hearth's own exchange state (y-webrtc's `synced` is true with zero peers).
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { addSignalingUrl } from './add-signaling-url.js';
import { BlobExchange, decodeHearthMessage, type BlobProvider } from './blob-exchange.js';
import { deriveCommunityKeys, type CommunityKeys } from './keys.js';
import type { ChangeCounters, ChangeLog } from './change-log.js';
import { ChangeExchange, decodeChangeMessage } from './change-exchange.js';
import { awarenessClientIds, emptyCounters, secureChannel, type ChannelCounters } from './secure-channel.js';
import { removeAwarenessStates } from 'y-protocols/awareness';
import {
  connectOnStandIn,
  connectedSignalingCount,
  ignoreOwnBroadcasts,
  onNewConnection,
  openConnections,
  roomOf,
  standInFor,
  type YWebrtcConn,
} from './y-webrtc-room.js';

export type SyncPhase = 'offline' | 'looking' | 'connecting' | 'synced';

export interface SyncStatus {
  readonly phase: SyncPhase;
  /** Signaling servers this community is connected to now. */
  readonly signalingConnected: number;
  /** Members' devices with an open data channel. */
  readonly peers: number;
  /** Of those, how many have sent us their state (sync step 2) since connecting. */
  readonly syncedPeers: number;
  /** When a message last arrived from a peer (epoch ms), or null. */
  readonly lastExchangeAt: number | null;
  readonly counters: Readonly<ChannelCounters>;
  /** The signed-change log's counters (applied, refused and why, waiting); null in a plain room. */
  readonly changes: Readonly<ChangeCounters> | null;
}

export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface CommunitySyncOptions {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly secret: Uint8Array;
  readonly signalingUrls: readonly string[];
  /** Empty by default: a fresh install contacts no outside STUN/TURN server (LAN and loopback only). */
  readonly iceServers?: readonly IceServer[];
  /** Node's WebRTC implementation (@roamhq/wrtc) for headless peers; browsers have their own. */
  readonly wrtc?: unknown;
  readonly awareness?: Awareness;
  readonly epoch?: number;
  /** How often the status is recomputed even without events (signaling state has no event of its own). */
  readonly statusIntervalMs?: number;
  /** How long a connection may take to open before it is dropped and tried afresh (CONNECT_STALL_MS). */
  readonly connectStallMs?: number;
  /**
   * The community's signed-change log: the document then travels only as signed changes
   * (change-exchange.ts), never as y-webrtc's plain sync. Absent for rooms that are not a community
   * (a device link), which sync plainly.
   */
  readonly changes?: ChangeLog;
}

export interface CommunitySync {
  readonly awareness: Awareness;
  status(): SyncStatus;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  /** Resolves once the secure layer is in place; nothing is exchanged before. */
  readonly ready: Promise<void>;
  /** Asks the members connected now for a library file by its SHA-256; null if none has it. */
  requestBlob(hash: string): Promise<Uint8Array | null>;
  /** Answers members' requests for files from this device (the library's blob store). */
  serveBlobs(provider: BlobProvider | null): void;
  /** Adds a signaling server found after sync started (LAN discovery); false if known, invalid or over the bound. */
  addSignalingUrl(url: string): boolean;
  /** Leaves the room (as going offline would); edits keep being stored locally. */
  pause(): void;
  resume(): void;
  destroy(): void;
}

const STATUS_INTERVAL_MS = 1_000;
/**
 * y-webrtc 10.3 sometimes leaves two peers that meet at the same moment connected but never synced,
 * or never connected at all (seen about 1 pair in 9 under load). A connection that has not sent its
 * state this long after opening is asked again (sync step 1); one that never opens is dropped, and
 * y-webrtc's next announcement connects afresh.
 */
export const SYNC_STALL_MS = 5_000;
export const CONNECT_STALL_MS = 20_000;
const STALL_RETRIES = 3;

/** What the pieces below share while one community's sync runs. */
interface SyncState {
  readonly options: CommunitySyncOptions;
  readonly provider: WebrtcProvider;
  readonly counters: ChannelCounters;
  /** Peers that have sent their state (sync step 2) since their connection opened. */
  readonly syncedPeers: Set<string>;
  /** The presence (awareness client ids) each peer's connection carried, cleared when it closes. */
  readonly clientsOf: Map<string, Set<number>>;
  /** The signed-change exchange over this room's connections; null in a plain room. */
  readonly exchange: ChangeExchange | null;
  lastExchangeAt: number | null;
  destroyed: boolean;
  /** Tells the status listeners, if the status changed. */
  emit(): void;
}

export async function startCommunitySync(options: CommunitySyncOptions): Promise<CommunitySync> {
  const keys = await deriveCommunityKeys(options.secret, options.communityId, options.epoch ?? 0);
  options.changes?.setEpoch(options.epoch ?? 0);
  const awareness = options.awareness ?? new Awareness(options.doc);
  // The room's first, silent disconnect (below) clears this device's presence; it comes back on connect.
  const presenceAtStart = awareness.getLocalState() ?? {};
  const provider = openProvider(options, keys, awareness);
  const listeners = new Set<(status: SyncStatus) => void>();
  const state: SyncState = {
    options,
    provider,
    counters: emptyCounters(),
    syncedPeers: new Set(),
    clientsOf: new Map(),
    exchange: options.changes
      ? new ChangeExchange(options.changes, (peerId) => {
          state.syncedPeers.add(peerId);
          state.emit();
        })
      : null,
    lastExchangeAt: null,
    destroyed: false,
    emit: statusEmitter(() => readStatus(state), listeners),
  };
  const stopCounters = options.changes?.onCounters(() => state.emit());
  // Files are asked of peers that have finished their first sync (they are real members of the room).
  const blobs = new BlobExchange(() =>
    openConnections(provider)
      .filter((conn) => state.syncedPeers.has(conn.remotePeerId))
      .map((conn) => (message: Uint8Array) => conn.peer.send(message)),
  );
  forgetDepartedPeers(state);

  // y-webrtc opens its room once its signaling key is derived; this runs right after (same promise),
  // before any signaling message can arrive, so every connection is secured before its first byte.
  const ready = Promise.resolve(provider.key).then(() => {
    const room = roomOf(provider);
    if (!room) throw new Error('y-webrtc did not open its room.');
    ignoreOwnBroadcasts(room);
    const associatedData = new TextEncoder().encode(keys.roomName);
    onNewConnection(room, (peerId, conn) => {
      if (losesGlare(conn, room.peerId, peerId)) {
        conn.peer.destroy();
        return false;
      }
      secureConnection(state, peerId, conn, { key: keys.messageKey, associatedData, blobs });
      return true;
    });
    if (!state.destroyed) {
      connectOnStandIn(provider, room, options.doc, state.exchange !== null);
      if (awareness.getLocalState() === null) awareness.setLocalState(presenceAtStart);
    }
  });

  const watchdog = connectWatchdog(state);
  const timer = setInterval(() => {
    watchdog();
    state.exchange?.tick();
    state.emit();
  }, options.statusIntervalMs ?? STATUS_INTERVAL_MS);
  const stop = () => {
    clearInterval(timer);
    stopCounters?.();
    state.exchange?.destroy();
  };
  return controls(state, { ready, blobs, listeners, stop });
}

/** The y-webrtc provider, not yet connected: connectOnStandIn connects its room once it opens. */
function openProvider(options: CommunitySyncOptions, keys: CommunityKeys, awareness: Awareness): WebrtcProvider {
  const provider = new WebrtcProvider(keys.roomName, standInFor(options.doc), {
    signaling: [...options.signalingUrls],
    password: keys.signalingPassword,
    awareness,
    maxConns: 40,
    // Same-profile tabs meet over BroadcastChannel; its messages are encrypted with the password key.
    filterBcConns: true,
    peerOpts: {
      ...(options.wrtc ? { wrtc: options.wrtc } : {}),
      // simple-peer's default ICE servers are public STUN hosts; Hearth contacts none unless asked.
      config: { iceServers: (options.iceServers ?? []).map((server) => ({ ...server })) },
    },
  });
  // The room opens once the signaling key is derived; it is connected by connectOnStandIn, not by y-webrtc.
  provider.shouldConnect = false;
  return provider;
}

/** The status from Hearth's own exchange state: open channels, and which of them sent their state. */
function readStatus(state: SyncState): SyncStatus {
  const conns = openConnections(state.provider);
  const signalingConnected = connectedSignalingCount(state.provider);
  const synced = conns.filter((conn) => state.syncedPeers.has(conn.remotePeerId)).length;
  const phase: SyncPhase = state.destroyed
    ? 'offline'
    : conns.length > 0
      ? synced === conns.length
        ? 'synced'
        : 'connecting'
      : signalingConnected > 0
        ? 'looking'
        : 'offline';
  return {
    phase,
    signalingConnected,
    peers: conns.length,
    syncedPeers: synced,
    lastExchangeAt: state.lastExchangeAt,
    counters: { ...state.counters },
    changes: state.options.changes?.counters() ?? null,
  };
}

/** Tells the listeners the status, only when it differs from what they were last told. */
function statusEmitter(status: () => SyncStatus, listeners: ReadonlySet<(status: SyncStatus) => void>): () => void {
  let lastEmitted = '';
  return () => {
    const current = status();
    const fingerprint = JSON.stringify(current);
    if (fingerprint === lastEmitted) return;
    lastEmitted = fingerprint;
    for (const listener of listeners) listener(current);
  };
}

// y-webrtc keeps a departed peer's presence until it times out (30 s), and a peer that leaves by
// disconnecting cannot say goodbye (its connections close before the message is sent). So when a
// connection closes, the presence it carried goes with it, unless another connection still has it.
function forgetDepartedPeers(state: SyncState): void {
  state.provider.on('peers', ({ removed }: { removed: string[] }) => {
    for (const peerId of removed) {
      state.syncedPeers.delete(peerId);
      state.exchange?.closed(peerId);
      const gone = state.clientsOf.get(peerId);
      state.clientsOf.delete(peerId);
      const stillHere = new Set([...state.clientsOf.values()].flatMap((ids) => [...ids]));
      const leaving = [...(gone ?? [])].filter((id) => !stillHere.has(id));
      if (leaving.length > 0) removeAwarenessStates(state.provider.awareness, leaving, 'peer-left');
    }
    state.emit();
  });
}

/**
 * Glare: two members who hear each other's announcement at the same moment both start a connection,
 * and y-webrtc answers the losing offer on a peer that is itself offering, which fails in @roamhq/wrtc
 * and leaves both waiting for the watchdog (20 s). So only the member whose peer id sorts first starts
 * one; the other declines, and closing the declined one makes y-webrtc announce again, which the first
 * answers with its offer.
 */
function losesGlare(conn: YWebrtcConn, ownPeerId: string, remotePeerId: string): boolean {
  return (conn.peer as { initiator?: unknown }).initiator === true && ownPeerId > remotePeerId;
}

/** Seals a new connection's data channel, and keeps the status, presence and file requests it carries. */
function secureConnection(
  state: SyncState,
  peerId: string,
  conn: YWebrtcConn,
  channel: { key: CryptoKey; associatedData: Uint8Array; blobs: BlobExchange },
): void {
  secureChannel(conn.peer, {
    key: channel.key,
    associatedData: channel.associatedData,
    counters: state.counters,
    onMessage: (kind, message) => {
      state.lastExchangeAt = Date.now();
      if (kind === 'awareness') {
        const ids = state.clientsOf.get(peerId) ?? new Set<number>();
        for (const id of awarenessClientIds(message)) if (id !== state.options.doc.clientID) ids.add(id);
        state.clientsOf.set(peerId, ids);
      }
      if (kind === 'sync-step-2' && !state.exchange) state.syncedPeers.add(peerId);
      state.emit();
    },
    onProblem: () => state.emit(),
    onHearthMessage: (message) => {
      const change = state.exchange ? decodeChangeMessage(message) : null;
      if (change) return state.exchange!.received(peerId, change);
      const decoded = decodeHearthMessage(message);
      if (decoded) void channel.blobs.receive(decoded, (reply) => conn.peer.send(reply));
    },
    ...(state.options.changes ? { plainUpdate: (update: Uint8Array) => void state.options.changes!.acceptPlainLog(update) } : {}),
  });
  state.syncedPeers.delete(peerId);
  if (state.exchange) {
    const exchange = state.exchange;
    const open = () => exchange.opened({ id: peerId, send: (message) => conn.peer.send(message) });
    if (conn.connected) open();
    else (conn.peer as unknown as { once(event: 'connect', listener: () => void): void }).once('connect', open);
  }
}

/** The watchdog for stalled connections (see SYNC_STALL_MS): one check a run, with the status timer. */
function connectWatchdog(state: SyncState): () => void {
  const watch = new Map<YWebrtcConn, { seenAt: number; connectedAt: number | null; retries: number; askedAt: number }>();
  const connectStallMs = state.options.connectStallMs ?? CONNECT_STALL_MS;
  return () => {
    const now = Date.now();
    const conns = new Set(roomOf(state.provider)?.webrtcConns.values() ?? []);
    for (const conn of watch.keys()) if (!conns.has(conn)) watch.delete(conn);
    for (const conn of conns) {
      let seen = watch.get(conn);
      if (!seen) watch.set(conn, (seen = { seenAt: now, connectedAt: null, retries: 0, askedAt: 0 }));
      if (!conn.connected) {
        if (now - seen.seenAt > connectStallMs) conn.peer.destroy();
        continue;
      }
      seen.connectedAt ??= now;
      if (state.syncedPeers.has(conn.remotePeerId) || now - seen.connectedAt < SYNC_STALL_MS || now - seen.askedAt < SYNC_STALL_MS)
        continue;
      if (seen.retries >= STALL_RETRIES) {
        conn.peer.destroy();
        continue;
      }
      seen.retries += 1;
      seen.askedAt = now;
      if (state.exchange) state.exchange.ask(conn.remotePeerId);
      else conn.peer.send(syncStep1(state.options.doc));
    }
  };
}

/** The CommunitySync a caller holds: status, files, signaling, pause and resume, destroy. */
function controls(
  state: SyncState,
  parts: { ready: Promise<void>; blobs: BlobExchange; listeners: Set<(status: SyncStatus) => void>; stop: () => void },
): CommunitySync {
  const { provider } = state;
  let localPresence: Record<string, unknown> | null = null;
  return {
    awareness: provider.awareness,
    ready: parts.ready,
    status: () => readStatus(state),
    onStatus(listener) {
      parts.listeners.add(listener);
      listener(readStatus(state));
      return () => parts.listeners.delete(listener);
    },
    requestBlob: (hash) => parts.blobs.request(hash),
    serveBlobs: (blobProvider) => parts.blobs.serve(blobProvider),
    addSignalingUrl: (url) => !state.destroyed && addSignalingUrl(provider, url),
    pause() {
      // y-webrtc clears this device's presence on disconnect; keep it to restore on resume.
      localPresence = provider.awareness.getLocalState();
      provider.disconnect();
      // y-webrtc's connect() pushes every signaling connection onto this list again; without emptying
      // it here, each pause and resume would grow it.
      provider.signalingConns = [];
      state.syncedPeers.clear();
      state.emit();
    },
    resume() {
      const room = roomOf(provider);
      if (!state.destroyed && room) connectOnStandIn(provider, room, state.options.doc, state.exchange !== null);
      if (localPresence && provider.awareness.getLocalState() === null) provider.awareness.setLocalState(localPresence);
      state.emit();
    },
    destroy() {
      if (state.destroyed) return;
      state.destroyed = true;
      parts.stop();
      // destroy() alone leaves y-webrtc's signaling sockets open and reconnecting forever.
      provider.disconnect();
      provider.destroy();
      state.emit();
      parts.listeners.clear();
    },
  };
}

/** y-webrtc's "here is my state vector, send me what I miss" message. */
function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // y-webrtc messageSync
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}
