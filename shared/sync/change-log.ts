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
import { membershipEntrySchema, membershipLog, moderationLog } from '../community/log/entries.js';
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

/** Where a community's changes live in its store: beside its own log, under a key no community id takes (ids are 16 characters). */
export function changeLogKey(communityId: string): string {
  return `${communityId}changes`;
}

/** The change log kept in a community store beside the community's own log (same rows, CRC-checked). */
export function changeStoreIn(store: CommunityStore, communityId: string): ChangeStore {
  const key = changeLogKey(communityId);
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
  /**
   * Applies every kept change's update to the document again (Yjs ignores what it has): after the
   * document's own store lost rows, this device's copy of the signed changes fills what it can.
   */
  repair(): Promise<void>;
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
  // A device's first session with signed changes: what its document already holds under client ids
  // nobody is bound to (history from before signed changes) goes out as a baseline.
  const firstSession = chains.size === 0;
  for (const chain of chains.values()) chain.hash = await changeHash(decodeChange(chain.changes[chain.changes.length - 1]!)!);

  const { nonce, client } = await newClientBinding(device.publicKey);
  doc.clientID = client;
  const binding: ClientBinding = { device: device.publicKey, member: device.memberId, nonce: toBase64Url(nonce) };
  const counters: ChangeCounters = { signed: 0, applied: 0, duplicates: 0, refused: 0, forks: 0, waiting: 0, refusedBy: {} };
  const refusals: Refusal[] = [];
  const signedListeners = new Set<(change: Uint8Array) => void>();
  const counterListeners = new Set<() => void>();
  const gaps = new Map<string, Uint8Array>();
  /** Changes refused before they entered a chain (a removed member's), by client:seq, so each counts once. */
  const refusedAlready = new Set<string>();
  let destroyed = false;
  let epoch = options.epoch ?? 0;
  const changed = () => {
    for (const listener of counterListeners) listener();
  };
  const fail = (error: unknown) => options.onError?.(error);

  // The membership every judgement reads, read again whenever either log changes.
  let membership: Promise<Membership> | null = null;
  /** One queue for everything that judges or applies a peer's change, so each sees the document as the last left it. */
  let receiving: Promise<void> = Promise.resolve();
  let advanceQueued = false;
  const forget = () => {
    membership = null;
    // A change parked for its signer's standing (a newcomer not yet admitted, a device not yet linked)
    // may count now, even when the entry that lets it in was written here rather than received.
    if (advanceQueued || destroyed || ![...chains.values()].some((chain) => chain.judged < chain.changes.length)) return;
    advanceQueued = true;
    receiving = receiving
      .then(async () => {
        advanceQueued = false;
        if (!destroyed) await advanceAll();
        changed();
      })
      .catch(fail);
  };
  membershipLog(doc).observe(forget);
  moderationLog(doc).observe(forget);
  const currentMembership = () => (membership ??= readMembership(doc, options.communityId));

  // --- this device's own chain -------------------------------------------------------------------
  const own: Chain = { device: device.publicKey, changes: [], hash: new Uint8Array(32), judged: 0 };
  chains.set(client, own);
  let batch: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let signing: Promise<void> = Promise.resolve();
  /** Signs one update as this chain's next change, keeps it, and hands it to listeners and the store. */
  const signOwn = async (update: Uint8Array, baseline: boolean) => {
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
        update,
        baseline,
      },
      device.privateKey,
    );
    // Hashed before it joins the chain: the chain grows and counts as judged in one step, or a
    // receive running meanwhile would take it for a peer's change still to judge (and judge it).
    const hash = await changeHash(change);
    own.changes.push(change.bytes);
    own.hash = hash;
    own.judged = own.changes.length;
    counters.signed += 1;
    for (const listener of signedListeners) listener(change.bytes);
    await options.store?.append(change.bytes);
  };
  const signBatch = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch.length === 0) return signing;
    const updates = batch;
    batch = [];
    signing = signing.then(() => signOwn(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), false)).catch(fail);
    return signing;
  };
  const logs = [membershipLog(doc), moderationLog(doc)];
  const onUpdate = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (!transaction.local || destroyed) return;
    if (logs.some((log) => transaction.changed.has(log as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>))) {
      // A log entry goes in a change of its own: a newcomer's join must not wait behind the post they
      // wrote right after it (a newcomer's content waits until the join counts), nor an entry be
      // refused with the content beside it.
      void signBatch();
      batch.push(update);
      void signBatch();
      return;
    }
    batch.push(update);
    if (batch.length >= MAX_BATCH_UPDATES) void signBatch();
    else timer ??= setTimeout(() => void signBatch(), BATCH_MS);
  };
  doc.on('update', onUpdate);
  // The session's binding is its chain's first change: every later struct is attributable from it.
  doc.transact(() => clientsMap(doc).set(String(client), binding));
  await signBatch();
  const legacy = firstSession ? legacyState(doc, client) : null;
  if (legacy) {
    signing = signing.then(() => signOwn(legacy, true));
    await signing.catch(fail);
  }

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
    memberId ??= await memberIdOfDevice(change.device);
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
      const current = await currentMembership();
      // A baseline speaks for history nobody signed; in a signed community only an owner vouches for it.
      const verdict =
        change.baseline && current.signed && current.roles.get(signer.memberId) !== 'owner'
          ? ({ kind: 'reject', reason: 'baseline' } as const)
          : checkChangeRules(doc, change.update, signer, {
              signed: current.signed,
              memberOfClient: (id) => memberOfClient(doc, id),
              baseline: change.baseline,
            });
      if (verdict.kind === 'wait') break;
      chain.judged += 1;
      if (verdict.kind === 'reject') {
        refuse(verdict.reason, change, signer.memberId);
        // Its clock range is filled with nothing, so the author's later structs still integrate (Yjs
        // needs each client's clocks without holes) and whatever built on the refused ones is dropped.
        const tombstone = change.baseline ? null : tombstoneFor(change.update);
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
    const key = `${change.client}:${change.seq}`;
    if (refusedAlready.has(key)) {
      counters.duplicates += 1;
      return false;
    }
    const check = await checkChange(change, community);
    if (!check.ok) {
      refuse(check.reason, change, null);
      return false;
    }
    const signer = await signerOf(change, null);
    if (signer.standing === 'removed') {
      // Not kept and not passed on, wherever in its chain it is: a removed member's device gets no say,
      // and no storage, here. Counted once each (peers offer it again at every exchange).
      if (refusedAlready.size >= MAX_GAP_CHANGES) refusedAlready.clear();
      refusedAlready.add(key);
      refuse('removed', change, signer.memberId);
      return false;
    }
    if (change.seq > head + 1) {
      if (gaps.size < MAX_GAP_CHANGES) gaps.set(key, bytes);
      return false;
    }
    if (chain && (!bytesEqual(change.prev, chain.hash) || chain.device !== change.device)) {
      // Signed by the chain's own device (its client id derives from the key), so remembering it blocks nobody else.
      if (refusedAlready.size >= MAX_GAP_CHANGES) refusedAlready.clear();
      refusedAlready.add(key);
      refuse('prev', change, null);
      return false;
    }
    const target = chain ?? { device: change.device, changes: [], hash: new Uint8Array(32), judged: 0 };
    if (!chain) chains.set(change.client, target);
    target.changes.push(bytes);
    target.hash = await changeHash(change);
    // Not awaited: the document's store keeps what is applied, and a change lost here in a crash is
    // asked for again at the next exchange (the heads say it is missing). Waiting for the disk here
    // was a third of a keystroke's way to a peer.
    void options.store?.append(bytes).catch(fail);
    return true;
  }

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
      const entries = newLogEntries(doc, options.communityId, update);
      if (entries === null) return refuse('unsigned', null, null);
      if (entries.length === 0) return;
      // Written as this device's own change: each entry carries its own signature (replay checks it),
      // and members who never meet the beacon get them from this device's chain.
      const log = membershipLog(doc);
      doc.transact(() => {
        for (const [key, value] of entries) log.set(key, value);
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
    repair() {
      receiving = receiving
        .then(() => {
          for (const [id, chain] of chains) {
            if (id === client) continue;
            for (let seq = 0; seq < chain.judged; seq += 1) {
              const change = decodeChange(chain.changes[seq]!);
              if (change) applyKept(doc, change.update);
            }
          }
        })
        .catch(fail);
      return receiving;
    },
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
 * What the document holds under client ids no binding names (and not this session's): history from
 * before signed changes, as one update; null when there is none.
 */
export function legacyState(doc: Y.Doc, ownClient: number): Uint8Array | null {
  const known = new Map<number, number>();
  let legacy = false;
  for (const [client] of doc.store.clients) {
    if (client === ownClient || memberOfClient(doc, client) !== null) known.set(client, Y.getState(doc.store, client));
    else legacy = true;
  }
  if (!legacy) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, known.size);
  for (const [client, clock] of known) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return Y.encodeStateAsUpdate(doc, encoding.toUint8Array(encoder));
}

/** Member ids of device keys, one hash each per run (every change a device signs names the same key). */
const memberIds = new Map<string, Promise<string>>();
function memberIdOfDevice(device: string): Promise<string> {
  let id = memberIds.get(device);
  if (!id) {
    if (memberIds.size >= 1_000) memberIds.clear();
    memberIds.set(device, (id = memberIdFromPublicKey(device)));
  }
  return id;
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

/** A kept change's update back into the document; one that no longer applies is left (it was judged when it came). */
function applyKept(doc: Y.Doc, update: Uint8Array): void {
  try {
    Y.applyUpdate(doc, update, CHANGE_ORIGIN);
  } catch {
    // Nothing to repair from this one.
  }
}

/**
 * The membership-log entries a plain update holds that this document lacks (well formed, for this
 * community, each under its own id); null when the update does not decode. Read in a scratch
 * document: a plain peer's update is never applied as it is.
 */
function newLogEntries(doc: Y.Doc, communityId: string, update: Uint8Array): [string, unknown][] | null {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, update);
    const log = membershipLog(doc);
    const found: [string, unknown][] = [];
    for (const [key, value] of membershipLog(scratch).entries()) {
      const entry = membershipEntrySchema.safeParse(value);
      if (!log.has(key) && entry.success && entry.data.id === key && entry.data.community === communityId) found.push([key, value]);
    }
    return found;
  } catch {
    return null;
  } finally {
    scratch.destroy();
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
