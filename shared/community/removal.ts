// Removing a member for real, and keeping this device reachable by future rotations. Removal writes
// the signed `remove` entry and, right after it, a `rotate` entry that gives every remaining device
// the next epoch's secret (shared/sync/epochs.ts); the removed member's devices get nothing.
import type * as Y from 'yjs';
import type { Identity } from '../identity/identity.js';
import { makeRotation, recipientsOf, type EpochSecret } from '../sync/epochs.js';
import { CommandError } from '../doc/records.js';
import { membershipLog } from './log/entries.js';
import { readMembership } from './log/replay.js';
import { writeMembershipChange } from './log/write.js';

export interface Removal {
  /** The new epoch's secret: the caller stores it (the epoch sync would also find it in the log). */
  readonly next: EpochSecret;
  /** Devices of remaining members that had not published a key yet: they need a new invite. */
  readonly skipped: readonly string[];
}

export async function removeMember(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  subject: string,
  held: EpochSecret,
  now = Date.now(),
): Promise<Removal> {
  const membership = await readMembership(doc, communityId);
  const signer = membership.roles.get(identity.memberId);
  if (!membership.signed) throw new CommandError('This community was made before signed roles; nobody can remove members from it.');
  if (signer !== 'owner' && signer !== 'facilitator') throw new CommandError('Only owners and facilitators can remove members.');
  if (subject === identity.memberId) throw new CommandError('To go, leave the community instead.');
  const subjectRole = membership.roles.get(subject);
  if (!subjectRole && !membership.waiting.has(subject)) throw new CommandError('They are not a member.');
  if (signer === 'facilitator' && subjectRole && subjectRole !== 'member') throw new CommandError('A facilitator can remove members only.');
  // Rotations beyond the held epoch are either still arriving (wait) or the subject's own, which this
  // device flagged (shared/sync/epochs.ts resolveEpoch): the rotation below replaces those, since it
  // names the one this device holds and carries out the removal of their signer (replay.ts).
  const beyond = membership.rotations.slice(held.epoch);
  if (membership.rotations.length < held.epoch || beyond.some((rotation) => rotation.by !== subject))
    throw new CommandError('This device is still catching up with the community’s keys; try again in a moment.');
  const recipients = await recipientsOf(membership, new Set([subject]));
  const { next, fields, skipped } = await makeRotation(communityId, held, recipients, membership.rotations[held.epoch - 1]?.entryId);
  const removal = await writeMembershipChange(doc, identity, communityId, { kind: 'remove', subject }, now);
  await writeMembershipChange(
    doc,
    identity,
    communityId,
    { kind: 'rotate', subject: communityId, ...fields, removal: removal.id },
    now + 1,
  );
  return { next, skipped };
}

/**
 * Unlinks one of this member's other devices (a lost laptop): a signed `revoke` (nothing that key signs
 * from now on counts) and a complete rotation, so the device cannot read what comes next either.
 */
export async function unlinkDevice(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  publicKey: string,
  held: EpochSecret,
  now = Date.now(),
): Promise<Removal> {
  const before = await readMembership(doc, communityId);
  if (!(before.devices.get(identity.memberId) ?? []).some((device) => device.publicKey === publicKey))
    throw new CommandError('That is not one of your devices in this community.');
  if (publicKey === identity.publicKey) throw new CommandError('This is the device you are using: unlink it from another of your devices.');
  if (before.rotations.length !== held.epoch)
    throw new CommandError('This device is still catching up with the community’s keys; try again in a moment.');
  await writeMembershipChange(doc, identity, communityId, { kind: 'revoke', subject: identity.memberId, publicKey }, now);
  const after = await readMembership(doc, communityId);
  const { next, fields, skipped } = await makeRotation(
    communityId,
    held,
    await recipientsOf(after),
    after.rotations[held.epoch - 1]?.entryId,
  );
  await writeMembershipChange(doc, identity, communityId, { kind: 'rotate', subject: communityId, ...fields }, now + 1);
  return { next, skipped };
}

export type Publication = 'written' | 'present' | 'not-yet';

/**
 * Publishes this device's agreement key in the log if it is not there yet, so the next rotation can
 * wrap for it. Only a member (or a newcomer waiting to be admitted) can: 'not-yet' until then.
 */
export async function publishDeviceKey(doc: Y.Doc, identity: Identity, communityId: string, agreementKey: string): Promise<Publication> {
  const membership = await readMembership(doc, communityId);
  if (!membership.signed || (!membership.roles.has(identity.memberId) && !membership.waiting.has(identity.memberId))) return 'not-yet';
  const devices = membership.devices.get(identity.memberId) ?? [];
  if (devices.some((device) => device.publicKey === identity.publicKey && device.agreementKey === agreementKey)) return 'present';
  await writeMembershipChange(doc, identity, communityId, {
    kind: 'device',
    subject: identity.memberId,
    publicKey: identity.publicKey,
    agreementKey,
  });
  return 'written';
}

/** Publishes the key as soon as this member is in the log (a joiner is not until the log arrives); returns a stop. */
export function keepDeviceKeyPublished(
  doc: Y.Doc,
  identity: Identity,
  communityId: string,
  agreementKey: string,
  settleMs = 500,
): () => void {
  const log = membershipLog(doc);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    log.unobserve(schedule);
  };
  const check = () => {
    timer = null;
    publishDeviceKey(doc, identity, communityId, agreementKey).then(
      (outcome) => {
        if (outcome !== 'not-yet') stop();
      },
      () => undefined,
    );
  };
  function schedule(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, settleMs);
  }
  log.observe(schedule);
  schedule();
  return stop;
}
