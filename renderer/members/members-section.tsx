// The Members tab: the community's member directory. It has no card on the home page, where the
// members list is always in the side column.
import { Users } from 'lucide-react';
import { readMembers } from '../../shared/community/queries.js';
import type { SectionDefinition } from '../communities/sections.js';
import { MemberDirectory } from './MemberDirectory.js';

export const membersSection: SectionDefinition = {
  id: 'members',
  label: 'Members',
  icon: <Users size={20} />,
  count: (doc) => {
    try {
      return readMembers(doc).length;
    } catch {
      return 0;
    }
  },
  Panel: MemberDirectory,
  fullWidth: true,
};
