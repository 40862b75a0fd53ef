// "Invite members": the invite code, its hearth:// link and a QR code, each easy to copy. Whoever has
// the code can join and read everything, so the dialog says so.
import { useEffect, useId, useState } from 'react';
import QRCode from 'qrcode';
import { Check, Copy, ShieldAlert } from 'lucide-react';
import type { HostApi } from '../../shared/host-api.js';
import { encodeInvite, inviteLink } from '../../shared/sync/invite.js';
import { fromBase64Url } from '../../shared/sync/bytes.js';
import type { CommunityEntry, CommunityStore } from '../../shared/store/store.js';
import { errorMessage } from '../../shared/errors.js';
import type { DeviceSettings } from '../store/device-store.js';
import { Dialog } from '../ui/Dialog.js';
import { inviteHints } from './sync-starter.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

/** The invite re-reads the community's entry (a rotation may have changed its key) and the network settings (signaling hints). */
type InviteStore = DeviceSettings & Pick<CommunityStore, 'listCommunities'>;

export function InviteDialog({
  open,
  onClose,
  entry,
  communityName,
  host,
  store,
}: {
  open: boolean;
  onClose: () => void;
  entry: CommunityEntry;
  communityName: string;
  host: HostApi;
  store: InviteStore;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      <InviteBody titleId={titleId} onClose={onClose} entry={entry} communityName={communityName} host={host} store={store} />
    </Dialog>
  );
}

function InviteBody({
  titleId,
  onClose,
  entry,
  communityName,
  host,
  store,
}: {
  titleId: string;
  onClose: () => void;
  entry: CommunityEntry;
  communityName: string;
  host: HostApi;
  store: InviteStore;
}) {
  const [code, setCode] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<'code' | 'link' | null>(null);
  const codeId = useId();
  const linkId = useId();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      // The stored entry, not the one the page opened with: a removal since then rotated the key, and
      // an invite with the old one would lead nowhere.
      const current = (await store.listCommunities()).communities.find((item) => item.id === entry.id) ?? entry;
      const secret = current.secret ? fromBase64Url(current.secret) : null;
      if (!secret) throw new Error('This community has no secret on this device yet; open it once and try again.');
      const made = await encodeInvite({
        communityId: current.id,
        secret,
        epoch: current.epoch ?? 0,
        communityName,
        signalingHints: await inviteHints(host, store, current),
      });
      const image = await QRCode.toDataURL(inviteLink(made), { errorCorrectionLevel: 'M', margin: 1, width: 176 });
      if (!cancelled) {
        setCode(made);
        setQr(image);
      }
    })().catch((failure: unknown) => !cancelled && setError(errorMessage(failure)));
    return () => {
      cancelled = true;
    };
  }, [entry, communityName, host, store]);

  async function copy(what: 'code' | 'link', text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
      setTimeout(() => setCopied(null), 2_000);
    } catch {
      setError('Copying was not allowed here; select the text and copy it yourself.');
    }
  }

  return (
    <div className="dialog-form">
      <DialogHeader
        titleId={titleId}
        title={`Invite members to ${communityName}`}
        lede="Send the code or link to a friend. They paste it into “Join a community”."
        onClose={onClose}
      />
      {error ? (
        <p className="banner danger" role="alert">
          {error}
        </p>
      ) : null}
      {code ? (
        <>
          <div className="invite-grid">
            <div className="field">
              <label htmlFor={codeId}>Invite code</label>
              <textarea
                id={codeId}
                className="textarea code"
                readOnly
                rows={4}
                value={code}
                onFocus={(event) => event.currentTarget.select()}
              />
              <div className="invite-actions">
                <button type="button" className="button" onClick={() => copy('code', code)}>
                  {copied === 'code' ? <Check size={16} aria-hidden="true" /> : <Copy size={16} aria-hidden="true" />}{' '}
                  {copied === 'code' ? 'Copied' : 'Copy code'}
                </button>
                <button type="button" className="button ghost" onClick={() => copy('link', inviteLink(code))}>
                  {copied === 'link' ? <Check size={16} aria-hidden="true" /> : <Copy size={16} aria-hidden="true" />}{' '}
                  {copied === 'link' ? 'Copied' : 'Copy hearth:// link'}
                </button>
              </div>
              <input id={linkId} className="visually-hidden" readOnly value={inviteLink(code)} aria-label="Invite link" />
            </div>
            {qr ? <img className="qr" src={qr} alt="QR code of the invite link" width={176} height={176} /> : null}
          </div>
          <p className="banner warn">
            <ShieldAlert size={18} aria-hidden="true" />
            <span>Anyone with this code can join and read everything in this community. Share it only with people you mean to invite.</span>
          </p>
        </>
      ) : error ? null : (
        <div className="splash" role="status">
          <span className="spinner" aria-hidden="true" /> Making the invite…
        </div>
      )}
      <DialogFooter actionLabel="Done" onAction={onClose} />
    </div>
  );
}
