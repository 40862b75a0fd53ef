// The member directory of a community: everyone's avatar, name, role, short bio and the time where
// they are, so a group spread over time zones knows who is who and when it is late for them. What a
// peer wrote reaches this page only through readMembers (validated); bios are plain text.
import { useMemo, useState } from 'react';
import { Clock, PencilLine, UserPlus, Users } from 'lucide-react';
import { ROLES, type Role } from '../../shared/community/log/entries.js';
import type { MemberRecord } from '../../shared/community/schema.js';
import type { SectionProps } from '../communities/section-types.js';
import { useIdentity, useMembership } from '../communities/use-membership.js';
import { useOnlineMembers } from '../sync/use-sync.js';
import { Avatar } from '../ui/Avatar.js';
import { EmptyState } from '../ui/EmptyState.js';
import { useNow } from '../ui/relative-time.js';
import { differenceFromHere, placeOf, timeThere } from './local-time.js';
import { MemberActions, RoleBadge } from './MemberRoles.js';
import './members.css';

const CLOCK_TICK_MS = 15_000;

export function MemberDirectory({ community, view, profile, onEditProfile }: SectionProps) {
  const identity = useIdentity();
  const membership = useMembership(community.doc, community.id);
  const online = useOnlineMembers(community.sync);
  const now = useNow(CLOCK_TICK_MS);
  const [roleError, setRoleError] = useState<string | null>(null);
  const onlineIds = useMemo(() => new Set(online.map((member) => member.id)), [online]);

  // As the home's member list: with a signed log, only who the log says is in (not newcomers still
  // waiting, nor members who left or were removed). Owners, then facilitators, then members, by name.
  const listed = membership?.signed ? view.members.filter((member) => membership.roles.has(member.id)) : view.members;
  const roleOf = (member: MemberRecord): Role => membership?.roles.get(member.id) ?? member.role;
  const members = [...listed].sort(
    (a, b) => ROLES.indexOf(roleOf(a)) - ROLES.indexOf(roleOf(b)) || a.displayName.localeCompare(b.displayName),
  );
  const others = members.filter((member) => member.id !== profile.memberId).length;

  return (
    <section className="member-directory" aria-labelledby="directory-title">
      <header className="directory-header">
        <div>
          <h2 id="directory-title">Members</h2>
          <p className="muted">
            {members.length === 0
              ? 'Nobody is listed yet.'
              : `${members.length} ${members.length === 1 ? 'person' : 'people'}${onlineIds.size > 0 ? ` · ${[...onlineIds].filter((id) => members.some((member) => member.id === id)).length} online now` : ''}`}
          </p>
        </div>
        {onEditProfile ? (
          <button type="button" className="button" onClick={onEditProfile}>
            <PencilLine size={16} aria-hidden="true" /> Edit your profile
          </button>
        ) : null}
      </header>

      {roleError ? (
        <p className="form-error" role="alert">
          {roleError}
        </p>
      ) : null}

      {members.length === 0 ? (
        <div className="card">
          <EmptyState icon={<Users size={20} />} title="Members arrive with the community">
            You have joined, but no member’s Hearth has been online since. The directory fills in as soon as one is.
          </EmptyState>
        </div>
      ) : (
        <div className="directory-grid">
          <ul className="directory-list" aria-label="Member directory">
            {members.map((member) => {
              const me = member.id === profile.memberId;
              const isOnline = onlineIds.has(member.id);
              return (
                <li key={member.id} className="card directory-card" aria-label={member.displayName}>
                  <div className="directory-card-top">
                    <span className="presence">
                      <Avatar id={member.id} name={member.displayName} size="lg" />
                      {isOnline ? <span className="online-dot" aria-hidden="true" /> : null}
                    </span>
                    <div className="directory-who">
                      <div className="directory-name-row">
                        <strong className="directory-name">{member.displayName}</strong>
                        {me ? <span className="you-label">you</span> : null}
                        {membership ? (
                          <RoleBadge role={membership.roles.get(member.id)} />
                        ) : member.role === 'owner' ? (
                          <RoleBadge role="owner" />
                        ) : null}
                        {me ? null : (
                          <MemberActions
                            doc={community.doc}
                            communityId={community.id}
                            identity={identity}
                            membership={membership}
                            member={member}
                            onError={setRoleError}
                          />
                        )}
                      </div>
                      <span className={isOnline ? 'online-label' : 'seen-label'}>
                        {isOnline
                          ? 'Online now'
                          : `Joined ${new Date(member.joinedAt).toLocaleDateString(undefined, { month: 'short', year: 'numeric' })}`}
                      </span>
                    </div>
                  </div>
                  {member.bio ? (
                    <p className="directory-bio">{member.bio}</p>
                  ) : me && onEditProfile ? (
                    <p className="directory-bio none">
                      Add a short bio so members know what you work on.{' '}
                      <button type="button" className="link-button" onClick={onEditProfile}>
                        Edit your profile
                      </button>
                    </p>
                  ) : (
                    <p className="directory-bio none">No bio yet.</p>
                  )}
                  <div className="directory-time">
                    <Clock size={15} aria-hidden="true" />
                    {member.timeZone ? (
                      <p>
                        <span>
                          <strong>{timeThere(member.timeZone, now)}</strong> {me ? 'your time' : 'their time'}
                        </span>
                        <span className="zone-line">
                          {placeOf(member.timeZone)}
                          {me ? null : ` · ${differenceFromHere(member.timeZone, now)}`}
                        </span>
                      </p>
                    ) : (
                      <p className="zone-line">Time zone not shared</p>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          {others === 0 ? (
            <div className="directory-alone">
              <EmptyState icon={<UserPlus size={20} />} title="Only you so far">
                Invite the rest of your group with “Invite members” above: each person shows up here with their bio and the time where they
                are.
              </EmptyState>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
