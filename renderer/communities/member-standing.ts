// What a member's place in the membership log means for the community home: whether they moderate,
// whether they are its last owner, and whether (and why not) they may post now.
import type { MemberAccess } from '../../shared/community/access.js';
import type { Membership } from '../../shared/community/log/replay.js';
import type { Identity } from '../../shared/identity/identity.js';
import { OPEN_GATE, type PostingGate } from '../access/posting-gate.js';

export function isModerator(membership: Membership, identity: Identity): boolean {
  const role = membership.roles.get(identity.memberId);
  return membership.signed && (role === 'owner' || role === 'facilitator');
}

/** The only owner of a community that has other members: leaving leaves nobody who can change roles. */
export function isLastOwner(membership: Membership, memberId: string): boolean {
  if (membership.roles.get(memberId) !== 'owner' || membership.roles.size < 2) return false;
  return [...membership.roles.values()].filter((role) => role === 'owner').length === 1;
}

/** Whether this member may post now; the threads composer asks through PostingGateContext. */
export function postingGate(arrived: boolean, standing: MemberAccess | null, openConduct: () => void): PostingGate {
  if (!arrived) return { open: false, reason: 'You can post once this community’s threads have arrived from another member.' };
  switch (standing?.kind) {
    case 'waiting':
      return { open: false, reason: 'You can post once a facilitator lets you in.' };
    case 'outside':
      return { open: false, reason: 'You are not a member of this community.' };
    case 'needs-conduct':
      return {
        open: false,
        reason: 'Read and accept the code of conduct before your first post.',
        action: { label: 'Read the code of conduct', run: openConduct },
      };
    default:
      return OPEN_GATE;
  }
}
