// Refused signed changes in a member's words: what each refusal reason of shared/sync/change-log.ts
// and change-rules.ts means, the sync details' summary of them, and the refusals the moderation log
// shows (those that touch who is a member and who wrote what), grouped by who sent them.
import type { ChangeCounters, Refusal } from '../../shared/sync/change-log.js';

/** What a refused change did, as "<count> …" reads it: one change, or several. */
interface Words {
  readonly one: string;
  readonly many: string;
}

export const REFUSAL_WORDS: Readonly<Record<string, Words>> = {
  'log-delete': { one: 'deleted a log entry', many: 'deleted log entries' },
  'log-shape': { one: 'wrote a log entry in a shape no log has', many: 'wrote log entries in a shape no log has' },
  post: { one: 'changed someone else’s post', many: 'changed other people’s posts' },
  'post-author': { one: 'put a post under someone else’s name', many: 'put posts under someone else’s name' },
  reaction: { one: 'changed someone else’s reaction', many: 'changed other people’s reactions' },
  'member-record': { one: 'changed another member’s profile', many: 'changed other members’ profiles' },
  meta: {
    one: 'changed the community’s name, purpose or code of conduct without being a moderator',
    many: 'changed the community’s name, purpose or code of conduct without being a moderator',
  },
  binding: { one: 'claimed to write for another device or member', many: 'claimed to write for another device or member' },
  'binding-delete': { one: 'deleted the record of which device wrote what', many: 'deleted the record of which device wrote what' },
  removed: { one: 'came from a removed member’s device', many: 'came from removed members’ devices' },
  client: { one: 'wrote under another device’s name', many: 'wrote under other devices’ names' },
  signature: { one: 'had a signature that does not check out', many: 'had signatures that do not check out' },
  prev: { one: 'did not follow on from its device’s earlier changes', many: 'did not follow on from their devices’ earlier changes' },
  community: { one: 'was for another community', many: 'were for other communities' },
  malformed: { one: 'could not be read', many: 'could not be read' },
  unsigned: { one: 'was not signed', many: 'were not signed' },
  baseline: {
    one: 'spoke for the history from before signed changes without being an owner’s',
    many: 'spoke for the history from before signed changes without being an owner’s',
  },
};

const OTHER: Words = { one: 'broke another rule', many: 'broke other rules' };

export function refusalWords(reason: string, count = 1): string {
  const words = REFUSAL_WORDS[reason] ?? OTHER;
  return count === 1 ? words.one : words.many;
}

/** "none", or "3 refused: 2 deleted log entries, 1 put a post under someone else’s name". */
export function describeRefused(changes: Readonly<ChangeCounters> | null): string {
  if (!changes || changes.refused === 0) return 'none';
  // Reasons the words do not know are one clause, "broke other rules", not one each.
  const byWords = new Map<Words, number>();
  for (const [reason, count] of Object.entries(changes.refusedBy)) {
    if (count <= 0) continue;
    const words = REFUSAL_WORDS[reason] ?? OTHER;
    byWords.set(words, (byWords.get(words) ?? 0) + count);
  }
  const clauses = [...byWords]
    .sort((a, b) => b[1] - a[1] || a[0].one.localeCompare(b[0].one))
    .map(([words, count]) => `${count} ${count === 1 ? words.one : words.many}`);
  return `${changes.refused} refused: ${clauses.join(', ')}`;
}

/** "12 applied", with the changes that wait for earlier ones and the conflicting copies dropped, when there are any. */
export function describeApplied(changes: Readonly<ChangeCounters>): string {
  const parts = [`${changes.applied} applied`];
  if (changes.waiting > 0) parts.push(`${changes.waiting} waiting for earlier changes`);
  if (changes.forks > 0) parts.push(`${changes.forks} dropped for contradicting ${changes.forks === 1 ? 'one' : 'ones'} already here`);
  return parts.join(', ');
}

/** Refusals the moderation log shows: they touch who is a member, what the logs say, and who wrote what. */
export const MODERATION_REFUSALS: ReadonlySet<string> = new Set(['log-delete', 'binding-delete', 'removed', 'post-author']);

/** What the moderation log says a refused change did, after "A change from <name>" ("that …" or ", …,"). */
const MODERATION_WORDS: Readonly<Record<string, Words>> = {
  'log-delete': {
    one: 'that deleted a membership or moderation log entry',
    many: 'that deleted membership or moderation log entries',
  },
  'binding-delete': {
    one: 'that deleted the record of which device wrote what',
    many: 'that deleted the record of which device wrote what',
  },
  removed: { one: ', who was removed,', many: ', who was removed,' },
  'post-author': { one: 'that put a post under someone else’s name', many: 'that put posts under someone else’s name' },
};

export interface RefusalGroup {
  /** Stable across renders: reason and member. */
  readonly key: string;
  readonly reason: string;
  readonly memberId: string | null;
  readonly count: number;
  /** The newest refusal's time. */
  readonly at: number;
}

/** The moderation-log refusals, one group per reason and member, newest first. */
export function moderationRefusals(refusals: readonly Refusal[]): RefusalGroup[] {
  const groups = new Map<string, RefusalGroup>();
  for (const refusal of refusals) {
    if (!MODERATION_REFUSALS.has(refusal.reason)) continue;
    const key = `${refusal.reason} ${refusal.memberId ?? ''}`;
    const held = groups.get(key);
    groups.set(key, {
      key,
      reason: refusal.reason,
      memberId: refusal.memberId,
      count: (held?.count ?? 0) + 1,
      at: Math.max(held?.at ?? 0, refusal.at),
    });
  }
  return [...groups.values()].sort((a, b) => b.at - a.at || a.key.localeCompare(b.key));
}

/** The parts of "A change from <name> that … was refused" around the name, for a group. */
export function moderationRefusalText(group: RefusalGroup): { readonly before: string; readonly after: string } {
  const words = MODERATION_WORDS[group.reason] ?? { one: 'that broke a rule', many: 'that broke the rules' };
  const many = group.count > 1;
  const what = many ? words.many : words.one;
  return {
    before: many ? `${group.count} changes from` : 'A change from',
    after: `${what.startsWith(',') ? '' : ' '}${what} ${many ? 'were' : 'was'} refused`,
  };
}
