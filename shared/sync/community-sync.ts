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
import { deriveCommunityKeys } from './keys.js';
import { awarenessClientIds, emptyCounters, secureChannel, type ChannelCounters, type PeerLike } from './secure-channel.js';
import { removeAwarenessStates } from 'y-protocols/awareness';

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

interface YWebrtcConn {
  readonly remotePeerId: string;
  readonly peer: PeerLike;
  connected: boolean;
}
interface YWebrtcRoom {
  readonly peerId: string;
  readonly webrtcConns: Map<string, YWebrtcConn>;
}
/** The parts of y-webrtc's Room that the stand-in swap touches (y-webrtc 10.3.0, pinned). */
interface StandInRoom {
  doc: Y.Doc;
  readonly _docUpdateHandler: (update: Uint8Array, origin: unknown) => void;
  _bcSubscriber: (data: ArrayBuffer, origin: unknown) => unknown;
}
interface YWebrtcSignalingConn {
  readonly connected: boolean;
}

export async function startCommunitySync(options: CommunitySyncOptions): Promise<CommunitySync> {
  const keys = await deriveCommunityKeys(options.secret, options.communityId, options.epoch ?? 0);
  const counters = emptyCounters();
  const syncedPeers = new Set<string>();
  let lastExchangeAt: number | null = null;
  const listeners = new Set<(status: SyncStatus) => void>();
  let destroyed = false;
  let localPresence: Record<string, unknown> | null = null;

  // y-webrtc's room.connect() pushes this device's whole state over BroadcastChannel for other tabs of
  // the same browser profile, and then answers its own sync step 1 (lib0 hands a channel's messages to
  // its own subscribers too) with the whole state again. Hearth has no such tabs (one window per
  // profile), and on a 10 MB community that cost ~0.4 s at every start and every resume. So the room
  // connects on a stand-in (an empty document with the same client id), swapped for the real one right
  // after (onRealDoc), and it ignores its own BroadcastChannel messages. A tab that does exist still
  // gets the state when it asks (its sync step 1 → step 2 from the real document). See connectRoom.
  const standIn = () => {
    const doc = new Y.Doc();
    doc.clientID = options.doc.clientID;
    return doc;
  };
  const awareness = options.awareness ?? new Awareness(options.doc);
  // The room's first, silent disconnect (below) clears this device's presence; it comes back on connect.
  const presenceAtStart = awareness.getLocalState() ?? {};
  const provider = new WebrtcProvider(keys.roomName, standIn(), {
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

  // The room opens once the signaling key is derived; it is connected by connectRoom, not by y-webrtc.
  provider.shouldConnect = false;
  const room = (): YWebrtcRoom | null => (provider as unknown as { room: YWebrtcRoom | null }).room;
  // Files are asked of peers that have finished their first sync (they are real members of the room).
  const blobs = new BlobExchange(() =>
    [...(room()?.webrtcConns.values() ?? [])].filter((conn) => conn.connected && syncedPeers.has(conn.remotePeerId)).map((conn) => (message: Uint8Array) => conn.peer.send(message)),
  );

  const status = (): SyncStatus => {
    const conns = [...(room()?.webrtcConns.values() ?? [])].filter((conn) => conn.connected);
    const signalingConnected = (provider.signalingConns as unknown as YWebrtcSignalingConn[]).filter((conn) => conn.connected).length;
    const synced = conns.filter((conn) => syncedPeers.has(conn.remotePeerId)).length;
    const phase: SyncPhase = destroyed
      ? 'offline'
      : conns.length > 0
        ? synced === conns.length
          ? 'synced'
          : 'connecting'
        : signalingConnected > 0
          ? 'looking'
          : 'offline';
    return { phase, signalingConnected, peers: conns.length, syncedPeers: synced, lastExchangeAt, counters: { ...counters } };
  };

  let lastEmitted = '';
  const emit = () => {
    const current = status();
    const fingerprint = JSON.stringify(current);
    if (fingerprint === lastEmitted) return;
    lastEmitted = fingerprint;
    for (const listener of listeners) listener(current);
  };

  // y-webrtc keeps a departed peer's presence until it times out (30 s), and a peer that leaves by
  // disconnecting cannot say goodbye (its connections close before the message is sent). So when a
  // connection closes, the presence it carried goes with it, unless another connection still has it.
  const clientsOf = new Map<string, Set<number>>();
  provider.on('peers', ({ removed }: { removed: string[] }) => {
    for (const peerId of removed) {
      syncedPeers.delete(peerId);
      const gone = clientsOf.get(peerId);
      clientsOf.delete(peerId);
      const stillHere = new Set([...clientsOf.values()].flatMap((ids) => [...ids]));
      const leaving = [...(gone ?? [])].filter((id) => !stillHere.has(id));
      if (leaving.length > 0) removeAwarenessStates(provider.awareness, leaving, 'peer-left');
    }
    emit();
  });

  // y-webrtc opens its room once its signaling key is derived; this runs right after (same promise),
  // before any signaling message can arrive, so every connection is secured before its first byte.
  const ready = Promise.resolve(provider.key).then(() => {
    const current = room();
    if (!current) throw new Error('y-webrtc did not open its room.');
    const internals = current as unknown as StandInRoom;
    const fromChannel = internals._bcSubscriber;
    internals._bcSubscriber = (data, origin) => {
      if (origin === 'broadcastchannel') return fromChannel(data, origin);
      return undefined;
    };
    const conns = current.webrtcConns;
    const set = conns.set.bind(conns);
    const associatedData = new TextEncoder().encode(keys.roomName);
    conns.set = (peerId: string, conn: YWebrtcConn) => {
      // Glare: two members who hear each other's announcement at the same moment both start a
      // connection, and y-webrtc answers the losing offer on a peer that is itself offering, which
      // fails in @roamhq/wrtc and leaves both waiting for the watchdog (20 s). So only the member whose
      // peer id sorts first starts one; the other declines, and closing the declined one makes y-webrtc
      // announce again, which the first answers with its offer.
      if ((conn.peer as { initiator?: unknown }).initiator === true && current.peerId > peerId) {
        conn.peer.destroy();
        return conns;
      }
      secureChannel(conn.peer, {
        key: keys.messageKey,
        associatedData,
        counters,
        onMessage: (kind, message) => {
          lastExchangeAt = Date.now();
          if (kind === 'awareness') {
            const ids = clientsOf.get(peerId) ?? new Set<number>();
            for (const id of awarenessClientIds(message)) if (id !== options.doc.clientID) ids.add(id);
            clientsOf.set(peerId, ids);
          }
          if (kind === 'sync-step-2') syncedPeers.add(peerId);
          emit();
        },
        onProblem: () => emit(),
        onHearthMessage: (message) => {
          const decoded = decodeHearthMessage(message);
          if (decoded) void blobs.receive(decoded, (reply) => conn.peer.send(reply));
        },
      });
      syncedPeers.delete(peerId);
      return set(peerId, conn);
    };
    if (!destroyed) {
      connectRoom(current);
      if (awareness.getLocalState() === null) awareness.setLocalState(presenceAtStart);
    }
  });

  // Watchdog for stalled connections (see SYNC_STALL_MS); runs with the status timer.
  const watch = new Map<YWebrtcConn, { seenAt: number; connectedAt: number | null; retries: number; askedAt: number }>();
  const watchdog = () => {
    const now = Date.now();
    const conns = new Set(room()?.webrtcConns.values() ?? []);
    for (const conn of watch.keys()) if (!conns.has(conn)) watch.delete(conn);
    for (const conn of conns) {
      let state = watch.get(conn);
      if (!state) watch.set(conn, (state = { seenAt: now, connectedAt: null, retries: 0, askedAt: 0 }));
      if (!conn.connected) {
        if (now - state.seenAt > (options.connectStallMs ?? CONNECT_STALL_MS)) conn.peer.destroy();
        continue;
      }
      state.connectedAt ??= now;
      if (syncedPeers.has(conn.remotePeerId) || now - state.connectedAt < SYNC_STALL_MS || now - state.askedAt < SYNC_STALL_MS) continue;
      if (state.retries >= STALL_RETRIES) {
        conn.peer.destroy();
        continue;
      }
      state.retries += 1;
      state.askedAt = now;
      conn.peer.send(syncStep1(options.doc));
    }
    emit();
  };
  const timer = setInterval(watchdog, options.statusIntervalMs ?? STATUS_INTERVAL_MS);

  /** Connects the room on a stand-in document, then moves it onto the real one (see standIn). */
  function connectRoom(current: YWebrtcRoom): void {
    (current as unknown as StandInRoom).doc = standIn();
    // y-webrtc's connect() pushes every signaling connection onto this list again.
    provider.signalingConns = [];
    provider.connect();
    onRealDoc(current);
  }

  /** Moves the provider and its room from the stand-in onto the real document. */
  function onRealDoc(current: YWebrtcRoom): void {
    const internals = current as unknown as StandInRoom;
    const providerInternals = provider as unknown as { doc: Y.Doc; destroy: () => void };
    const was = internals.doc;
    if (was === options.doc) return;
    was.off('update', internals._docUpdateHandler);
    internals.doc = options.doc;
    if (provider.connected) options.doc.on('update', internals._docUpdateHandler);
    if (providerInternals.doc !== options.doc) {
      providerInternals.doc.off('destroy', providerInternals.destroy);
      providerInternals.doc = options.doc;
      options.doc.on('destroy', providerInternals.destroy);
    }
    was.destroy();
  }

  return {
    awareness: provider.awareness,
    ready,
    status,
    onStatus(listener) {
      listeners.add(listener);
      listener(status());
      return () => listeners.delete(listener);
    },
    requestBlob: (hash) => blobs.request(hash),
    serveBlobs: (blobProvider) => blobs.serve(blobProvider),
    addSignalingUrl: (url) => !destroyed && addSignalingUrl(provider, url),
    pause() {
      // y-webrtc clears this device's presence on disconnect; keep it to restore on resume.
      localPresence = provider.awareness.getLocalState();
      provider.disconnect();
      // y-webrtc's connect() pushes every signaling connection onto this list again; without emptying
      // it here, each pause and resume would grow it.
      provider.signalingConns = [];
      syncedPeers.clear();
      emit();
    },
    resume() {
      const current = room();
      if (!destroyed && current) connectRoom(current);
      if (localPresence && provider.awareness.getLocalState() === null) provider.awareness.setLocalState(localPresence);
      emit();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearInterval(timer);
      // destroy() alone leaves y-webrtc's signaling sockets open and reconnecting forever.
      provider.disconnect();
      provider.destroy();
      emit();
      listeners.clear();
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
