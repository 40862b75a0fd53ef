// Roles in the member list (badges from the verified membership log, and the owner's "make
// facilitator" menu) and the moderation log every member can read: what the log's entries did, and the
// changes this device refused that touched the logs, membership or who wrote what (renderer/sync/refusals.ts).
import { useState } from 'react';
import { MoreHorizontal, ShieldAlert, ShieldCheck, UserMinus } from 'lucide-react';
import type * as Y from 'yjs';
import { ROLE_LABELS, type Role } from '../../shared/community/log/entries.js';
import { type AuditEntry, type Membership } from '../../shared/community/log/replay.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { errorMessage } from '../../shared/errors.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { relativeTime } from '../ui/relative-time.js';
import type { Refusal } from '../../shared/sync/change-log.js';
import { moderationRefusalText, moderationRefusals, type RefusalGroup } from '../sync/refusals.js';
import './members.css';

export function RoleBadge({ role }: { role: Role | undefined }) {
  if (!role || role === 'member') return null;
  return <span className={`badge role-${role}`}>{ROLE_LABELS[role]}</span>;
}

/**
 * The menu on a member's row, by the verified log and never on one's own row: an owner changes roles
 * and removes anyone but owners; a facilitator removes plain members.
 */
export function MemberActions({
  doc,
  communityId,
  identity,
  membership,
  member,
  onError,
  onRemove,
}: {
  doc: Y.Doc;
  communityId: string;
  identity: Identity | null;
  membership: Membership | null;
  member: { readonly id: string; readonly displayName: string };
  onError: (message: string) => void;
  /** Removes the member for real (the registry rotates the community's key); absent: no Remove item. */
  onRemove?: (memberId: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<Role | null>(null);
  const [removing, setRemoving] = useState(false);
  if (!identity || !membership?.signed || member.id === identity.memberId) return null;
  const mine = membership.roles.get(identity.memberId);
  const role = membership.roles.get(member.id);
  if (!role || role === 'owner' || (mine !== 'owner' && mine !== 'facilitator')) return null;
  const canChangeRole = mine === 'owner';
  const canRemove = onRemove !== undefined && (mine === 'owner' || role === 'member');
  if (!canChangeRole && !canRemove) return null;
  const next: Role = role === 'facilitator' ? 'member' : 'facilitator';
  return (
    <span className="member-actions">
      <button
        type="button"
        className="icon-button"
        aria-label={`Actions for ${member.displayName}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <MoreHorizontal size={15} aria-hidden="true" />
      </button>
      {open ? (
        <div className="member-menu" role="menu" aria-label={`Actions for ${member.displayName}`}>
          {canChangeRole ? (
            <button
              type="button"
              role="menuitem"
              className="button ghost tight"
              onClick={() => {
                setOpen(false);
                setConfirming(next);
              }}
            >
              <ShieldCheck size={15} aria-hidden="true" /> {next === 'facilitator' ? 'Make facilitator' : 'Remove facilitator role'}
            </button>
          ) : null}
          {canRemove ? (
            <button
              type="button"
              role="menuitem"
              className="button ghost tight danger-text"
              onClick={() => {
                setOpen(false);
                setRemoving(true);
              }}
            >
              <UserMinus size={15} aria-hidden="true" /> Remove from community
            </button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title={
          confirming === 'facilitator' ? `Make ${member.displayName} a facilitator?` : `Make ${member.displayName} a plain member again?`
        }
        confirmLabel={confirming === 'facilitator' ? 'Make facilitator' : 'Remove facilitator role'}
        onClose={() => setConfirming(null)}
        onConfirm={() => {
          if (!confirming) return;
          writeMembershipChange(doc, identity, communityId, { kind: 'role', subject: member.id, role: confirming }).catch(
            (error: unknown) => onError(errorMessage(error)),
          );
        }}
      >
        {confirming === 'facilitator'
          ? 'Facilitators can hide posts, lock threads and remove members (not owners). The change is signed by you and shown in the moderation log.'
          : 'They keep their membership; they can no longer moderate. The change is shown in the moderation log.'}
      </ConfirmDialog>
      <ConfirmDialog
        open={removing}
        title={`Remove ${member.displayName} from the community?`}
        confirmLabel="Remove"
        onClose={() => setRemoving(false)}
        onConfirm={() => {
          onRemove?.(member.id).catch((error: unknown) => onError(errorMessage(error)));
        }}
      >
        The community moves to a new key that {member.displayName} does not get: they keep what they already have on their device, but
        nothing written from now on reaches them, and nothing they write reaches anyone. Invites made before now stop working. This cannot
        be undone: a removed member cannot join again, not even with a new invite.
      </ConfirmDialog>
    </span>
  );
}

const ACTION_TEXT: Record<AuditEntry['kind'], string> = {
  hide: 'hid a post',
  unhide: 'unhid a post',
  lock: 'locked a thread',
  unlock: 'unlocked a thread',
  pin: 'pinned a thread',
  unpin: 'unpinned a thread',
  role: 'changed a role',
  remove: 'removed',
  decline: 'declined a request to join',
  leave: 'left',
  admit: 'admitted',
  policy: 'changed how newcomers join',
  rotate: 'changed the community’s key',
};

/**
 * Every applied role change, removal and moderation action, and every change this device refused for
 * deleting a log entry or a device binding, coming from a removed member, or putting a post under
 * someone else's name; newest first. Rejected entries are counted below.
 */
export function ModerationLogCard({
  membership,
  nameOf,
  refusals = [],
}: {
  membership: Membership | null;
  nameOf: (memberId: string) => string;
  /** This device's refused changes since it opened the community (shared/sync/change-log.ts). */
  refusals?: readonly Refusal[];
}) {
  const audit = membership ? [...membership.audit].reverse().slice(0, 50) : [];
  const refused = moderationRefusals(refusals);
  const rows: ({ kind: 'entry'; at: number; entry: AuditEntry } | { kind: 'refused'; at: number; group: RefusalGroup })[] = [
    ...audit.map((entry) => ({ kind: 'entry' as const, at: entry.at, entry })),
    ...refused.map((group) => ({ kind: 'refused' as const, at: group.at, group })),
  ].sort((a, b) => b.at - a.at);
  return (
    <section className="card" aria-labelledby="moderation-title">
      <div className="card-header">
        <h2 id="moderation-title" style={{ fontSize: 'var(--text-md)' }}>
          Moderation log
        </h2>
        <span className="count">{(membership?.audit.length ?? 0) + refused.length}</span>
      </div>
      <div className="card-body">
        {rows.length === 0 ? (
          <p className="muted">No moderation yet.</p>
        ) : (
          <ul className="moderation-log" aria-label="Moderation log">
            {rows.map((row) =>
              row.kind === 'entry' ? (
                <AuditRow key={row.entry.id} entry={row.entry} nameOf={nameOf} />
              ) : (
                <RefusedRow key={`refused ${row.group.key}`} group={row.group} nameOf={nameOf} />
              ),
            )}
          </ul>
        )}
        {membership && membership.rejected.length > 0 ? (
          <p className="signed-problems" role="status">
            {membership.rejected.length} {membership.rejected.length === 1 ? 'entry was' : 'entries were'} ignored: a bad signature or an
            action the signer’s role does not allow.
          </p>
        ) : null}
        {membership && !membership.signed ? (
          <p className="signed-problems">
            This community was made before signed roles; roles come from its member list and moderation is not available.
          </p>
        ) : null}
      </div>
    </section>
  );
}

function AuditRow({ entry, nameOf }: { entry: AuditEntry; nameOf: (memberId: string) => string }) {
  return (
    <li>
      <strong>{nameOf(entry.by)}</strong>{' '}
      {entry.kind === 'role'
        ? `made ${inSentence(nameOf(entry.subject))} ${entry.role === 'member' ? 'a member' : `a${entry.role === 'owner' ? 'n' : ''} ${entry.role}`}`
        : entry.kind === 'remove' || entry.kind === 'admit'
          ? `${ACTION_TEXT[entry.kind]} ${inSentence(nameOf(entry.subject))}`
          : entry.kind === 'decline'
            ? `declined ${inSentence(nameOf(entry.subject))}’s request to join`
            : entry.kind === 'policy'
              ? entry.policy === 'knock'
                ? 'asked newcomers to wait to be admitted'
                : 'let anyone with an invite join'
              : ACTION_TEXT[entry.kind]}
      <time dateTime={new Date(entry.at).toISOString()}>{relativeTime(entry.at)}</time>
    </li>
  );
}

/** "A change from Mallory that deleted a membership or moderation log entry was refused", with when. */
function RefusedRow({ group, nameOf }: { group: RefusalGroup; nameOf: (memberId: string) => string }) {
  const { before, after } = moderationRefusalText(group);
  return (
    <li className="refused">
      <ShieldAlert size={13} aria-hidden="true" className="refused-icon" />
      <span>
        {before} <strong>{group.memberId ? nameOf(group.memberId) : 'a device that is no member’s'}</strong>
        {after}
        <time dateTime={new Date(group.at).toISOString()}>{relativeTime(group.at)}</time>
      </span>
    </li>
  );
}

/** A stand-in name ("A former member") mid-sentence reads "a former member"; a real name is left as it is. */
function inSentence(name: string): string {
  return name === 'A former member' ? 'a former member' : name;
}
