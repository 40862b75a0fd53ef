// The top of a community's home: its avatar and name, Invite members and the community menu, the
// badges (kind, members, newcomers waiting, sync) and its purpose.
import { DoorOpen, UserPlus } from 'lucide-react';
import type { CommunityMeta } from '../../shared/community/schema.js';
import { COMMUNITY_KIND_LABELS } from '../../shared/community/schema.js';
import type { LogKeeper } from '../../shared/community/log/guard.js';
import type { CommunitySync } from '../../shared/sync/community-sync.js';
import { CommunityMenu } from '../access/CommunityMenu.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { Avatar } from '../ui/Avatar.js';

export function CommunityHeader({
  communityId,
  name,
  meta,
  memberCount,
  waitingToJoin,
  canInvite,
  sync,
  logKeeper,
  onInvite,
  onLeave,
  onShowWaiting,
}: {
  communityId: string;
  name: string;
  meta: CommunityMeta | null;
  memberCount: number;
  /** Newcomers waiting to be let in, for a moderator; 0 for everyone else. */
  waitingToJoin: number;
  /** A device shut out of the community's key has nothing current to invite anyone to. */
  canInvite: boolean;
  sync: CommunitySync | null;
  logKeeper: LogKeeper;
  onInvite: () => void;
  onLeave: () => void;
  onShowWaiting: () => void;
}) {
  return (
    <header className="community-header">
      <Avatar id={communityId} name={name} size="lg" square />
      <div className="titles">
        <div className="title-row">
          <h1 id="community-title">{name}</h1>
          <span className="header-actions">
            {canInvite ? (
              <button type="button" className="button" onClick={onInvite}>
                <UserPlus size={16} aria-hidden="true" /> Invite members
              </button>
            ) : null}
            <CommunityMenu communityName={name} onLeave={onLeave} />
          </span>
        </div>
        <div className="meta-line">
          {meta ? <span className="badge accent">{COMMUNITY_KIND_LABELS[meta.kind]}</span> : null}
          <span className="badge">
            {memberCount} {memberCount === 1 ? 'member' : 'members'}
          </span>
          {waitingToJoin > 0 ? (
            <button type="button" className="badge waiting-badge" onClick={onShowWaiting}>
              <DoorOpen size={13} aria-hidden="true" /> {waitingToJoin} waiting to join
            </button>
          ) : null}
          <SyncIndicator sync={sync} logKeeper={logKeeper} />
        </div>
        {meta?.purpose ? <p className="purpose">{meta.purpose}</p> : null}
      </div>
    </header>
  );
}
