// Order that several members edit at once (cards in a column, columns on a board): fractional index
// keys, ties between equal keys broken by id, so every peer sorts the same records the same way.
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/** Longer keys than this are refused as damaged; real ones stay short (a few characters per move). */
export const MAX_POSITION_CHARS = 256;

export interface Ordered {
  readonly id: string;
  readonly position: string;
}

/** Whether `key` is a fractional-indexing key this code can sort and generate around. */
export function isPositionKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_POSITION_CHARS) return false;
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/** Keys compare by code unit (never by locale): that is the order fractional-indexing generates. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function sortOrdered<T extends Ordered>(items: readonly T[]): T[] {
  return [...items].sort(compareOrdered);
}

export interface Placement {
  /** The key for the item being placed. */
  readonly position: string;
  /** Siblings that must take new keys so the item fits where it was asked to go (see below). */
  readonly rekeyed: readonly Ordered[];
}

/**
 * The key that puts an item at `index` among `siblings` (sorted, without the item itself).
 *
 * Two members who insert at the same spot at once generate the same key; the id tie-break keeps
 * their order identical everywhere, but nothing fits strictly between two equal keys. When the
 * requested spot falls inside such a tie, the tied siblings get fresh, distinct keys in the same
 * transaction. That only ever reorders within one list, so it cannot duplicate or lose an item.
 */
export function placeAt(siblings: readonly Ordered[], index: number): Placement {
  const at = Math.max(0, Math.min(Math.trunc(Number.isFinite(index) ? index : siblings.length), siblings.length));
  const before = siblings[at - 1]?.position ?? null;
  const after = siblings[at]?.position ?? null;
  if (before === null || after === null || before < after) {
    return { position: generateKeyBetween(before, after), rekeyed: [] };
  }
  // before === after: widen to the whole run of equal keys and spread it, with the item in its place.
  let low = at - 1;
  while (low > 0 && siblings[low - 1]!.position === before) low -= 1;
  let high = at;
  while (high < siblings.length - 1 && siblings[high + 1]!.position === before) high += 1;
  const lowerBound = siblings[low - 1]?.position ?? null;
  const upperBound = siblings[high + 1]?.position ?? null;
  const keys = generateNKeysBetween(lowerBound, upperBound, high - low + 2);
  const rekeyed: Ordered[] = [];
  let position = '';
  let keyIndex = 0;
  for (let index = low; index <= high + 1; index += 1) {
    if (index === at) position = keys[keyIndex++]!;
    if (index <= high) rekeyed.push({ id: siblings[index]!.id, position: keys[keyIndex++]! });
  }
  return { position, rekeyed };
}

/** A key after every sibling: where new cards and columns go. */
export function positionAtEnd(siblings: readonly Ordered[]): string {
  return placeAt(siblings, siblings.length).position;
}
