// "New community": name, purpose and kind. Validation messages come from the schema in shared/.
import { useId, useState, type FormEvent } from 'react';
import { COMMUNITY_KINDS, COMMUNITY_KIND_LABELS, LIMITS, communityNameSchema, type CommunityKind } from '../../shared/community/schema.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export interface NewCommunityInput {
  readonly name: string;
  readonly purpose: string;
  readonly kind: CommunityKind;
  readonly codeOfConduct: string;
}

export function NewCommunityDialog({
  open,
  onClose,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  onCreate: (input: NewCommunityInput) => Promise<void>;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <NewCommunityForm titleId={titleId} onClose={onClose} onCreate={onCreate} />
    </Dialog>
  );
}

function NewCommunityForm({
  titleId,
  onClose,
  onCreate,
}: {
  titleId: string;
  onClose: () => void;
  onCreate: (input: NewCommunityInput) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [codeOfConduct, setCodeOfConduct] = useState('');
  const [kind, setKind] = useState<CommunityKind>('mastermind');
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const purposeId = useId();
  const conductId = useId();
  const nameHintId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = communityNameSchema.safeParse(name);
    if (!parsed.success) return setNameError(parsed.error.issues[0]?.message ?? 'Check the name.');
    setBusy(true);
    setFailure(null);
    try {
      await onCreate({ name: parsed.data, purpose: purpose.trim(), kind, codeOfConduct: codeOfConduct.trim() });
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="New community"
        lede="It lives on your device; you can invite members once it exists."
        onClose={onClose}
      />
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          className="input"
          autoFocus
          maxLength={LIMITS.communityNameChars + 20}
          placeholder="e.g. Tuesday Founders Circle"
          value={name}
          aria-invalid={nameError !== null}
          aria-describedby={nameHintId}
          onChange={(event) => {
            setName(event.target.value);
            setNameError(null);
          }}
        />
        {nameError ? (
          <span className="error-text" id={nameHintId} role="alert">
            {nameError}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={purposeId}>Purpose</label>
        <textarea
          id={purposeId}
          className="textarea"
          maxLength={LIMITS.purposeChars}
          placeholder="What brings this group together?"
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
        />
        <span className="hint">Optional. Shown at the top of the community’s home.</span>
      </div>
      <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="label" style={{ marginBottom: 8, fontSize: 'var(--text-sm)', fontWeight: 600 }}>
          Kind of group
        </legend>
        <div className="kind-grid">
          {COMMUNITY_KINDS.map((option) => (
            <label key={option} className="kind-option">
              <input type="radio" name="kind" value={option} checked={kind === option} onChange={() => setKind(option)} />
              {COMMUNITY_KIND_LABELS[option]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={conductId}>Code of conduct</label>
        <textarea
          id={conductId}
          className="textarea"
          maxLength={LIMITS.codeOfConductChars}
          placeholder="e.g. What is shared in the circle stays in the circle. Be kind, be specific."
          value={codeOfConduct}
          onChange={(event) => setCodeOfConduct(event.target.value)}
        />
        <span className="hint">Optional. Members read and accept it before their first post; you can change it later.</span>
      </div>
      {failure ? (
        <p className="banner danger" role="alert">
          Could not create the community: {failure}
        </p>
      ) : null}
      <DialogFooter onCancel={onClose} actionLabel={busy ? 'Creating…' : 'Create community'} actionDisabled={busy} />
    </form>
  );
}
