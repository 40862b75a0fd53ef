// The damaged-storage banner's words (renderer/communities/damage-report.ts), case by case.
import { describe, expect, it } from 'vitest';
import { damageMessage } from '../../renderer/communities/damage-report.js';

const waiting = { gapOpen: true, copyArrived: false, peers: 0 };

describe('damageMessage', () => {
  it('says nothing about an intact load', () => {
    expect(damageMessage({ setAside: 0, blocked: 0 }, waiting)).toBeNull();
  });

  it('names what was set aside and what waits on it, and that Hearth asks for a copy', () => {
    const message = damageMessage({ setAside: 2, blocked: 14 }, waiting)!;
    expect(message.lost).toBe(
      '2 saved changes were damaged and set aside on this device (kept, not deleted). 14 later changes could not be applied, because they build on them.',
    );
    expect(message.repair).toBe('Hearth asks for a fresh copy as soon as another member’s device is online.');
    expect(damageMessage({ setAside: 1, blocked: 1 }, { ...waiting, peers: 2 })).toMatchObject({
      lost: 'One saved change was damaged and set aside on this device (kept, not deleted). One later change could not be applied, because it builds on it.',
      repair: 'Hearth asked the members online for a fresh copy.',
    });
  });

  it('says "everything else is here" only when nothing depends on the damage', () => {
    expect(damageMessage({ setAside: 1, blocked: 0 }, { gapOpen: false, copyArrived: false, peers: 0 })!.lost).toContain(
      'Nothing saved after it depends on it; everything else is here.',
    );
    expect(damageMessage({ setAside: 1, blocked: 3 }, waiting)!.lost).not.toContain('everything else is here');
  });

  it('says when a member’s copy filled the gap, and when it did not', () => {
    expect(damageMessage({ setAside: 1, blocked: 14 }, { gapOpen: false, copyArrived: true, peers: 1 })).toMatchObject({
      filled: true,
      repair: 'A member’s copy filled the gap: all 14 changes that waited are applied now.',
    });
    expect(damageMessage({ setAside: 1, blocked: 14 }, { gapOpen: true, copyArrived: true, peers: 1 })).toMatchObject({
      filled: false,
      repair: expect.stringContaining('did not hold what is missing'),
    });
    expect(damageMessage({ setAside: 1, blocked: 0 }, { gapOpen: false, copyArrived: true, peers: 1 })!.repair).toBe(
      'The members online sent a fresh copy: whatever they had of it is here again.',
    );
  });

  it('explains changes that still wait on damage from an earlier open', () => {
    expect(damageMessage({ setAside: 0, blocked: 3 }, waiting)!.lost).toBe(
      '3 saved changes could not be applied: they build on changes damaged earlier.',
    );
  });

  it('says when this device’s own copy of the signed changes filled the gap at open', () => {
    expect(damageMessage({ setAside: 1, blocked: 2 }, { gapOpen: false, copyArrived: false, peers: 0, filledHere: true })).toMatchObject({
      repair: 'The copy of every signed change this device keeps filled the gap: all 2 changes that waited are applied now.',
      filled: true,
    });
    expect(damageMessage({ setAside: 1, blocked: 0 }, { gapOpen: false, copyArrived: false, peers: 0, filledHere: true })!.repair).toBe(
      'The copy of every signed change this device keeps put back what it held of it.',
    );
    // Not filled while a gap is still open, whatever the flag says.
    expect(damageMessage({ setAside: 1, blocked: 2 }, { gapOpen: true, copyArrived: false, peers: 0, filledHere: true })!.filled).toBe(
      false,
    );
  });
});
