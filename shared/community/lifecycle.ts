// Founding, joining and opening a community: the one implementation the app (renderer/communities/
// community-registry.ts) and headless peers (electron/peer/headless-peer.ts) both use, with the store
// and the sync starter passed in. What it guarantees: the store is bound before anything is written;
// sync starts only after the stored state is loaded (so its first sync step asks members for whatever
// did not load); every log entry is kept and written back if a peer deletes it (log/guard.ts); the
// founder's genesis is signed and they accept the code of conduct they wrote; a joiner's own join
// entry is signed.
import * as Y from 'yjs';
import { changeStoreIn, startChangeLog, type ChangeLog, type SigningDevice } from '../sync/change-log.js';
import { hasGap } from '../store/load-gaps.js';
import { persistDoc, type LoadReport, type PersistedDoc, type PersistOptions } from '../store/persist-doc.js';
import type { CommunityStore } from '../store/store.js';
import type { Identity } from '../identity/identity.js';
import { conductHash } from './access.js';
import { createCommunity, upsertMember, type NewCommunity } from './commands.js';
import { keepLogEntries, type LogKeeper } from './log/guard.js';
import { writeFounding, writeJoin, writeMembershipChange } from './log/write.js';
import type { CommunityMeta } from './schema.js';

/** A community's doc, bound to the store, with its stored state loaded. */
export interface LoadedCommunityDoc {
  readonly doc: Y.Doc;
  readonly persisted: PersistedDoc;
  /** What the load found: damage set aside and changes waiting on it. */
  readonly report: LoadReport;
  /** Writes back log entries that vanish (log/guard.ts); stops when the doc is destroyed. */
  readonly logKeeper: LogKeeper;
  /**
   * The community's signed changes (shared/sync/change-log.ts): what this device's edits travel as,
   * and what stands between peers and the doc. Null when no signing device was given.
   */
  readonly changes: ChangeLog | null;
  /** The load found damage, and this device's own copy of the signed changes filled every gap it left. */
  readonly repairedHere: boolean;
}

export interface OpenedCommunity<Sync> extends LoadedCommunityDoc {
  /** What `startSync` returned; null when none was given. */
  readonly sync: Sync | null;
}

export interface OpenOptions<Sync> {
  readonly store: CommunityStore;
  readonly communityId: string;
  /** A doc to bind (the caller may already hold one); a new one otherwise. */
  readonly doc?: Y.Doc;
  readonly persist?: PersistOptions;
  /** Runs once the stored state is in the doc, never before. */
  readonly startSync?: (loaded: LoadedCommunityDoc) => Promise<Sync>;
  /** This device's signing key: its edits are signed changes from the first one (the doc's client id comes from it). */
  readonly device?: SigningDevice;
  /** The key epoch the device holds for this community (named in the changes it signs). */
  readonly epoch?: number;
}

/**
 * Binds a community's doc to the store, loads it, then starts sync. A failed load closes the binding
 * and rethrows; a failed sync start is the caller's to handle (startSync's own rejection).
 */
export async function openCommunity<Sync = null>(options: OpenOptions<Sync>): Promise<OpenedCommunity<Sync>> {
  const doc = options.doc ?? new Y.Doc();
  // Bound first: persistDoc records changes from the moment it is attached, and writes none before the load.
  const persisted = persistDoc(doc, options.communityId, options.store, options.persist);
  let report: LoadReport;
  try {
    report = await persisted.whenLoaded;
  } catch (error) {
    await persisted.close();
    if (!options.doc) doc.destroy();
    throw error;
  }
  // Before any local write: the change log gives the doc its client id, bound to this device.
  const changes = options.device
    ? await startChangeLog({
        doc,
        communityId: options.communityId,
        device: options.device,
        epoch: options.epoch ?? 0,
        store: changeStoreIn(options.store, options.communityId),
        ...(options.persist?.onError ? { onError: options.persist.onError } : {}),
      })
    : null;
  // Damage in the document's store: the signed changes this device keeps are a second copy of it.
  let repairedHere = false;
  if (changes && (report.setAside > 0 || report.blocked > 0)) {
    await changes.repair();
    repairedHere = !hasGap(doc);
  }
  // Closing flushes the changes still in their batch first, so nothing signed is lost on the way out.
  const closing: PersistedDoc = changes
    ? {
        ...persisted,
        close: async () => {
          await changes.destroy();
          await persisted.close();
        },
      }
    : persisted;
  // Before sync: whatever arrives from then on finds every stored log entry remembered.
  const logKeeper = keepLogEntries(doc, options.communityId);
  doc.once('destroy', () => {
    logKeeper.stop();
    void changes?.destroy();
  });
  const loaded = { doc, persisted: closing, report, logKeeper, changes, repairedHere };
  const sync = options.startSync ? await options.startSync(loaded) : null;
  return { ...loaded, sync };
}

export interface Founding extends Omit<NewCommunity, 'id'> {
  /** From foundingId(identity): the community id is derived from the founder's key and this nonce. */
  readonly communityId: string;
  readonly nonce: string;
  /** This device's key-agreement key, published so key rotations can wrap for it. */
  readonly agreementKey?: string;
}

/** Writes a new community into an opened, empty doc: its meta, the founder, the signed genesis, and the founder's acceptance of the code of conduct. */
export async function foundCommunity(doc: Y.Doc, identity: Identity, founding: Founding): Promise<CommunityMeta> {
  const { communityId, nonce, agreementKey, ...input } = founding;
  const meta = createCommunity(doc, { ...input, id: communityId });
  await writeFounding(doc, identity, communityId, nonce, meta.createdAt, agreementKey);
  // The founder wrote the code of conduct, so they accept it as they found the community (dated after
  // the founding entry: replay orders by time, and nothing counts before the founding).
  if (meta.codeOfConduct) {
    const accepted = { kind: 'conduct', subject: identity.memberId, conductHash: await conductHash(meta.codeOfConduct) } as const;
    await writeMembershipChange(doc, identity, communityId, accepted, meta.createdAt + 1);
  }
  return meta;
}

export interface Joining {
  readonly communityId: string;
  readonly member: { readonly id: string; readonly displayName: string };
  readonly agreementKey?: string;
  readonly now?: number;
}

/** Adds this member to an opened community (the rest arrives from the members online): their member record and their signed join. */
export async function joinCommunity(doc: Y.Doc, identity: Identity, joining: Joining): Promise<void> {
  const now = joining.now ?? Date.now();
  upsertMember(doc, { id: joining.member.id, displayName: joining.member.displayName, now });
  await writeJoin(doc, identity, joining.communityId, now, joining.agreementKey);
}
