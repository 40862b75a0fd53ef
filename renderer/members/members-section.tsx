// The Members tab: the community's member directory. It has no card on the home page, where the
// members list is always in the side column.
import { TOP_LEVEL } from '../../shared/community/schema.js';
import { memoByDoc } from '../../shared/doc-memo.js';
import { Users } from 'lucide-react';
import { readMembers } from '../../shared/community/queries.js';
import type { SectionDefinition } from '../communities/section-types.js';
import { MemberDirectory } from './MemberDirectory.js';

/** Kept per document until it changes: the tab asks on every render of the community page. */
const countMembers = memoByDoc((doc) => readMembers(doc).length, { roots: [TOP_LEVEL.members] });

export const membersSection: SectionDefinition = {
  id: 'members',
  label: 'Members',
  icon: <Users size={20} />,
  count: (doc) => {
    try {
      return countMembers(doc);
    } catch {
      return 0;
    }
  },
  Panel: MemberDirectory,
  fullWidth: true,
};
