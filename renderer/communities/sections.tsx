// The sections of a community (sessions, notes, threads, boards, library, members): each feature folder exports
// one SectionDefinition, and the community home lists them here. A feature owns its folder; this file
// only says which sections exist and in what order. The types a feature needs are in section-types.ts,
// which imports no feature, so no feature imports this list back.
import type { SectionDefinition } from './section-types.js';
import { boardsSection } from '../boards/boards-section.js';
import { librarySection } from '../library/library-section.js';
import { notesSection } from '../notes/notes-section.js';
import { threadsSection } from '../threads/threads-section.js';
import { sessionsSection } from '../sessions/sessions-section.js';
import { membersSection } from '../members/members-section.js';

export type { ItemFocus, SectionDefinition, SectionId, SectionProps } from './section-types.js';

export const SECTIONS: readonly SectionDefinition[] = [
  sessionsSection,
  notesSection,
  threadsSection,
  boardsSection,
  librarySection,
  membersSection,
];
