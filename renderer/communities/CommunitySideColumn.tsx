// The column beside a community's home and its narrower sections: newcomers waiting (for moderators),
// the members with who is online and when the others were last seen, About, how people join, and
// the moderation log (with the changes this device refused for touching membership). A role change
// that fails says so under the members.
import { useState } from 'react';
import type * as Y from 'yjs';
import type { CommunityView } from '../../shared/community/queries.js';
import type { Membership } from '../../shared/community/log/replay.js';
import type { Identity } from '../../shared/identity/identity.js';
import type { ChangeLog } from '../../shared/sync/change-log.js';
import { JoiningCard, WaitingToJoinCard } from '../access/JoiningCards.js';
import { MemberActions, ModerationLogCard, RoleBadge } from '../members/MemberRoles.js';
import { Avatar } from '../ui/Avatar.js';
import { relativeTime } from '../ui/relative-time.js';
import { useRefusals } from '../sync/use-refusals.js';

type Member = CommunityView['members'][number];

export interface SideColumnProps {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly meta: CommunityView['meta'];
  readonly identity: Identity | null;
  readonly membership: Membership | null;
  /** The community's signed changes: the moderation log lists the refused ones that touch membership. */
  readonly changes: ChangeLog | null;
  /** This member moderates (owner or facilitator in the signed log); needs identity and membership. */
  readonly moderator: boolean;
  readonly members: readonly Member[];
  readonly me: string;
  readonly onlineIds: ReadonlySet<string>;
  readonly lastSeen: ReadonlyMap<string, number>;
  readonly nameOf: (memberId: string) => string;
  readonly hidden: boolean;
  readonly onRemoveMember: (memberId: string) => Promise<unknown>;
  readonly onOpenMembers: () => void;
  readonly onEditConduct: () => void;
}

export function CommunitySideColumn(props: SideColumnProps) {
  const { doc, communityId, identity, membership, moderator, nameOf, hidden, onRemoveMember } = props;
  const [roleError, setRoleError] = useState<string | null>(null);
  const refusals = useRefusals(props.changes);
  const codeOfConduct = props.meta?.codeOfConduct ?? '';
  return (
    <aside className="side-column" aria-label="About this community" style={hidden ? { display: 'none' } : undefined}>
      {moderator && identity && membership && membership.waiting.size > 0 ? (
        <WaitingToJoinCard
          doc={doc}
          communityId={communityId}
          identity={identity}
          membership={membership}
          onError={setRoleError}
          nameOf={nameOf}
          onDecline={onRemoveMember}
        />
      ) : null}
      <MembersCard {...props} roleError={roleError} onRoleError={setRoleError} />
      <AboutCard meta={props.meta} />
      {moderator && identity && membership ? (
        <JoiningCard
          doc={doc}
          communityId={communityId}
          identity={identity}
          membership={membership}
          onError={setRoleError}
          hasConduct={codeOfConduct.trim() !== ''}
          onEditConduct={props.onEditConduct}
        />
      ) : null}
      <ModerationLogCard membership={membership} nameOf={nameOf} refusals={refusals} />
    </aside>
  );
}

function MembersCard({
  doc,
  communityId,
  identity,
  membership,
  members,
  me,
  onlineIds,
  lastSeen,
  onRemoveMember,
  onOpenMembers,
  roleError,
  onRoleError,
}: SideColumnProps & { roleError: string | null; onRoleError: (message: string) => void }) {
  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card-header">
        <h2 id="members-title" style={{ fontSize: 'var(--text-md)' }}>
          <button type="button" className="link-button" onClick={onOpenMembers}>
            Members
          </button>
        </h2>
        <span className="count">{members.length}</span>
      </div>
      <div className="card-body">
        <ul className="member-list" aria-label="Members">
          {members.map((member) => (
            <li key={member.id} className="member-row">
              <span className="presence">
                <Avatar id={member.id} name={member.displayName} size="sm" />
                {onlineIds.has(member.id) ? <span className="online-dot" aria-hidden="true" /> : null}
              </span>
              <span className="name">
                {member.displayName}
                <span className="visually-hidden">{onlineIds.has(member.id) ? ', online now' : ''}</span>
              </span>
              {member.id === me ? null : onlineIds.has(member.id) ? (
                <span className="online-label">online</span>
              ) : lastSeen.has(member.id) ? (
                <span className="seen-label">seen {relativeTime(lastSeen.get(member.id)!)}</span>
              ) : null}
              {membership ? <RoleBadge role={membership.roles.get(member.id)} /> : null}
              <MemberActions
                doc={doc}
                communityId={communityId}
                identity={identity}
                membership={membership}
                member={member}
                onError={onRoleError}
                onRemove={onRemoveMember}
              />
            </li>
          ))}
        </ul>
        {roleError ? (
          <p className="form-error" role="alert">
            {roleError}
          </p>
        ) : null}
      </div>
    </section>
  );
}

function AboutCard({ meta }: { meta: CommunityView['meta'] }) {
  return (
    <section className="card about" aria-labelledby="about-title">
      <div className="card-header">
        <h2 id="about-title" style={{ fontSize: 'var(--text-md)' }}>
          About
        </h2>
      </div>
      <div className="card-body">
        <dl>
          <div>
            <dt>Started</dt>
            <dd>{meta ? new Date(meta.createdAt).toLocaleDateString(undefined, { dateStyle: 'long' }) : '—'}</dd>
          </div>
          <div>
            <dt>Code of conduct</dt>
            <dd>{meta?.codeOfConduct || 'None written yet.'}</dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
