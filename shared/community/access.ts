// What this member may do in a community right now, from the verified membership log: wait to be
// admitted, accept the code of conduct before a first post, or take part. The UI asks here; the log
// (membership-log.ts) is what every peer checks.
import { sha256Text } from '../crypto.js';
import { toBase64Url } from '../sync/bytes.js';
import { type Membership } from './log/replay.js';

/** SHA-256 of a code of conduct's text, base64url: what a `conduct` entry records as accepted. */
export async function conductHash(text: string): Promise<string> {
  return toBase64Url(await sha256Text(text));
}

export type MemberAccess =
  /** Not known yet: the founding entry has not arrived, or this member's own join has not. */
  | { readonly kind: 'unknown' }
  /** Knocked while the community admits newcomers one by one; not let in yet. */
  | { readonly kind: 'waiting'; readonly since: number }
  /** Removed, or declined, or left: not in the community. */
  | { readonly kind: 'outside' }
  /** A member who has not accepted the code of conduct as it reads now. */
  | { readonly kind: 'needs-conduct' }
  | { readonly kind: 'member' };

/**
 * `currentConductHash` is conductHash of the community's code of conduct, or null when it has none
 * (an empty text is none). A community made before signed roles has no log to wait in or accept
 * through, so its members take part as before.
 */
export function memberAccess(membership: Membership, memberId: string, currentConductHash: string | null): MemberAccess {
  const since = membership.waiting.get(memberId);
  if (since !== undefined) return { kind: 'waiting', since };
  if (!membership.roles.has(memberId)) {
    if (!membership.signed) return { kind: 'unknown' };
    return membership.removed.has(memberId) ? { kind: 'outside' } : { kind: 'unknown' };
  }
  if (membership.signed && currentConductHash !== null && membership.conduct.get(memberId) !== currentConductHash)
    return { kind: 'needs-conduct' };
  return { kind: 'member' };
}
