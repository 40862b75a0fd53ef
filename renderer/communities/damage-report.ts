// What the damaged-storage banner says, from the load report and what has happened since: how much
// was set aside, what waits on it, and whether members' copies have filled the gap. Pure, so tested.
import type { LoadReport } from '../../shared/store/persist-doc.js';

export interface RepairProgress {
  /** Yjs still holds changes back because something they build on is missing (hasGap). */
  readonly gapOpen: boolean;
  /** A member's device has sent its state (sync step 2) since this community opened. */
  readonly copyArrived: boolean;
  /** Members' devices connected now. */
  readonly peers: number;
  /** This device's own copy of the signed changes filled what the load left missing (at open). */
  readonly filledHere?: boolean;
}

export interface DamageMessage {
  /** What is missing. */
  readonly lost: string;
  /** What Hearth did about it, and how far that got. */
  readonly repair: string;
  /** True once everything that waited could be applied. */
  readonly filled: boolean;
}

const changes = (count: number, one: string, many: string) => (count === 1 ? one : `${count} ${many}`);

/** Null when the load found nothing damaged and nothing waiting. */
export function damageMessage(report: Pick<LoadReport, 'setAside' | 'blocked'>, progress: RepairProgress): DamageMessage | null {
  const { setAside, blocked } = report;
  if (setAside === 0 && blocked === 0) return null;
  const them = setAside === 1 ? 'it' : 'them';
  const damaged =
    setAside > 0
      ? `${changes(setAside, 'One saved change was damaged', 'saved changes were damaged')} and set aside on this device (kept, not deleted). `
      : '';
  const waiting =
    blocked === 0
      ? `Nothing saved after ${them} depends on ${them}; everything else is here.`
      : setAside > 0
        ? `${changes(blocked, 'One later change', 'later changes')} could not be applied, because ${blocked === 1 ? 'it builds' : 'they build'} on ${them}.`
        : `${changes(blocked, 'One saved change', 'saved changes')} could not be applied: ${blocked === 1 ? 'it builds' : 'they build'} on changes damaged earlier.`;
  const lost = damaged + waiting;
  if (progress.filledHere && !progress.gapOpen) {
    return {
      lost,
      repair:
        blocked > 0
          ? `The copy of every signed change this device keeps filled the gap: ${blocked === 1 ? 'the change that waited is' : `all ${blocked} changes that waited are`} applied now.`
          : `The copy of every signed change this device keeps put back what it held of ${them}.`,
      filled: true,
    };
  }
  if (blocked > 0 && !progress.gapOpen) {
    return {
      lost,
      repair: `A member’s copy filled the gap: ${blocked === 1 ? 'the change that waited is' : `all ${blocked} changes that waited are`} applied now.`,
      filled: true,
    };
  }
  const repair = progress.copyArrived
    ? blocked > 0
      ? 'The members online sent their copy, but it did not hold what is missing. Hearth asks again as other members come online.'
      : 'The members online sent a fresh copy: whatever they had of it is here again.'
    : progress.peers > 0
      ? 'Hearth asked the members online for a fresh copy.'
      : 'Hearth asks for a fresh copy as soon as another member’s device is online.';
  return { lost, repair, filled: false };
}
