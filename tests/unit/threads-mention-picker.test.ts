import { describe, expect, it } from 'vitest';
import { matchMembers } from '../../renderer/rich-text/mention-menu.js';

const members = [
  { id: 'member0000000001', label: 'Grace Hopper' },
  { id: 'member0000000002', label: 'Ada Lovelace' },
  { id: 'member0000000003', label: 'Margaret Hamilton' },
  { id: 'member0000000004', label: 'Åsa Grå' },
  ...Array.from({ length: 10 }, (_, index) => ({ id: `memberextra0000${index}`, label: `Guest ${index}` })),
];

describe('the @mention picker', () => {
  it('lists members whose name starts with what was typed first, then those containing it', () => {
    expect(matchMembers(members, 'gra').map((member) => member.label)).toEqual(['Grace Hopper', 'Åsa Grå']);
    expect(matchMembers(members, 'HAM').map((member) => member.label)).toEqual(['Margaret Hamilton']);
    expect(matchMembers(members, 'zz')).toEqual([]);
  });

  it('shows at most six', () => {
    expect(matchMembers(members, '')).toHaveLength(6);
    expect(matchMembers(members, 'guest')).toHaveLength(6);
  });
});
