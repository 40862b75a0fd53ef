// Refused signed changes in a member's words: every reason the change log and its rules give has its
// own plain words, the sync details sum them up, and the moderation log groups the membership ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REFUSAL_WORDS,
  describeApplied,
  describeRefused,
  moderationRefusalText,
  moderationRefusals,
  refusalWords,
} from '../../renderer/sync/refusals.js';
import type { ChangeCounters } from '../../shared/sync/change-log.js';

const counters = (refusedBy: Record<string, number>, extra: Partial<ChangeCounters> = {}): ChangeCounters => ({
  signed: 0,
  applied: 0,
  duplicates: 0,
  forks: 0,
  waiting: 0,
  refused: Object.values(refusedBy).reduce((sum, count) => sum + count, 0),
  refusedBy,
  ...extra,
});

describe('refusal words', () => {
  it('has words for every reason the change log and its rules refuse with', () => {
    // The reasons as the sources spell them: refuse('…') and Rejection('…'), and checkChange's own.
    const sources = ['shared/sync/change-log.ts', 'shared/sync/change-rules.ts', 'shared/sync/signed-change.ts']
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    const reasons = new Set<string>();
    for (const match of sources.matchAll(/(?:refuse\(|new Rejection\(|reason: )'([a-z-]+)'/g)) reasons.add(match[1]!);
    expect(reasons.size).toBeGreaterThan(10);
    for (const reason of reasons) expect(REFUSAL_WORDS, reason).toHaveProperty([reason]);
    expect(refusalWords('something-new')).toBe('broke another rule');
  });

  it('sums refusals up for the sync details, most common first', () => {
    expect(describeRefused(null)).toBe('none');
    expect(describeRefused(counters({}))).toBe('none');
    expect(describeRefused(counters({ 'post-author': 1, 'log-delete': 2 }))).toBe(
      '3 refused: 2 deleted log entries, 1 put a post under someone else’s name',
    );
    expect(describeRefused(counters({ removed: 1, future: 1, later: 2 }))).toBe(
      '4 refused: 3 broke other rules, 1 came from a removed member’s device',
    );
    expect(describeApplied(counters({}, { applied: 12 }))).toBe('12 applied');
    expect(describeApplied(counters({}, { applied: 3, waiting: 1, forks: 2 }))).toBe(
      '3 applied, 1 waiting for earlier changes, 2 dropped for contradicting ones already here',
    );
  });

  it('groups the membership refusals for the moderation log by reason and member, newest first', () => {
    const groups = moderationRefusals([
      { reason: 'log-delete', device: 'd', memberId: 'mallory000000001', at: 10 },
      { reason: 'post', device: 'd', memberId: 'mallory000000001', at: 11 },
      { reason: 'log-delete', device: 'd', memberId: 'mallory000000001', at: 30 },
      { reason: 'removed', device: 'e', memberId: 'kim0000000000001', at: 20 },
      { reason: 'post-author', device: 'd', memberId: 'mallory000000001', at: 5 },
    ]);
    expect(groups.map((group) => [group.reason, group.count, group.at])).toEqual([
      ['log-delete', 2, 30],
      ['removed', 1, 20],
      ['post-author', 1, 5],
    ]);
    const sentence = (index: number) => {
      const { before, after } = moderationRefusalText(groups[index]!);
      return `${before} NAME${after}`;
    };
    expect(sentence(0)).toBe('2 changes from NAME that deleted membership or moderation log entries were refused');
    expect(sentence(1)).toBe('A change from NAME, who was removed, was refused');
    expect(sentence(2)).toBe('A change from NAME that put a post under someone else’s name was refused');
  });
});
