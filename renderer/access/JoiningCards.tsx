// For owners and facilitators on the community home: how newcomers get in (a signed `policy` entry),
// the code of conduct, and the newcomers waiting to be let in (admit, or decline with a confirmation).
import { useId, useState } from 'react';
import { Check, DoorOpen, PencilLine, X } from 'lucide-react';
import type * as Y from 'yjs';
import { type JoinPolicy } from '../../shared/community/log/entries.js';
import { type Membership } from '../../shared/community/log/replay.js';
import { writeMembershipChange } from '../../shared/community/log/write.js';
import type { Identity } from '../../shared/identity/identity.js';
import { errorMessage } from '../../shared/errors.js';
import { Avatar } from '../ui/Avatar.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { relativeTime, useNow } from '../ui/relative-time.js';

const POLICY_OPTIONS: readonly { readonly value: JoinPolicy; readonly label: string; readonly hint: string }[] = [
  { value: 'open', label: 'Anyone with the invite joins', hint: 'Newcomers are members as soon as they paste the invite.' },
  { value: 'knock', label: 'A facilitator admits each newcomer', hint: 'Newcomers wait until an owner or facilitator lets them in.' },
];

interface Signer {
  readonly doc: Y.Doc;
  readonly communityId: string;
  readonly identity: Identity;
  readonly membership: Membership;
  readonly onError: (message: string) => void;
}

export function JoiningCard({
  doc,
  communityId,
  identity,
  membership,
  onError,
  hasConduct,
  onEditConduct,
}: Signer & { hasConduct: boolean; onEditConduct: () => void }) {
  const legendId = useId();
  const [saving, setSaving] = useState<JoinPolicy | null>(null);
  const choose = (policy: JoinPolicy) => {
    if (policy === membership.joinPolicy) return;
    setSaving(policy);
    writeMembershipChange(doc, identity, communityId, { kind: 'policy', subject: communityId, policy })
      .catch((error: unknown) => onError(errorMessage(error)))
      .finally(() => setSaving(null));
  };
  const shown = saving ?? membership.joinPolicy;
  return (
    <section className="card" aria-labelledby="joining-title">
      <div className="card-header">
        <h2 id="joining-title" style={{ fontSize: 'var(--text-md)' }}>
          Joining
        </h2>
        <span className="badge">Owners and facilitators</span>
      </div>
      <div className="card-body joining">
        <fieldset className="policy-options" aria-labelledby={legendId}>
          <legend id={legendId} className="visually-hidden">
            How newcomers join
          </legend>
          {POLICY_OPTIONS.map((option) => (
            <label key={option.value} className="policy-option">
              <input
                type="radio"
                name={`policy-${communityId}`}
                value={option.value}
                checked={shown === option.value}
                disabled={saving !== null}
                onChange={() => choose(option.value)}
              />
              <span>
                <span className="policy-label">{option.label}</span>
                <span className="hint">{option.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {membership.joinPolicy === 'knock' && membership.waiting.size === 0 ? (
          <p className="hint">Nobody is waiting to be let in.</p>
        ) : null}
        <div className="conduct-row">
          <span className="hint">
            {hasConduct ? 'Members accept the code of conduct before their first post.' : 'No code of conduct yet.'}
          </span>
          <button type="button" className="button tight" onClick={onEditConduct}>
            <PencilLine size={15} aria-hidden="true" /> {hasConduct ? 'Edit code of conduct' : 'Write a code of conduct'}
          </button>
        </div>
      </div>
    </section>
  );
}

export function WaitingToJoinCard({
  doc,
  communityId,
  identity,
  membership,
  onError,
  nameOf,
  onDecline,
}: Signer & {
  nameOf: (memberId: string) => string;
  /** A `remove` of the newcomer, with a key rotation (the registry's removeMember): they had the key from the invite. */
  onDecline: (memberId: string) => Promise<unknown>;
}) {
  const now = useNow();
  const [declining, setDeclining] = useState<string | null>(null);
  const waiting = [...membership.waiting].sort((a, b) => a[1] - b[1]);
  const admit = (subject: string) => {
    writeMembershipChange(doc, identity, communityId, { kind: 'admit', subject }).catch((error: unknown) => onError(errorMessage(error)));
  };
  return (
    <section className="card waiting-card" aria-labelledby="waiting-to-join-title">
      <div className="card-header">
        <h2 id="waiting-to-join-title" style={{ fontSize: 'var(--text-md)' }}>
          <DoorOpen size={16} aria-hidden="true" /> Waiting to join
        </h2>
        <span className="count-badge" aria-label={`${waiting.length} waiting`}>
          {waiting.length}
        </span>
      </div>
      <div className="card-body">
        <ul className="waiting-list" aria-label="Waiting to join">
          {waiting.map(([memberId, since]) => (
            <li key={memberId} className="waiting-row">
              <Avatar id={memberId} name={nameOf(memberId)} size="sm" />
              <span className="waiting-who">
                <span className="name">{nameOf(memberId)}</span>
                <span className="seen-label">asked {relativeTime(since, now)}</span>
              </span>
              <button
                type="button"
                className="button primary tight"
                onClick={() => admit(memberId)}
                aria-label={`Admit ${nameOf(memberId)}`}
              >
                <Check size={15} aria-hidden="true" /> Admit
              </button>
              <button
                type="button"
                className="icon-button small"
                onClick={() => setDeclining(memberId)}
                aria-label={`Decline ${nameOf(memberId)}`}
                title="Decline"
              >
                <X size={15} aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      </div>
      <ConfirmDialog
        open={declining !== null}
        title={`Decline ${declining ? nameOf(declining) : ''}?`}
        confirmLabel="Decline"
        onClose={() => setDeclining(null)}
        onConfirm={() => {
          if (declining) onDecline(declining).catch((error: unknown) => onError(errorMessage(error)));
        }}
      >
        They are not let in and cannot ask to join again, even with a new invite. Their invite already gave them the community’s key, so the
        community moves to a new key they do not get: nothing written from now on reaches them. Invites made before now stop working. The
        decline is signed by you and shown in the moderation log.
      </ConfirmDialog>
    </section>
  );
}
