// Keeps the communities this window has opened: one Y.Doc each, bound to the local store and synced
// with the other members. Opening a community twice returns the same doc; every community on the
// device syncs in the background, not only the one on screen; closing the window flushes them all.
import * as Y from 'yjs';
import { upsertMember, type NewCommunity } from '../../shared/community/commands.js';
import { foundCommunity, joinCommunity, openCommunity } from '../../shared/community/lifecycle.js';
import type { LogKeeper } from '../../shared/community/log/guard.js';
import { readCommunityMeta } from '../../shared/community/queries.js';
import { readMembership } from '../../shared/community/log/replay.js';
import { foundingId, writeMembershipChange } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import type { LoadReport, PersistedDoc } from '../../shared/store/persist-doc.js';
import type { CommunityEntry } from '../../shared/store/store.js';
import type { Invite } from '../../shared/sync/invite.js';
import { fromBase64Url, toBase64Url } from '../../shared/sync/bytes.js';
import { newCommunitySecret } from '../../shared/sync/keys.js';
import type { CommunitySync } from '../../shared/sync/community-sync.js';
import { startEpochSync, type EpochSync } from '../../shared/sync/epoch-sync.js';
import { deviceIdOf, type AgreementKeyPair, type EpochSecret } from '../../shared/sync/epochs.js';
import { keepDeviceKeyPublished, removeMember, unlinkDevice, type Removal } from '../../shared/community/removal.js';
import type { Awareness } from 'y-protocols/awareness';
import type { ChangeLog } from '../../shared/sync/change-log.js';
import type { DeviceStore } from '../store/device-store.js';
import { dexieBlobStore } from '../library/blob-store.js';
import type { Profile } from '../profile/profile.js';
import { presenceColourOf } from '../ui/Avatar.js';
import { waitForPush, type PushOutcome } from './leave.js';

export interface OpenCommunity {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly persisted: PersistedDoc;
  /** What the load found: damage set aside and changes waiting on it (the home's banner says so). */
  readonly report: LoadReport;
  /** Writes back log entries a peer deleted; sync details count them. */
  readonly logKeeper: LogKeeper;
  /** The community's signed changes: this device's edits as it signs them, and every member's as checked. */
  readonly changes: ChangeLog | null;
  /** The load found damage and this device's copy of the signed changes filled it (the banner says so). */
  readonly repairedHere: boolean;
  /** Null when sync could not start (the reason went to the background error handler). */
  readonly sync: EpochSync | null;
  readonly entry: CommunityEntry;
}

/**
 * Starts sync for one community in one key epoch's room; the renderer's sync service provides it
 * (network, settings). The registry runs it through the epoch sync, which moves rooms on rotation.
 */
/** Starts one room's sync; `changes` is the community's signed-change log (null for an epoch beacon's own doc). */
export type SyncStarter = (
  doc: Y.Doc,
  entry: CommunityEntry,
  epoch: EpochSecret,
  awareness: Awareness,
  changes: ChangeLog | null,
) => Promise<CommunitySync>;

export class CommunityRegistry {
  private readonly open = new Map<string, Promise<OpenCommunity>>();
  private profile: Profile | null = null;
  private identity: Identity | null = null;
  private agreement: AgreementKeyPair | null = null;
  /** Set when a join stored a newer key for a community already open here: the app restarts on it. */
  renewed = false;

  constructor(
    private readonly store: DeviceStore,
    private readonly onBackgroundError: (error: unknown) => void,
    private readonly startSync: SyncStarter | null = null,
  ) {}

  /** Who this device's member is: shown to other members through presence. */
  setProfile(profile: Profile): void {
    this.profile = profile;
    for (const opening of this.open.values())
      void opening.then(
        (community) => this.announce(community),
        () => undefined,
      );
  }

  /** This device's signing identity (renderer/profile); set once at start, before any community opens. */
  setIdentity(identity: Identity): void {
    this.identity = identity;
  }

  /** This device's key-agreement key (renderer/profile/agreement-key.ts): key rotations wrap for it. */
  setAgreementKey(agreement: AgreementKeyPair): void {
    this.agreement = agreement;
  }

  agreementKeyOrNull(): AgreementKeyPair | null {
    return this.agreement;
  }

  identityOrNull(): Identity | null {
    return this.identity;
  }

  requireIdentity(): Identity {
    if (!this.identity) throw new Error('This device has no identity yet.');
    return this.identity;
  }

  get(id: string): Promise<OpenCommunity> {
    let opening = this.open.get(id);
    if (!opening) {
      opening = this.load(id);
      this.open.set(id, opening);
      // A failed open is not cached, so "Try again" really tries again.
      opening.catch(() => this.open.delete(id));
    }
    return opening;
  }

  async create(input: Omit<NewCommunity, 'founder'>, profile: Profile): Promise<CommunityEntry> {
    const identity = this.requireIdentity();
    // The community id is derived from the founder's key, so only the founder can sign its genesis.
    const { communityId: id, nonce } = await foundingId(identity);
    const { doc, persisted, report, logKeeper, changes, repairedHere } = await openCommunity({
      store: this.store,
      communityId: id,
      persist: { onError: this.onBackgroundError },
      device: identity,
    });
    const founder = { id: profile.memberId, displayName: profile.displayName };
    const meta = await foundCommunity(doc, identity, {
      ...input,
      communityId: id,
      nonce,
      founder,
      ...(this.agreement ? { agreementKey: this.agreement.publicKey } : {}),
    });
    await persisted.flush();
    const entry: CommunityEntry = {
      id: meta.id,
      name: meta.name,
      joinedAt: meta.createdAt,
      lastOpenedAt: meta.createdAt,
      secret: toBase64Url(newCommunitySecret()),
      signalingHints: [],
    };
    await this.store.putCommunity(entry);
    this.open.set(meta.id, this.attachSync({ id: meta.id, doc, persisted, report, logKeeper, changes, repairedHere, sync: null, entry }));
    return entry;
  }

  /**
   * Joins through an invite: the community is stored with its secret at once and the member adds
   * themself to the member list; everything else arrives when a member who has it is online.
   */
  async join(invite: Invite, profile: Profile): Promise<CommunityEntry> {
    const existing = (await this.store.listCommunities()).communities.find((community) => community.id === invite.communityId);
    if (existing) {
      // An invite to a community already here only matters if it carries a newer key (this device was
      // left behind by a rotation): the new key is stored, and the caller starts the app again on it.
      if ((invite.epoch ?? 0) <= (existing.epoch ?? 0)) return existing;
      const renewed: CommunityEntry = {
        ...existing,
        secret: toBase64Url(invite.secret),
        epoch: invite.epoch ?? 0,
        signalingHints: [...new Set([...(existing.signalingHints ?? []), ...invite.signalingHints])],
      };
      await this.store.putCommunity(renewed);
      this.renewed = true;
      return renewed;
    }
    const now = Date.now();
    const entry: CommunityEntry = {
      id: invite.communityId,
      name: invite.communityName || 'New community',
      joinedAt: now,
      lastOpenedAt: now,
      secret: toBase64Url(invite.secret),
      ...(invite.epoch ? { epoch: invite.epoch } : {}),
      signalingHints: [...invite.signalingHints],
    };
    const { doc, persisted, report, logKeeper, changes, repairedHere } = await openCommunity({
      store: this.store,
      communityId: entry.id,
      persist: { onError: this.onBackgroundError },
      device: this.requireIdentity(),
      epoch: entry.epoch ?? 0,
    });
    const member = { id: profile.memberId, displayName: profile.displayName };
    await joinCommunity(doc, this.requireIdentity(), {
      communityId: entry.id,
      member,
      now,
      ...(this.agreement ? { agreementKey: this.agreement.publicKey } : {}),
    });
    await persisted.flush();
    await this.store.putCommunity(entry);
    this.open.set(entry.id, this.attachSync({ id: entry.id, doc, persisted, report, logKeeper, changes, repairedHere, sync: null, entry }));
    return entry;
  }

  /** Records that the member looked at a community now, and keeps the sidebar's name in step. */
  async touch(entry: CommunityEntry, doc: Y.Doc): Promise<CommunityEntry> {
    const name = readCommunityMeta(doc)?.name ?? entry.name;
    const touched = { ...entry, name, lastOpenedAt: Date.now() };
    await this.store.putCommunity(touched);
    return touched;
  }

  /** Keeps this member's record (name, avatar, bio, time zone) in each open community in step with their profile; unchanged records are not rewritten. */
  async renameMember(profile: Profile): Promise<void> {
    this.setProfile(profile);
    const { avatar, bio, timeZone } = profile;
    for (const opening of this.open.values()) {
      const community = await opening.catch(() => null);
      if (community)
        upsertMember(community.doc, { id: profile.memberId, displayName: profile.displayName, profile: { avatar, bio, timeZone } });
    }
  }

  /**
   * Removes a member for real: signs the removal and a key rotation that wraps the next epoch's
   * secret for every remaining device; this device then moves to the new epoch like every other.
   */
  async removeMember(id: string, subject: string): Promise<Removal> {
    const community = await this.get(id);
    const held = await this.heldEpoch(id);
    const removal = await removeMember(community.doc, this.requireIdentity(), id, subject, held);
    await community.sync?.settled();
    return removal;
  }

  /** This member's devices (by signing key), across the communities on this device; this one first. */
  async myDevices(): Promise<{ readonly publicKey: string; readonly name: string | null; readonly current: boolean }[]> {
    const identity = this.requireIdentity();
    const found = new Map<string, string | null>();
    for (const entry of (await this.store.listCommunities()).communities) {
      const community = await this.get(entry.id).catch(() => null);
      if (!community) continue;
      const membership = await readMembership(community.doc, entry.id);
      for (const device of membership.devices.get(identity.memberId) ?? [])
        found.set(device.publicKey, device.name ?? found.get(device.publicKey) ?? null);
    }
    found.set(identity.publicKey, found.get(identity.publicKey) ?? null);
    return [...found]
      .map(([publicKey, name]) => ({ publicKey, name, current: publicKey === identity.publicKey }))
      .sort((a, b) => Number(b.current) - Number(a.current));
  }

  /**
   * Unlinks another device of this member in every community it is in here: its later signatures stop
   * counting and each community moves to a key it does not get. Returns how many communities changed.
   */
  async unlinkDevice(publicKey: string): Promise<number> {
    const identity = this.requireIdentity();
    let changed = 0;
    for (const entry of (await this.store.listCommunities()).communities) {
      const community = await this.get(entry.id).catch(() => null);
      if (!community || community.sync?.access().kind === 'excluded') continue;
      const membership = await readMembership(community.doc, entry.id);
      if (!(membership.devices.get(identity.memberId) ?? []).some((device) => device.publicKey === publicKey)) continue;
      await unlinkDevice(community.doc, identity, entry.id, publicKey, await this.heldEpoch(entry.id));
      await community.persisted.flush();
      await community.sync?.settled();
      changed += 1;
    }
    return changed;
  }

  /** The secret and epoch this device holds for a community now (invites carry them). */
  async heldEpoch(id: string): Promise<EpochSecret> {
    const entry = (await this.store.listCommunities()).communities.find((community) => community.id === id);
    const secret = entry?.secret ? fromBase64Url(entry.secret) : null;
    if (!entry || !secret) throw new Error('This community has no key on this device.');
    return { epoch: entry.epoch ?? 0, secret };
  }

  /**
   * "Leave community": signs this member's `leave` entry, gives the members online a moment to receive
   * it (bounded: leave.ts), then stops syncing and deletes the community from this device. A member
   * offline now learns of the leave only from one who was told. With `tell` false (someone already
   * removed or declined) nothing is signed: the community is only taken off this device.
   */
  async leave(id: string, { tell }: { tell: boolean }): Promise<PushOutcome> {
    const community = await this.get(id);
    let outcome: PushOutcome = { peers: 0 };
    if (tell) {
      const identity = this.requireIdentity();
      await writeMembershipChange(community.doc, identity, id, { kind: 'leave', subject: identity.memberId });
      // Signed now rather than at the end of its batch, so it is on the wire while we wait.
      await community.changes?.flush();
      if (community.sync) outcome = await waitForPush(community.sync);
    }
    community.sync?.destroy();
    await community.persisted.close();
    // The doc itself is not destroyed: the page showing it and the search index let go of it as the
    // community leaves the app's list (destroying it first drops handlers their clean-ups then remove).
    // With sync and storage detached it is plain memory.
    await this.store.deleteCommunity(id);
    // Only now: until its rows were gone, opening it again would have found them.
    this.open.delete(id);
    return outcome;
  }

  async closeAll(): Promise<void> {
    const openings = [...this.open.values()];
    this.open.clear();
    await Promise.all(
      openings.map(async (opening) => {
        const community = await opening.catch(() => null);
        if (!community) return;
        community.sync?.destroy();
        await community.persisted.close();
        community.doc.destroy();
      }),
    );
  }

  private async load(id: string): Promise<OpenCommunity> {
    const listed = (await this.store.listCommunities()).communities.find((community) => community.id === id);
    if (!listed) throw new Error('This community is not on this device.');
    // Sync starts only after the load (openCommunity): the sync step 1 y-webrtc sends on every
    // connection then carries the state vector of what did load, so after damage (report.setAside,
    // report.blocked) each member online answers with what this device lacks, and Yjs applies what
    // waited on it. No extra request is needed; a stalled answer is asked again (community-sync.ts,
    // SYNC_STALL_MS). attachSync reports its own failures, so the open itself still succeeds.
    const opened = await openCommunity<OpenCommunity>({
      store: this.store,
      communityId: id,
      persist: { onError: this.onBackgroundError },
      ...(this.identity ? { device: this.identity } : {}),
      epoch: listed.epoch ?? 0,
      startSync: (loaded) => this.attachSync({ id, ...loaded, sync: null, entry: listed }),
    });
    return opened.sync!;
  }

  private async attachSync(community: OpenCommunity): Promise<OpenCommunity> {
    if (!this.startSync) return community;
    let entry = community.entry;
    if (!entry.secret || !fromBase64Url(entry.secret)) {
      // A community made before sync existed gets its secret now; nobody else could have it yet.
      entry = { ...entry, secret: toBase64Url(newCommunitySecret()) };
      await this.store.putCommunity(entry);
    }
    try {
      const startSync = this.startSync;
      const identity = this.requireIdentity();
      const sync = await startEpochSync({
        doc: community.doc,
        communityId: community.id,
        held: { epoch: entry.epoch ?? 0, secret: fromBase64Url(entry.secret ?? '') ?? new Uint8Array() },
        memberId: identity.memberId,
        deviceId: await deviceIdOf(identity.publicKey),
        signingKey: identity.publicKey,
        agreementPrivateKey: this.agreement?.privateKey ?? null,
        start: (doc, epoch, awareness) => startSync(doc, entry, epoch, awareness, doc === community.doc ? community.changes : null),
        onAdvance: async (to) => {
          // Stored before the move: a restart must come back in the new room.
          const stored = (await this.store.listCommunities()).communities.find((item) => item.id === community.id) ?? entry;
          await this.store.putCommunity({ ...stored, secret: toBase64Url(to.secret), epoch: to.epoch });
        },
      });
      // A device whose agreement key is not in the log yet publishes it, so the next rotation wraps for it.
      if (this.agreement) {
        const stop = keepDeviceKeyPublished(community.doc, identity, community.id, this.agreement.publicKey);
        community.doc.once('destroy', stop);
      }
      // Members may ask this device for library files it holds; bytes go out only by exact hash.
      const blobs = dexieBlobStore(this.store);
      sync.serveBlobs(async (hash) => (await blobs.get(hash))?.bytes ?? null);
      const started = { ...community, entry, sync };
      this.announce(started);
      return started;
    } catch (error) {
      this.onBackgroundError(error);
      return { ...community, entry };
    }
  }

  private announce(community: OpenCommunity): void {
    if (!this.profile || !community.sync) return;
    // Live carets and presence take the colour the member chose for their avatar.
    community.sync.awareness.setLocalStateField('user', {
      id: this.profile.memberId,
      name: this.profile.displayName,
      color: presenceColourOf(this.profile.memberId, this.profile.avatar),
    });
  }
}
