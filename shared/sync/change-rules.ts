// What a signed change may do to the community document, judged before Y.applyUpdate: every struct it
// adds is under its own client id, and each record type's rules hold for its signer. Read against the
// document as it is (the update is decoded, never applied to test it). The rules, by top-level key:
//   membershipLog, moderationLog  append-only: new entries only; no delete, no write over a key
//   clients                       append-only: only the signer's own binding for this change's client id
//   posts                         a post's content: its author or a moderator; a reaction: its member (cleared: a
//                                 moderator, or the author deleting the post in that change)
//   members                       a member's record: that member or a moderator
//   meta                          the community's name, purpose, code of conduct: moderators
//   everything else               collaborative (notes, boards, library, sessions, events, polls)
// A community with no signed founding entry (made before the log existed) keeps only the append-only
// rules. A change that refers to structs this device does not have yet waits (`wait`) and is judged
// again when they arrive.
import * as Y from 'yjs';
import { MEMBERSHIP_LOG_KEY, MODERATION_LOG_KEY } from '../community/log/entries.js';
import { POSTS_KEY, REACTIONS_KEY } from '../threads/schema.js';
import { TOP_LEVEL } from '../community/schema.js';
import { CLIENTS_KEY, readBinding, type ClientBinding } from './client-bindings.js';

export interface Signer {
  /** The member the signing device belongs to. */
  readonly memberId: string;
  /** `member`: in the signed log; `newcomer`: not yet (their join may be in this very change); `removed`. */
  readonly standing: 'member' | 'newcomer' | 'removed';
  readonly moderator: boolean;
  /** The binding this change's chain writes under (what `clients` must hold for it). */
  readonly binding: ClientBinding;
  readonly client: number;
}

export interface RuleContext {
  /**
   * The change is a baseline (signed-change.ts FLAG_BASELINE): history from before signed changes.
   * Its structs may be under any client id nobody is bound to, never under a bound one.
   */
  readonly baseline?: boolean;
  /** False for a community with no signed founding entry: only the append-only rules hold. */
  readonly signed: boolean;
  /** The member a Yjs client id is bound to (the `clients` map), or null when unknown. */
  readonly memberOfClient: (client: number) => string | null;
}

export type RuleVerdict =
  | { readonly kind: 'ok'; readonly touchesLog: boolean }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

const LOG_KEYS: ReadonlySet<string> = new Set([MEMBERSHIP_LOG_KEY, MODERATION_LOG_KEY]);
/** What someone not yet in the log may write: their join, their binding and their member record. */
const NEWCOMER_KEYS: ReadonlySet<string> = new Set([MEMBERSHIP_LOG_KEY, CLIENTS_KEY, TOP_LEVEL.members]);

/** A struct as Y.decodeUpdate hands it back (not integrated: parent and origins are ids or a root name). */
interface DecodedItem {
  readonly id: Y.ID;
  readonly length: number;
  readonly origin: Y.ID | null;
  readonly rightOrigin: Y.ID | null;
  readonly parent: Y.ID | string | null;
  readonly parentSub: string | null;
  readonly content: Y.AbstractStruct | unknown;
}

/** One step from the top of the document down to a struct: the key it sits under and the struct. */
interface Link {
  readonly key: string;
  /** Who made the struct at this step (its Yjs client id); null for the top-level type itself. */
  readonly client: number | null;
  /** The struct's value when it is plain data (a map entry set to JSON). */
  readonly value: unknown;
  readonly existing: Y.Item | null;
  /** Whether `key` is a map key (else the struct sits in a sequence: an array, text, XML). */
  readonly inMap: boolean;
}

type Located = { readonly kind: 'found'; readonly path: readonly Link[] } | { readonly kind: 'missing' } | { readonly kind: 'gone' };

class Rejection extends Error {}
class Waiting extends Error {}

export function checkChangeRules(doc: Y.Doc, update: Uint8Array, signer: Signer, context: RuleContext): RuleVerdict {
  let decoded: { structs: unknown[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(update) as unknown as typeof decoded;
  } catch {
    return { kind: 'reject', reason: 'malformed' };
  }
  if (signer.standing === 'removed' && context.signed) return { kind: 'reject', reason: 'removed' };
  const items: DecodedItem[] = [];
  const byClient = new Map<number, DecodedItem[]>();
  for (const struct of decoded.structs) {
    const id = (struct as { id: Y.ID }).id;
    const allowed = context.baseline
      ? context.memberOfClient(id.client) === null && id.client !== signer.client
      : id.client === signer.client;
    if (!allowed) return { kind: 'reject', reason: 'client' };
    if (struct instanceof Y.Item) {
      const item = struct as unknown as DecodedItem;
      items.push(item);
      const list = byClient.get(id.client) ?? [];
      list.push(item);
      byClient.set(id.client, list);
    }
  }
  const judge = new Judge(doc, signer, context, byClient);
  try {
    for (const item of items) judge.added(item);
    for (const [client, ranges] of decoded.ds.clients) for (const range of ranges) judge.deleted(client, range.clock, range.len);
  } catch (error) {
    if (error instanceof Rejection) return { kind: 'reject', reason: error.message };
    if (error instanceof Waiting) return { kind: 'wait', reason: error.message };
    return { kind: 'reject', reason: 'malformed' };
  }
  return { kind: 'ok', touchesLog: judge.touchesLog };
}

class Judge {
  touchesLog = false;
  private readonly roots = new Map<unknown, string>();
  /** Where each of this change's items goes, as locateNew found it. */
  private readonly located = new Map<DecodedItem, Located>();
  /** Posts this change marks deleted, by their author: deleting a post clears its reactions, everyone's. */
  private readonly deletingPosts = new Set<string>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly signer: Signer,
    private readonly context: RuleContext,
    /** This change's own items by client id, each in clock order (as Y.decodeUpdate returns them). */
    private readonly ownItems: ReadonlyMap<number, readonly DecodedItem[]>,
  ) {
    for (const [name, type] of doc.share) this.roots.set(type, name);
  }

  added(item: DecodedItem): void {
    const located = this.locateNew(item);
    if (located.kind === 'missing') throw new Waiting('missing');
    if (located.kind === 'gone') return; // under a deleted type: Yjs keeps nothing of it
    const path = located.path;
    const root = path[0]!.key;
    if (this.signer.standing === 'newcomer' && this.context.signed && !NEWCOMER_KEYS.has(root)) throw new Waiting('not-yet-a-member');
    // A map entry over a key that holds a live one replaces it: judged as that one's deletion.
    const last = path[path.length - 1]!;
    const over = this.liveAtKey(item, path);
    // Two devices writing back the same vanished log entry at once make two equal copies; one is kept.
    if (over && !(LOG_KEYS.has(root) && sameValue(plainValue(over.content), last.value))) this.judgeDeletion(over);
    this.judgeAddition(path, last);
  }

  deleted(client: number, clock: number, length: number): void {
    const structs = this.doc.store.clients.get(client);
    if (!structs || clock >= Y.getState(this.doc.store, client)) {
      // Deleting what this change itself adds (typed, then erased) is the author's own business.
      if (this.ownItems.has(client) || client === this.signer.client) return;
      throw new Waiting('missing');
    }
    let index = Y.findIndexSS(structs, clock);
    for (; index < structs.length; index += 1) {
      const struct = structs[index]!;
      if (struct.id.clock >= clock + length) break;
      if (struct instanceof Y.Item && !struct.deleted) this.judgeDeletion(struct);
    }
  }

  private judgeAddition(path: readonly Link[], last: Link): void {
    const root = path[0]!.key;
    if (LOG_KEYS.has(root)) {
      this.touchesLog = true;
      if (path.length !== 2 || last.value === undefined) throw new Rejection('log-shape');
      return;
    }
    if (root === CLIENTS_KEY) {
      const binding = readBinding(last.value);
      const own = this.signer.binding;
      if (path.length !== 2 || last.key !== String(this.signer.client) || !binding) throw new Rejection('binding');
      if (binding.device !== own.device || binding.nonce !== own.nonce) throw new Rejection('binding');
      // A linked device's first change can arrive before the entry that names it as its member's device.
      if (binding.member !== own.member)
        throw this.signer.standing === 'newcomer' ? new Waiting('device-not-yet-linked') : new Rejection('binding');
      return;
    }
    if (!this.context.signed) return;
    this.judgeRecord(path, 'write');
  }

  private judgeDeletion(item: Y.Item): void {
    const located = this.locateExisting(item);
    if (located.kind !== 'found') return;
    const root = located.path[0]!.key;
    if (LOG_KEYS.has(root)) throw new Rejection('log-delete');
    if (root === CLIENTS_KEY) throw new Rejection('binding-delete');
    if (!this.context.signed) return;
    this.judgeRecord(located.path, 'delete');
  }

  /** The per-record rules of a signed community, for a write or a deletion at `path`. */
  private judgeRecord(path: readonly Link[], what: 'write' | 'delete'): void {
    const root = path[0]!.key;
    const record = path[1];
    if (!record) return;
    const { memberId, moderator } = this.signer;
    if (root === TOP_LEVEL.meta) {
      if (!moderator) throw new Rejection('meta');
      return;
    }
    if (root === TOP_LEVEL.members) {
      if (record.key !== memberId && !moderator) throw new Rejection('member-record');
      return;
    }
    if (root !== POSTS_KEY) return;
    if (path.length >= 4 && path[2]!.key === REACTIONS_KEY) {
      // A reaction is keyed "memberId emoji": a member's own, or a moderator clearing one, or the
      // post's author clearing them as they delete the post (deletePost), in the same change.
      const clearing = what === 'delete' && (moderator || this.deletingPosts.has(record.key));
      if (!path[3]!.key.startsWith(`${memberId} `) && !clearing) throw new Rejection('reaction');
      return;
    }
    if (this.authorOf(record) === memberId) {
      // Additions are judged before deletions (checkChangeRules), so the mark is there for the clearing.
      if (what === 'write' && path.length === 3 && path[2]!.key === 'deletedAt' && typeof path[2]!.value === 'number')
        this.deletingPosts.add(record.key);
      // The author field says who wrote it; it must not name someone else (the UI reads the signer anyway).
      if (what === 'write' && path.length === 3 && path[2]!.key === 'authorId' && path[2]!.value !== memberId)
        throw new Rejection('post-author');
      return;
    }
    if (!moderator) throw new Rejection('post');
  }

  /** Who wrote the record at `link`: the signer for one this change makes, else the member its creating client is bound to, else its author field. */
  private authorOf(link: Link): string | null {
    if (link.existing === null) return this.signer.memberId;
    if (link.client === null) return null;
    const bound = this.context.memberOfClient(link.client);
    if (bound) return bound;
    const type = link.existing?.content instanceof Y.ContentType ? link.existing.content.type : null;
    const field = type instanceof Y.Map ? type.get('authorId') : undefined;
    return typeof field === 'string' ? field : null;
  }

  /** The live entry a new map item at `path` would replace: the item at its key in an existing map, if not deleted. */
  private liveAtKey(item: DecodedItem, path: readonly Link[]): Y.Item | null {
    const last = path[path.length - 1]!;
    if (!last.inMap) return null;
    let container: unknown = null;
    if (path.length === 2) container = this.doc.share.get(path[0]!.key) ?? null;
    else {
      const parent = path[path.length - 2]!.existing;
      container = parent?.content instanceof Y.ContentType ? parent.content.type : null;
    }
    if (!container) return null;
    const current = (container as { _map: Map<string, Y.Item> })._map.get(last.key);
    return current && !current.deleted && !(current.id.client === item.id.client && current.id.clock >= item.id.clock) ? current : null;
  }

  /**
   * Where a new item goes: after its parent (a root name or a type's id) or beside its neighbour (its
   * origin, else its right origin: same container, and in a map the same key). Neighbours inside the
   * same update form chains as long as the text typed (one item per keystroke in a merged update), so
   * this walks them without recursion and remembers every step.
   */
  private locateNew(item: DecodedItem): Located {
    const pending: DecodedItem[] = [];
    let current = item;
    let base: Located;
    for (let steps = 0; ; steps += 1) {
      if (steps > 10_000_000) throw new Rejection('malformed');
      const known = this.located.get(current);
      if (known) {
        base = known;
        break;
      }
      if (typeof current.parent === 'string') {
        base = { kind: 'found', path: [{ key: current.parent, client: null, value: undefined, existing: null, inMap: false }] };
        pending.push(current);
        break;
      }
      const next = current.parent instanceof Y.ID ? current.parent : (current.origin ?? current.rightOrigin);
      if (!next) throw new Rejection('malformed');
      const own = this.ownAt(next);
      pending.push(current);
      if (own) {
        current = own;
        continue;
      }
      const outside = this.locateAt(next);
      // The parent's own location, or (for a neighbour) its container's: the neighbour's link is replaced below.
      base = outside;
      break;
    }
    // Back from what was found to the item asked for, each step's location built on the one below it.
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const step = pending[index]!;
      if (base.kind === 'found') {
        const byParent = step.parent !== null;
        const above = byParent || base.path.length < 2 ? base.path : base.path.slice(0, -1);
        const sibling = base.path[base.path.length - 1]!;
        const inMap = step.parentSub !== null || (!byParent && sibling.inMap);
        const key = step.parentSub ?? (byParent ? '#' : sibling.key);
        base = { kind: 'found', path: [...above, { key, client: step.id.client, value: plainValue(step.content), existing: null, inMap }] };
      }
      this.located.set(step, base);
    }
    return base;
  }

  private locateAt(id: Y.ID): Located {
    if (id.clock >= Y.getState(this.doc.store, id.client)) return { kind: 'missing' };
    const existing = this.existingAt(id);
    return existing ? this.locateExisting(existing) : { kind: 'gone' };
  }

  private locateExisting(item: Y.Item): Located {
    const path: Link[] = [];
    let current: Y.Item | null = item;
    for (let depth = 0; current; depth += 1) {
      if (depth > 64) throw new Rejection('malformed');
      path.unshift({
        key: current.parentSub ?? '#',
        client: current.id.client,
        value: plainValue(current.content),
        existing: current,
        inMap: current.parentSub !== null,
      });
      const parent: unknown = current.parent;
      if (!(parent instanceof Y.AbstractType)) return { kind: 'gone' };
      if (parent._item === null) {
        const root = this.roots.get(parent);
        if (root === undefined) return { kind: 'gone' };
        path.unshift({ key: root, client: null, value: undefined, existing: null, inMap: false });
        return { kind: 'found', path };
      }
      current = parent._item;
    }
    return { kind: 'gone' };
  }

  private ownAt(id: Y.ID): DecodedItem | null {
    const own = this.ownItems.get(id.client);
    if (!own) return null;
    let low = 0;
    let high = own.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const item = own[middle]!;
      if (id.clock < item.id.clock) high = middle - 1;
      else if (id.clock >= item.id.clock + item.length) low = middle + 1;
      else return item;
    }
    return null;
  }

  private existingAt(id: Y.ID): Y.Item | null {
    const structs = this.doc.store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(this.doc.store, id.client)) return null;
    const struct = structs[Y.findIndexSS(structs, id.clock)];
    return struct instanceof Y.Item ? struct : null;
  }
}

/** A map entry's plain value (ContentAny's single element), or undefined for types, text and the rest. */
function plainValue(content: unknown): unknown {
  if (content instanceof Y.ContentAny) return content.arr.length === 1 ? content.arr[0] : undefined;
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
