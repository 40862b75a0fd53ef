// A person's or community's avatar: the picture or colour a member chose (their profile), else
// initials on a colour picked from the id, so they look the same on every screen.
import { createContext, useContext } from 'react';
import type { AvatarColour, MemberAvatar } from '../../shared/community/member-profile.js';

export const AVATAR_COLOUR_HEX = {
  ember: '#c2410c',
  teal: '#0f766e',
  violet: '#7c3aed',
  rose: '#be185d',
  blue: '#1d4ed8',
  green: '#15803d',
  ochre: '#a16207',
  indigo: '#4338ca',
  lagoon: '#0e7490',
  red: '#b91c1c',
} as const satisfies Record<AvatarColour, string>;

// The default colour of an id; its order is part of how existing ids look, so it must not change.
const PALETTE = Object.keys(AVATAR_COLOUR_HEX) as AvatarColour[];

/**
 * The avatars members chose, by member id, for the community on screen (CommunityHome provides it
 * from the validated member list), so every avatar of a member shows their choice.
 */
export const MemberAvatarsContext = createContext<ReadonlyMap<string, MemberAvatar>>(new Map());

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/** The palette entry an id gets when its member chose none. */
export function defaultColourOf(id: string): AvatarColour {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function colourOf(id: string): string {
  return AVATAR_COLOUR_HEX[defaultColourOf(id)];
}

/** The colour that stands for a member elsewhere (live carets, presence): their chosen one, if any. */
export function presenceColourOf(id: string, avatar: MemberAvatar | null | undefined): string {
  return avatar?.kind === 'initials' ? AVATAR_COLOUR_HEX[avatar.colour] : colourOf(id);
}

export function Avatar({
  id,
  name,
  size = 'md',
  square = false,
  avatar,
}: {
  id: string;
  name: string;
  size?: 'sm' | 'md' | 'lg' | 'xl';
  square?: boolean;
  /** The look to show; when left out, the member's choice from MemberAvatarsContext, if any. */
  avatar?: MemberAvatar | null;
}) {
  const chosen = useContext(MemberAvatarsContext);
  const look = avatar === undefined ? chosen.get(id) : (avatar ?? undefined);
  const className = `avatar ${size}${square ? ' square' : ''}`;
  if (look?.kind === 'image') {
    // Only a validated data: URL of WebP, JPEG or PNG reaches here (shared/community/member-profile.ts).
    return (
      <span className={`${className} picture`} aria-hidden="true">
        <img src={look.dataUrl} alt="" draggable={false} decoding="async" />
      </span>
    );
  }
  return (
    <span className={className} style={{ background: look ? AVATAR_COLOUR_HEX[look.colour] : colourOf(id) }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
