// The parts of y-webrtc's private Room that Hearth reaches into (y-webrtc 10.3.0, pinned): its open
// connections, a hook on each new one, and connecting on a stand-in document. One file, so an upgrade
// of y-webrtc has one place to check.
import type { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { PeerLike } from './secure-channel.js';

export interface YWebrtcConn {
  readonly remotePeerId: string;
  readonly peer: PeerLike;
  connected: boolean;
}
export interface YWebrtcRoom {
  readonly peerId: string;
  readonly webrtcConns: Map<string, YWebrtcConn>;
}
/** The parts of y-webrtc's Room that the stand-in swap touches. */
interface StandInRoom {
  doc: Y.Doc;
  readonly _docUpdateHandler: (update: Uint8Array, origin: unknown) => void;
  _bcSubscriber: (data: ArrayBuffer, origin: unknown) => unknown;
}
interface YWebrtcSignalingConn {
  readonly connected: boolean;
}

/** The provider's room; null until its signaling key is derived. */
export function roomOf(provider: WebrtcProvider): YWebrtcRoom | null {
  return (provider as unknown as { room: YWebrtcRoom | null }).room;
}

/** The room's connections whose data channel is open. */
export function openConnections(provider: WebrtcProvider): YWebrtcConn[] {
  return [...(roomOf(provider)?.webrtcConns.values() ?? [])].filter((conn) => conn.connected);
}

export function connectedSignalingCount(provider: WebrtcProvider): number {
  return (provider.signalingConns as unknown as YWebrtcSignalingConn[]).filter((conn) => conn.connected).length;
}

// y-webrtc's room.connect() pushes this device's whole state over BroadcastChannel for other tabs of
// the same browser profile, and then answers its own sync step 1 (lib0 hands a channel's messages to
// its own subscribers too) with the whole state again. Hearth has no such tabs (one window per
// profile), and on a 10 MB community that cost ~0.4 s at every start and every resume. So the room
// connects on a stand-in (an empty document with the same client id), swapped for the real one right
// after (moveOntoRealDoc), and it ignores its own BroadcastChannel messages. A tab that does exist still
// gets the state when it asks (its sync step 1 → step 2 from the real document).
export function standInFor(doc: Y.Doc): Y.Doc {
  const standIn = new Y.Doc();
  standIn.clientID = doc.clientID;
  return standIn;
}

/** Drops the room's own BroadcastChannel messages; other tabs' still arrive (see standInFor). */
export function ignoreOwnBroadcasts(room: YWebrtcRoom): void {
  const internals = room as unknown as StandInRoom;
  const fromChannel = internals._bcSubscriber;
  internals._bcSubscriber = (data, origin) => {
    if (origin === 'broadcastchannel') return fromChannel(data, origin);
    return undefined;
  };
}

/**
 * Runs `accept` on every connection y-webrtc is about to keep, before its first byte; a connection it
 * declines is not kept (the caller closes it).
 */
export function onNewConnection(room: YWebrtcRoom, accept: (peerId: string, conn: YWebrtcConn) => boolean): void {
  const conns = room.webrtcConns;
  const set = conns.set.bind(conns);
  conns.set = (peerId: string, conn: YWebrtcConn) => (accept(peerId, conn) ? set(peerId, conn) : conns);
}

/**
 * Connects the room on a stand-in document, then moves it onto the real one (see standInFor). With
 * `signed`, it stays on the stand-in: signed changes (change-exchange.ts) carry the real document, and
 * y-webrtc's own sync only ever speaks for an empty one.
 */
export function connectOnStandIn(provider: WebrtcProvider, room: YWebrtcRoom, doc: Y.Doc, signed = false): void {
  (room as unknown as StandInRoom).doc = standInFor(doc);
  // y-webrtc's connect() pushes every signaling connection onto this list again.
  provider.signalingConns = [];
  provider.connect();
  if (!signed) moveOntoRealDoc(provider, room, doc);
}

/** Moves the provider and its room from the stand-in onto the real document. */
function moveOntoRealDoc(provider: WebrtcProvider, room: YWebrtcRoom, doc: Y.Doc): void {
  const internals = room as unknown as StandInRoom;
  const providerInternals = provider as unknown as { doc: Y.Doc; destroy: () => void };
  const was = internals.doc;
  if (was === doc) return;
  was.off('update', internals._docUpdateHandler);
  internals.doc = doc;
  if (provider.connected) doc.on('update', internals._docUpdateHandler);
  if (providerInternals.doc !== doc) {
    providerInternals.doc.off('destroy', providerInternals.destroy);
    providerInternals.doc = doc;
    doc.on('destroy', providerInternals.destroy);
  }
  was.destroy();
}
