// One community's signed changes on this device: this session's own chain (local edits batched, signed
// and appended), every other device's chain as it arrived, and the receive pipeline that stands
// between the network and Y.applyUpdate. What it guarantees:
// - nothing from a peer reaches the document unless it is a change signed by the device it names,
//   under a client id that device's key derives, linked to that chain's previous change, from a device
//   that is not a removed member's; and its update passes the record rules (change-rules.ts);
// - a chain is transport: a correctly signed and linked change is kept (and passed on to others) even
//   when its update is refused here, so one refusal never stalls the author's later changes; a refused
//   update is counted, never applied;
// - a gap waits for the missing changes (bounded), a second change at a taken place (a fork) is
//   counted and dropped, a replay is a duplicate.
// The wire exchange of heads and changes is change-exchange.ts; the format is signed-change.ts.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { readMembership, type Membership } from '../community/log/replay.js';
import { MEMBERSHIP_LOG_KEY, membershipLog, moderationLog } from '../community/log/entries.js';
import { memberIdFromPublicKey } from '../identity/identity.js';
import type { CommunityStore } from '../store/store.js';
import { crc32 } from '../store/checksum.js';
import { bytesEqual, toBase64Url } from './bytes.js';
import { checkChangeRules, type Signer } from './change-rules.js';
import { clientsMap, memberOfClient, type ClientBinding } from './client-bindings.js';
import { changeHash, checkChange, communityTag, decodeChange, newClientBinding, signChange, type SignedChange } from './signed-change.js';

/** Updates applied from verified changes carry this origin (persistence stores them; nothing signs them again). */
export const CHANGE_ORIGIN = Symbol('hearth-signed-change');
/** This device's own writes of membership-log entries an epoch beacon brought (acceptPlainLog); signed like any local edit. */
export const PLAIN_LOG_ORIGIN = Symbol('hearth-beacon-entries');
/**
 * Local edits within this long go out as one change. A keystroke is a ~20-byte update and a signature
 * costs ~0.2 ms here, so a short window keeps typing cheap without adding latency anyone feels.
 */
export const BATCH_MS = 4;
export const MAX_BATCH_UPDATES = 64;
/** Changes held for a gap in their chain (an earlier one not yet here), at most. */
export const MAX_GAP_CHANGES = 4_096;
/** Refused or parked updates remembered for sync details, newest last. */
const MAX_REFUSALS_KEPT = 50;
const MODERATORS: ReadonlySet<string> = new Set(['owner', 'facilitator']);

export interface ChangeCounters {
  /** Changes this device signed. */
  signed: number;
  /** Changes from peers applied to the document. */
  applied: number;
  /** Changes already here (a replay, or the same change from two peers). */
  duplicates: number;
  /** Changes refused: bad signature, a client id not the signer's, a removed member, or against the rules. */
  refused: number;
  /** A second, different change at a place in a chain already taken. */
  forks: number;
  /** Changes waiting: for an earlier change of their chain, or for structs they refer to. */
  waiting: number;
  /** Refusals by reason ('signature', 'client', 'removed', 'post', 'log-delete', …). */
  readonly refusedBy: Record<string, number>;
}

export interface Refusal {
  readonly reason: string;
  readonly device: string;
  readonly memberId: string | null;
  readonly at: number;
}

/** Where a device keeps its changes: appended as they are accepted, all read back at start. */
export interface ChangeStore {
  load(): Promise<readonly Uint8Array[]>;
  append(change: Uint8Array): Promise<void>;
}

/** The log key a community's signed changes are stored under, beside the community's own log. */
export function changeStoreKey(communityId: string): string {
  return `${communityId}changes`;
}

/** The change log kept in a community store beside the community's own log (same rows, CRC-checked). */
export function changeStoreIn(store: CommunityStore, communityId: string): ChangeStore {
  const key = changeStoreKey(communityId);
  return {
    async load() {
      const loaded = await store.load(key);
      return loaded.updates.filter((row) => row.checksum == null || crc32(row.update) === row.checksum).map((row) => row.update);
    },
    async append(change) {
      await store.append(key, change, crc32(change));
    },
  };
}

export interface SigningDevice {
  /** The device's raw public key, base64url. */
  readonly publicKey: string;
  readonly privateKey: CryptoKey;
  /** The member it belongs to. */
  readonly memberId: string;
}

export interface ChangeLogOptions {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly device: SigningDevice;
  /** The key epoch this device is on at start (written into each change it signs; see setEpoch). */
  readonly epoch?: number;
  readonly store?: ChangeStore;
  readonly onError?: (error: unknown) => void;
}

export interface ChangeLog {
  /** This session's client id: the doc writes under it from the moment the log starts. */
  readonly client: number;
  /** Every chain's newest sequence number, by client id. */
  heads(): ReadonlyMap<number, number>;
  /** The changes someone with `theirs` lacks, each chain in order, at most `maxBytes` (roughly) of them. */
  missing(theirs: ReadonlyMap<number, number>, maxBytes?: number): Uint8Array[];
  /** Whether `theirs` holds changes this device does not. */
  behind(theirs: ReadonlyMap<number, number>): boolean;
  /** Takes changes from a peer (in any order); resolves once each was judged or parked. */
  receive(changes: readonly Uint8Array[]): Promise<void>;
  /**
   * An unsigned Yjs update from a plain peer (an epoch beacon: README.md "Epoch beacons"), taken only
   * if all it does is add membership-log entries, which carry their own signatures: the entries this
   * device lacks are written as its own signed change (so every struct in the document is one every
   * member can get); counted as refused
   * ('unsigned') otherwise.
   */
  acceptPlainLog(update: Uint8Array): Promise<void>;
  /** The key epoch this device moved to (the room sync runs in): later changes name it. */
  setEpoch(epoch: number): void;
  /** Each change this device signs, as it is made. */
  onSigned(listener: (change: Uint8Array) => void): () => void;
  counters(): Readonly<ChangeCounters>;
  refusals(): readonly Refusal[];
  onCounters(listener: () => void): () => void;
  /** Signs whatever local edits are waiting for their batch. */
  flush(): Promise<void>;
  destroy(): Promise<void>;
}

interface Chain {
  readonly device: string;
  /** The chain's changes by sequence number (bytes as signed). */
  readonly changes: Uint8Array[];
  /** Hash of the newest change (what its successor must name). */
  hash: Uint8Array;
  /** The next change to judge against the document (those before it were applied or refused). */
  judged: number;
}

export async function startChangeLog(options: ChangeLogOptions): Promise<ChangeLog> {
  const { doc, device } = options;
  const community = await communityTag(options.communityId);
  const chains = new Map<number, Chain>();
  for (const bytes of (await options.store?.load()) ?? []) restore(chains, bytes);
  for (const chain of chains.values()) chain.hash = await changeHash(decodeChange(chain.changes[chain.changes.length - 1]!)!);

  const { nonce, client } = await newClientBinding(device.publicKey);
  doc.clientID = client;
  const binding: ClientBinding = { device: device.publicKey, member: device.memberId, nonce: toBase64Url(nonce) };
  const counters: ChangeCounters = { signed: 0, applied: 0, duplicates: 0, refused: 0, forks: 0, waiting: 0, refusedBy: {} };
  const refusals: Refusal[] = [];
  const signedListeners = new Set<(change: Uint8Array) => void>();
  const counterListeners = new Set<() => void>();
  const gaps = new Map<string, Uint8Array>();
  let destroyed = false;
  let epoch = options.epoch ?? 0;
  const changed = () => {
    for (const listener of counterListeners) listener();
  };
  const fail = (error: unknown) => options.onError?.(error);

  // The membership every judgement reads, read again whenever either log changes.
  let membership: Promise<Membership> | null = null;
  const forget = () => void (membership = null);
  membershipLog(doc).observe(forget);
  moderationLog(doc).observe(forget);
  const currentMembership = () => (membership ??= readMembership(doc, options.communityId));

  // --- this device's own chain -------------------------------------------------------------------
  const own: Chain = { device: device.publicKey, changes: [], hash: new Uint8Array(32), judged: 0 };
  chains.set(client, own);
  let batch: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let signing: Promise<void> = Promise.resolve();
  const signBatch = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch.length === 0) return signing;
    const updates = batch;
    batch = [];
    signing = signing
      .then(async () => {
        const change = await signChange(
          {
            epoch,
            client,
            seq: own.changes.length,
            at: Date.now(),
            device: device.publicKey,
            nonce,
            prev: own.changes.length === 0 ? null : own.hash,
            community,
            update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
          },
          device.privateKey,
        );
        own.changes.push(change.bytes);
        own.hash = await changeHash(change);
        own.judged = own.changes.length;
        counters.signed += 1;
        for (const listener of signedListeners) listener(change.bytes);
        await options.store?.append(change.bytes);
      })
      .catch(fail);
    return signing;
  };
  const onUpdate = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (!transaction.local || destroyed) return;
    batch.push(update);
    if (batch.length >= MAX_BATCH_UPDATES) void signBatch();
    else timer ??= setTimeout(() => void signBatch(), BATCH_MS);
  };
  doc.on('update', onUpdate);
  // The session's binding is its chain's first change: every later struct is attributable from it.
  doc.transact(() => clientsMap(doc).set(String(client), binding));
  await signBatch();

  // --- changes from peers ------------------------------------------------------------------------
  const refuse = (reason: string, change: SignedChange | null, memberId: string | null) => {
    counters.refused += 1;
    counters.refusedBy[reason] = (counters.refusedBy[reason] ?? 0) + 1;
    refusals.push({ reason, device: change?.device ?? '', memberId, at: Date.now() });
    if (refusals.length > MAX_REFUSALS_KEPT) refusals.shift();
  };

  async function signerOf(change: SignedChange, chainBinding: ClientBinding | null): Promise<Signer> {
    const current = await currentMembership();
    let memberId: string | null = null;
    for (const [member, devices] of current.devices) if (devices.some((entry) => entry.publicKey === change.device)) memberId = member;
    const known = memberId !== null;
    memberId ??= await memberIdFromPublicKey(change.device);
    const role = current.roles.get(memberId);
    const standing = !current.signed
      ? 'member'
      : current.removed.has(memberId)
        ? 'removed'
        : known && role !== undefined
          ? 'member'
          : 'newcomer';
    return {
      memberId,
      standing,
      moderator: role !== undefined && MODERATORS.has(role),
      client: change.client,
      binding: chainBinding ?? { device: change.device, member: memberId, nonce: toBase64Url(change.nonce) },
    };
  }

  /** Judges and applies a chain's unjudged changes in order, until one has to wait. True if any was applied. */
  async function advance(chain: Chain): Promise<boolean> {
    let applied = false;
    while (chain.judged < chain.changes.length && !destroyed) {
      const change = decodeChange(chain.changes[chain.judged]!)!;
      const signer = await signerOf(change, null);
      const verdict = checkChangeRules(doc, change.update, signer, {
        signed: (await currentMembership()).signed,
        memberOfClient: (id) => memberOfClient(doc, id),
      });
      if (verdict.kind === 'wait') break;
      chain.judged += 1;
      if (verdict.kind === 'reject') {
        refuse(verdict.reason, change, signer.memberId);
        // Its clock range is filled with nothing, so the author's later structs still integrate (Yjs
        // needs each client's clocks without holes) and whatever built on the refused ones is dropped.
        const tombstone = tombstoneFor(change.update);
        if (tombstone) Y.applyUpdate(doc, tombstone, CHANGE_ORIGIN);
        continue;
      }
      try {
        Y.applyUpdate(doc, change.update, CHANGE_ORIGIN);
        counters.applied += 1;
        applied = true;
      } catch {
        refuse('malformed', change, signer.memberId);
      }
    }
    return applied;
  }

  /** Chains that have changes not yet applied, tried again after anything else was (they may wait on it). */
  async function advanceAll(): Promise<void> {
    for (let round = 0; round < 16; round += 1) {
      let any = false;
      for (const chain of chains.values()) if (chain.judged < chain.changes.length && (await advance(chain))) any = true;
      if (!any) break;
    }
    let waiting = gaps.size;
    for (const chain of chains.values()) waiting += chain.changes.length - chain.judged;
    counters.waiting = waiting;
  }

  /** Takes one change into its chain if it belongs there; true when the chain grew. */
  async function take(bytes: Uint8Array): Promise<boolean> {
    const change = decodeChange(bytes);
    if (!change) {
      refuse('malformed', null, null);
      return false;
    }
    if (!bytesEqual(change.community, community)) {
      refuse('community', change, null);
      return false;
    }
    const chain = chains.get(change.client);
    const head = chain ? chain.changes.length - 1 : -1;
    if (change.seq <= head) {
      const held = decodeChange(chain!.changes[change.seq]!)!;
      if (bytesEqual(held.signed, change.signed)) counters.duplicates += 1;
      else counters.forks += 1;
      return false;
    }
    if (change.seq > head + 1) {
      if (gaps.size < MAX_GAP_CHANGES) gaps.set(`${change.client}:${change.seq}`, bytes);
      return false;
    }
    const check = await checkChange(change, community);
    if (!check.ok) {
      refuse(check.reason, change, null);
      return false;
    }
    if (chain && (!bytesEqual(change.prev, chain.hash) || chain.device !== change.device)) {
      refuse('prev', change, null);
      return false;
    }
    const signer = await signerOf(change, null);
    if (signer.standing === 'removed') {
      // Not kept and not passed on: a removed member's device gets no say, and no storage, here.
      refuse('removed', change, signer.memberId);
      return false;
    }
    const target = chain ?? { device: change.device, changes: [], hash: new Uint8Array(32), judged: 0 };
    if (!chain) chains.set(change.client, target);
    target.changes.push(bytes);
    target.hash = await changeHash(change);
    await options.store?.append(bytes).catch(fail);
    return true;
  }

  let receiving: Promise<void> = Promise.resolve();
  const receive = (incoming: readonly Uint8Array[]) => {
    const run = receiving.then(async () => {
      if (destroyed) return;
      let grew = false;
      const queue = [...incoming];
      while (queue.length > 0) {
        const bytes = queue.shift()!;
        if (await take(bytes)) {
          grew = true;
          const change = decodeChange(bytes)!;
          const next = gaps.get(`${change.client}:${change.seq + 1}`);
          if (next) {
            gaps.delete(`${change.client}:${change.seq + 1}`);
            queue.unshift(next);
          }
        }
      }
      if (grew) await advanceAll();
      changed();
    });
    receiving = run.catch(fail);
    return receiving;
  };

  const acceptPlainLog = (update: Uint8Array) => {
    const run = receiving.then(() => {
      if (destroyed) return;
      const entries = newLogEntries(doc, update);
      if (!entries) return refuse('unsigned', null, null);
      // Written by this device, as its own signed change, rather than applied as the beacon's structs:
      // those are under the beacon's throwaway client id, which no member's chain carries, so a later
      // change built on them (a deletion of the entry, its write-back) could never be judged by anyone
      // else and would wait for ever. Each entry carries its own author's signature either way.
      const log = membershipLog(doc);
      const fresh = [...new Map(entries)].filter(([key]) => !log.has(key));
      if (fresh.length > 0)
        doc.transact(() => {
          for (const [key, value] of fresh) log.set(key, value);
        }, PLAIN_LOG_ORIGIN);
    });
    receiving = run.then(changed).catch(fail);
    return receiving;
  };

  return {
    client,
    acceptPlainLog,
    setEpoch: (to) => void (epoch = to),
    heads() {
      const heads = new Map<number, number>();
      for (const [id, chain] of chains) if (chain.changes.length > 0) heads.set(id, chain.changes.length - 1);
      return heads;
    },
    missing(theirs, maxBytes = 8 * 1024 * 1024) {
      const out: Uint8Array[] = [];
      let bytes = 0;
      for (const [id, chain] of chains) {
        for (let seq = (theirs.get(id) ?? -1) + 1; seq < chain.changes.length; seq += 1) {
          if (bytes > maxBytes) return out;
          out.push(chain.changes[seq]!);
          bytes += chain.changes[seq]!.byteLength;
        }
      }
      return out;
    },
    behind(theirs) {
      for (const [id, seq] of theirs) if (seq > (chains.get(id)?.changes.length ?? 0) - 1) return true;
      return false;
    },
    receive,
    onSigned(listener) {
      signedListeners.add(listener);
      return () => signedListeners.delete(listener);
    },
    counters: () => ({ ...counters, refusedBy: { ...counters.refusedBy } }),
    refusals: () => [...refusals],
    onCounters(listener) {
      counterListeners.add(listener);
      return () => counterListeners.delete(listener);
    },
    flush: () => signBatch(),
    async destroy() {
      if (destroyed) return;
      await signBatch();
      destroyed = true;
      doc.off('update', onUpdate);
      membershipLog(doc).unobserve(forget);
      moderationLog(doc).unobserve(forget);
      await receiving;
    },
  };
}

/**
 * An update that takes up the same clock range as `update` with garbage-collected structs: the range
 * exists, its content does not. Null when `update` does not decode.
 */
export function tombstoneFor(update: Uint8Array): Uint8Array | null {
  try {
    const { structs } = Y.decodeUpdate(update);
    if (structs.length === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, structs.length);
    encoding.writeVarUint(encoder, structs[0]!.id.client);
    encoding.writeVarUint(encoder, structs[0]!.id.clock);
    for (const struct of structs) {
      // V1 struct info: 0 = GC, 10 = Skip (a stretch the update does not speak for).
      encoding.writeUint8(encoder, struct instanceof Y.Skip ? 10 : 0);
      encoding.writeVarUint(encoder, struct.length);
    }
    encoding.writeVarUint(encoder, 0);
    return encoding.toUint8Array(encoder);
  } catch {
    return null;
  }
}

/**
 * The entries an update adds to the membership log, if that is all it writes (each at a key that is
 * free or holds the same entry); null otherwise, or when it does not decode. Its deletions are not
 * read: nothing of the update is applied (the entries are copied), so they are never taken. (Two
 * beacons in one room sync with each other and each keeps one of their two copies of every entry,
 * so a beacon's state carries deletions of the other's.) A copy that lost its key, or one placed beside
 * another (an item whose map it names only through a neighbour), is skipped: the kept copy is whole.
 */
function newLogEntries(doc: Y.Doc, update: Uint8Array): [string, unknown][] | null {
  try {
    const { structs } = Y.decodeUpdate(update);
    const log = membershipLog(doc);
    const entries: [string, unknown][] = [];
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const item = struct as unknown as {
        parent: unknown;
        parentSub: string | null;
        content: unknown;
        origin: unknown;
        rightOrigin: unknown;
      };
      // A copy that lost its key to another (its content is gone), or one placed beside another.
      if (item.content instanceof Y.ContentDeleted || (item.parent === null && (item.origin !== null || item.rightOrigin !== null)))
        continue;
      if (item.parent !== MEMBERSHIP_LOG_KEY || item.parentSub === null || !(item.content instanceof Y.ContentAny)) return null;
      const value: unknown = item.content.arr[0];
      const held = log.get(item.parentSub);
      if (held !== undefined && JSON.stringify(held) !== JSON.stringify(value)) return null;
      entries.push([item.parentSub, value]);
    }
    return entries;
  } catch {
    return null;
  }
}

/** A stored change back into its chain (trusted: it was checked when it arrived or was signed here). */
function restore(chains: Map<number, Chain>, bytes: Uint8Array): void {
  const change = decodeChange(bytes);
  if (!change) return;
  const chain = chains.get(change.client) ?? { device: change.device, changes: [], hash: new Uint8Array(32), judged: 0 };
  if (change.seq !== chain.changes.length || chain.device !== change.device) return;
  chains.set(change.client, chain);
  chain.changes.push(bytes);
  chain.judged = chain.changes.length;
}
