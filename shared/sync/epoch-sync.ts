// A community's sync across key epochs. It runs the plain sync (community-sync.ts) in the room of the
// epoch this device holds and watches the membership log: when a `rotate` entry wraps a newer secret
// for this device, it stores it (onAdvance) and moves the document to the new epoch's room; when the
// newest rotation has nothing for this device (it was removed, or joined with an invite from before
// the rotation) it stops syncing and says so (access 'excluded'). A rotation that gave this device a
// wrap that does not open, or a secret that does not match its commitment, is ignored and flagged
// (access 'member' with `flagged`): a hostile rotator cannot shut this device out by lying to it.
//
// Stragglers: a member who was offline during a removal comes back in the old room, where the removed
// member may still be. So while this device holds an epoch above 0 it also keeps a *beacon* in the
// previous epoch's room: a throwaway document holding only the membership log up to the newest
// rotation. A straggler syncing there learns of the rotation (and, holding a wrap, moves on); the
// removed member learns only what it already knows. The beacon never writes into the real document.
import * as Y from 'yjs';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import { compareEntries, membershipEntrySchema, membershipLog } from '../community/log/entries.js';
import { readMembership, type Membership } from '../community/log/replay.js';
import type { CommunitySync, SyncStatus } from './community-sync.js';
import { previousSecret as openChain, resolveEpoch, type EpochSecret, type RotationFlag } from './epochs.js';
import { emptyCounters } from './secure-channel.js';

export type EpochAccess =
  /** `flagged`: rotations this device ignored because what they gave it does not hold (shown in the moderation log). */
  | { readonly kind: 'member'; readonly epoch: number; readonly flagged?: readonly RotationFlag[] }
  | {
      readonly kind: 'excluded';
      readonly epoch: number;
      readonly by: string;
      readonly at: number;
      /** The member was removed from the community. */
      readonly removed: boolean;
      /** This device was unlinked from its member (the member is still in). */
      readonly unlinked: boolean;
    };

export interface EpochSyncOptions {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly held: EpochSecret;
  /** This device's member id (to tell "removed" from "not given the key"), id and agreement key. */
  readonly memberId: string;
  readonly deviceId: string;
  /** This device's signing key (to tell "this device was unlinked"). */
  readonly signingKey?: string;
  readonly agreementPrivateKey: CryptoKey | null;
  /** Starts the plain sync of `doc` in `epoch`'s room (network, signaling, ICE: the caller's). */
  readonly start: (doc: Y.Doc, epoch: EpochSecret, awareness: Awareness) => Promise<CommunitySync>;
  /** Stores a newer epoch's secret before the document moves to it. */
  readonly onAdvance: (to: EpochSecret) => Promise<void>;
  /** Debounce of membership re-reads after log changes. */
  readonly settleMs?: number;
}

export interface EpochSync extends CommunitySync {
  access(): EpochAccess;
  onAccess(listener: (access: EpochAccess) => void): () => void;
  /** Resolves once any pending membership change has been acted on (tests, removal flows). */
  settled(): Promise<void>;
}

const OFFLINE: SyncStatus = {
  phase: 'offline',
  signalingConnected: 0,
  peers: 0,
  syncedPeers: 0,
  lastExchangeAt: null,
  counters: emptyCounters(),
  changes: null,
};

export async function startEpochSync(options: EpochSyncOptions): Promise<EpochSync> {
  const { doc, communityId } = options;
  const awareness = new Awareness(doc);
  let held = options.held;
  let access: EpochAccess = { kind: 'member', epoch: held.epoch };
  // Every rotation flagged since this sync started, by entry id: kept after the device moves on, so
  // the moderation log can still say what was tried.
  const flagged = new Map<string, RotationFlag>();
  const memberAccess = (): EpochAccess =>
    flagged.size > 0 ? { kind: 'member', epoch: held.epoch, flagged: [...flagged.values()] } : { kind: 'member', epoch: held.epoch };
  let current: CommunitySync | null = await options.start(doc, held, awareness);
  let beacon: { sync: CommunitySync; doc: Y.Doc } | null = null;
  let paused = false;
  let destroyed = false;
  let blobProvider: Parameters<CommunitySync['serveBlobs']>[0] = null;
  const extraSignaling: string[] = [];
  const statusListeners = new Set<(status: SyncStatus) => void>();
  const accessListeners = new Set<(access: EpochAccess) => void>();
  let unsubscribe = current.onStatus((status) => emitStatus(status));

  function emitStatus(status: SyncStatus): void {
    for (const listener of statusListeners) listener(status);
  }

  /** Presence learned in a room this device left is no longer true (y-webrtc would keep it 30 s). */
  function forgetOthersPresence(): void {
    const others = [...awareness.getStates().keys()].filter((clientId) => clientId !== doc.clientID);
    if (others.length > 0) removeAwarenessStates(awareness, others, 'epoch-change');
  }

  function setAccess(next: EpochAccess): void {
    if (JSON.stringify(next) === JSON.stringify(access)) return;
    access = next;
    for (const listener of accessListeners) listener(access);
  }

  async function restartBeacon(membership: Membership): Promise<void> {
    beacon?.sync.destroy();
    beacon?.doc.destroy();
    beacon = null;
    const newest = membership.rotations.at(-1);
    if (destroyed || !newest || held.epoch !== newest.epoch || newest.epoch === 0 || !previousSecret) return;
    const beaconDoc = new Y.Doc();
    const source = membershipLog(doc);
    const target = membershipLog(beaconDoc);
    // Entries up to the newest rotation: enough to verify it, nothing about who joined since.
    const newestEntry = membershipEntrySchema.safeParse(source.get(newest.entryId));
    beaconDoc.transact(() => {
      for (const [key, value] of source.entries()) {
        const parsed = membershipEntrySchema.safeParse(value);
        if (parsed.success && newestEntry.success && compareEntries(parsed.data, newestEntry.data) <= 0) target.set(key, value);
      }
    });
    try {
      const sync = await options.start(beaconDoc, previousSecret, new Awareness(beaconDoc));
      if (destroyed || paused) sync.pause();
      beacon = { sync, doc: beaconDoc };
    } catch {
      beaconDoc.destroy();
    }
  }

  // The previous epoch's secret, for the beacon: known when this device advanced itself; otherwise
  // (an app restarted on epoch n) from the chain of the newest rotation.
  let previousSecret: EpochSecret | null = null;

  let work = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const reconcile = async () => {
    if (destroyed) return;
    const membership = await readMembership(doc, communityId);
    const resolution = await resolveEpoch(communityId, membership.rotations, held, options.deviceId, options.agreementPrivateKey);
    if (destroyed) return;
    if (resolution.kind === 'advance') {
      await options.onAdvance(resolution.to);
      // Moving to the same epoch number is leaving a replaced fork: what it held is no previous epoch.
      previousSecret = resolution.to.epoch > held.epoch ? held : null;
      held = resolution.to;
      unsubscribe();
      // Leaving a room clears this device's presence; it comes along to the new room.
      const presence = awareness.getLocalState();
      current?.destroy();
      current = null;
      forgetOthersPresence();
      current = await options.start(doc, held, awareness);
      if (presence && awareness.getLocalState() === null) awareness.setLocalState(presence);
      if (blobProvider) current.serveBlobs(blobProvider);
      for (const url of extraSignaling) current.addSignalingUrl(url);
      if (paused) current.pause();
      unsubscribe = current.onStatus((status) => emitStatus(status));
      setAccess(memberAccess());
      const newest = membership.rotations.at(-1);
      if (!previousSecret && newest && newest.epoch === held.epoch) {
        const secret = await openChain(communityId, newest, held.secret);
        if (secret) previousSecret = { epoch: held.epoch - 1, secret };
      }
      await restartBeacon(membership);
    } else if (resolution.kind === 'flagged') {
      for (const flag of resolution.flags) flagged.set(flag.entryId, flag);
      setAccess(memberAccess());
    } else if (resolution.kind === 'excluded') {
      unsubscribe();
      current?.destroy();
      current = null;
      forgetOthersPresence();
      emitStatus(OFFLINE);
      const removed = membership.removed.has(options.memberId);
      const unlinked =
        !removed &&
        options.signingKey !== undefined &&
        !(membership.devices.get(options.memberId) ?? []).some((device) => device.publicKey === options.signingKey);
      setAccess({ kind: 'excluded', epoch: resolution.epoch, by: resolution.by, at: resolution.at, removed, unlinked });
    } else if (!beacon && held.epoch > 0) {
      const newest = membership.rotations.at(-1);
      if (!previousSecret && newest && newest.epoch === held.epoch) {
        const secret = await openChain(communityId, newest, held.secret);
        if (secret) previousSecret = { epoch: held.epoch - 1, secret };
      }
      await restartBeacon(membership);
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      work = work.then(reconcile).catch(() => undefined);
    }, options.settleMs ?? 150);
  };
  const log = membershipLog(doc);
  log.observe(schedule);
  schedule();

  return {
    awareness,
    get ready() {
      return current?.ready ?? Promise.resolve();
    },
    status: () => current?.status() ?? OFFLINE,
    onStatus(listener) {
      statusListeners.add(listener);
      listener(current?.status() ?? OFFLINE);
      return () => statusListeners.delete(listener);
    },
    access: () => access,
    onAccess(listener) {
      accessListeners.add(listener);
      listener(access);
      return () => accessListeners.delete(listener);
    },
    async settled() {
      if (timer) {
        clearTimeout(timer);
        timer = null;
        work = work.then(reconcile).catch(() => undefined);
      }
      await work;
    },
    requestBlob: (hash) => current?.requestBlob(hash) ?? Promise.resolve(null),
    serveBlobs(provider) {
      blobProvider = provider;
      current?.serveBlobs(provider);
    },
    addSignalingUrl(url) {
      if (!extraSignaling.includes(url)) extraSignaling.push(url);
      beacon?.sync.addSignalingUrl(url);
      return current?.addSignalingUrl(url) ?? false;
    },
    pause() {
      paused = true;
      current?.pause();
      beacon?.sync.pause();
    },
    resume() {
      paused = false;
      current?.resume();
      beacon?.sync.resume();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (timer) clearTimeout(timer);
      log.unobserve(schedule);
      unsubscribe();
      current?.destroy();
      beacon?.sync.destroy();
      beacon?.doc.destroy();
      emitStatus(OFFLINE);
      statusListeners.clear();
      accessListeners.clear();
      awareness.destroy();
    },
  };
}
