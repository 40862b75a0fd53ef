// What a section of a community is (its id, its props, its definition), apart from the list of
// sections: every feature folder imports these types, and sections.tsx imports every feature, so the
// types living there made each feature import the module that imports it.
import type { ComponentType, ReactNode } from 'react';
import type * as Y from 'yjs';
import type { CommunityView } from '../../shared/community/queries.js';
import type { HostApi } from '../../shared/host-api.js';
import type { Profile } from '../profile/profile.js';
import type { DeviceStore } from '../store/device-store.js';
import type { OpenCommunity } from './community-registry.js';

export type SectionId = 'sessions' | 'notes' | 'threads' | 'boards' | 'library' | 'members';

/**
 * An item another part of the app (search) asks a section to bring into view: a note opened, a thread
 * opened, a card's dialog opened, a resource highlighted. A new object for every request, so asking
 * twice for the same item works twice.
 */
export interface ItemFocus {
  readonly section: SectionId;
  /** The note, thread, card or resource. */
  readonly itemId: string;
}

export interface SectionProps {
  readonly community: OpenCommunity;
  readonly view: CommunityView;
  readonly profile: Profile;
  /** The local store, for what stays on this device (read marks, blobs); never for the shared doc. */
  readonly store: DeviceStore;
  /** The host's capabilities (open links, save and open files). */
  readonly host: HostApi;
  /** Opens another section (e.g. a home card's "See all"). */
  readonly openSection: (id: SectionId) => void;
  /** The item to bring into view, when this section was opened for one (see ItemFocus). */
  readonly focus?: ItemFocus | null;
  /** Opens this member's profile dialog (name, avatar, bio, time zone). */
  readonly onEditProfile?: () => void;
}

export interface SectionDefinition {
  readonly id: SectionId;
  readonly label: string;
  readonly icon: ReactNode;
  /** How many items the section holds, for the home card and the tab. Must not throw on bad data. */
  readonly count: (doc: Y.Doc) => number;
  /** The card on the community's home: recent items, or an empty state. Left out by a section whose summary is always beside the home (members). */
  readonly HomeCard?: ComponentType<SectionProps>;
  /** The section's own page. */
  readonly Panel: ComponentType<SectionProps>;
  /** The section's page uses the whole width (an editor, a board), without the members column beside it. */
  readonly fullWidth?: boolean;
  /** Something to show beside the tab's name, e.g. an unread count; renders nothing when there is nothing. */
  readonly Badge?: ComponentType<SectionProps>;
}
