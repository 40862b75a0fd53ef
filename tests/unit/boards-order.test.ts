import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyBetween } from 'fractional-indexing';
import { compareOrdered, isPositionKey, placeAt, positionAtEnd, sortOrdered, type Ordered } from '../../shared/boards/order.js';

describe('fractional order keys', () => {
  it('recognises keys it can generate around, and refuses anything else', () => {
    expect(isPositionKey('a0')).toBe(true);
    expect(isPositionKey(generateKeyBetween('a0', 'a1'))).toBe(true);
    for (const bad of ['', '!!', 'a', 'a00', 42, null, 'a'.repeat(300)]) expect(isPositionKey(bad)).toBe(false);
  });

  it('sorts by key in code-unit order, then by id', () => {
    const items: Ordered[] = [
      { id: 'b', position: 'a1' },
      { id: 'c', position: 'a0' },
      { id: 'a', position: 'a1' },
      { id: 'd', position: 'Zz' },
    ];
    expect(sortOrdered(items).map((item) => item.id)).toEqual(['d', 'c', 'a', 'b']);
    expect(compareOrdered(items[0]!, items[0]!)).toBe(0);
  });

  it('places between neighbours without touching them', () => {
    const siblings = sortOrdered([
      { id: 'x', position: 'a0' },
      { id: 'y', position: 'a1' },
    ]);
    const middle = placeAt(siblings, 1);
    expect(middle.rekeyed).toEqual([]);
    expect('a0' < middle.position && middle.position < 'a1').toBe(true);
    expect(placeAt([], 0).position).toBe('a0');
    expect(positionAtEnd(siblings) > 'a1').toBe(true);
    expect(placeAt(siblings, -5).position < 'a0').toBe(true);
  });

  it('spreads a run of equal keys (two members inserted at the same spot) when placing inside it', () => {
    const siblings = sortOrdered([
      { id: 'p', position: 'a0' },
      { id: 'q', position: 'a0V' },
      { id: 'r', position: 'a0V' },
      { id: 's', position: 'a0V' },
      { id: 't', position: 'a1' },
    ]);
    const placement = placeAt(siblings, 2);
    expect(placement.rekeyed.map((entry) => entry.id)).toEqual(['q', 'r', 's']);
    const rekeyed = new Map(placement.rekeyed.map((entry) => [entry.id, entry.position]));
    const after = sortOrdered([
      ...siblings.map((item) => ({ id: item.id, position: rekeyed.get(item.id) ?? item.position })),
      { id: 'new', position: placement.position },
    ]);
    expect(after.map((item) => item.id)).toEqual(['p', 'q', 'new', 'r', 's', 't']);
  });

  it('always puts the item exactly at the asked index and keeps the siblings’ order (property)', () => {
    const key = fc.constantFrom('a0', 'a0V', 'a1', 'a2', 'a2G', 'b00', 'Zz');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 12 }), fc.integer({ min: -2, max: 15 }), (keys, index) => {
        const siblings = sortOrdered(keys.map((position, i) => ({ id: `id${String(i).padStart(3, '0')}`, position })));
        const placement = placeAt(siblings, index);
        const rekeyed = new Map(placement.rekeyed.map((entry) => [entry.id, entry.position]));
        const moved = siblings.map((item) => ({ id: item.id, position: rekeyed.get(item.id) ?? item.position }));
        expect(sortOrdered(moved).map((item) => item.id)).toEqual(siblings.map((item) => item.id));
        const after = sortOrdered([...moved, { id: 'zzzz-new', position: placement.position }]);
        const expected = Math.max(0, Math.min(index, siblings.length));
        expect(after.findIndex((item) => item.id === 'zzzz-new')).toBe(expected);
        expect(isPositionKey(placement.position)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
