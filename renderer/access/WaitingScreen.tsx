// What a newcomer sees instead of the community while a facilitator has not let them in yet, and what
// someone sees whose request was declined: where they stand, what happens next, and a way out.
import type { ReactNode } from 'react';
import { Hourglass, LogOut, UserX } from 'lucide-react';
import type { LogKeeper } from '../../shared/community/log/guard.js';
import type { CommunitySync } from '../../shared/sync/community-sync.js';
import { SyncIndicator } from '../sync/SyncIndicator.js';
import { Avatar } from '../ui/Avatar.js';
import { relativeTime, useNow } from '../ui/relative-time.js';

interface Community {
  readonly id: string;
  readonly name: string;
  readonly purpose: string;
  readonly sync: CommunitySync | null;
  readonly logKeeper?: LogKeeper | null;
}

export function WaitingScreen({ community, since, onLeave }: { community: Community; since: number; onLeave: () => void }) {
  const now = useNow();
  return (
    <AccessScreen
      community={community}
      icon={<Hourglass size={26} />}
      waiting
      title="Waiting for a facilitator to let you in"
      footer={
        <>
          <span className="access-status">
            <span className="muted">Asked {relativeTime(since, now)}</span>
            <SyncIndicator sync={community.sync} logKeeper={community.logKeeper} />
          </span>
          <button type="button" className="button ghost" onClick={onLeave}>
            <LogOut size={16} aria-hidden="true" /> Stop waiting and leave
          </button>
        </>
      }
    >
      <p className="lede">
        <strong>{community.name}</strong> lets each newcomer in by hand. Until a facilitator or an owner admits you, its notes and threads
        stay closed to you here and you cannot post.
      </p>
      <h2 className="next-title">What happens next</h2>
      <ol className="next-steps">
        <li>
          Your request reaches the facilitators through any member who is online while you are. They see you in their “Waiting to join”
          list.
        </li>
        <li>
          When one of them admits you, this page opens into the community by itself. You can close Hearth meanwhile: your request stays.
        </li>
        <li>If the community has a code of conduct, you read and accept it before your first post.</li>
      </ol>
    </AccessScreen>
  );
}

export function DeclinedScreen({ community, declinedBy, onForget }: { community: Community; declinedBy: string; onForget: () => void }) {
  return (
    <AccessScreen
      community={community}
      icon={<UserX size={26} />}
      title={`You are not a member of ${community.name}`}
      footer={
        <>
          <span />
          <button type="button" className="button" onClick={onForget}>
            <LogOut size={16} aria-hidden="true" /> Remove it from this device
          </button>
        </>
      }
    >
      <p className="lede">
        {declinedBy} declined your request to join. Its content stays closed to you, and nothing you write here reaches anyone. A declined
        request cannot be made again, so what is left here is of no use: you can remove it from this device.
      </p>
    </AccessScreen>
  );
}

function AccessScreen({
  community,
  icon,
  waiting = false,
  title,
  footer,
  children,
}: {
  community: Community;
  icon: ReactNode;
  waiting?: boolean;
  title: string;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="access-screen" aria-labelledby="access-screen-title">
      <div className="access-card card">
        <span className={`access-icon big${waiting ? ' waiting' : ''}`} aria-hidden="true">
          {icon}
        </span>
        <h1 id="access-screen-title">{title}</h1>
        <div className="access-community">
          <Avatar id={community.id} name={community.name} size="md" square />
          <div>
            <strong>{community.name}</strong>
            {community.purpose ? <span className="muted">{community.purpose}</span> : null}
          </div>
        </div>
        {children}
        <div className="access-footer">{footer}</div>
      </div>
    </section>
  );
}
