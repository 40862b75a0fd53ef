// "Link another device" (on the device you already use: shows a one-time code, then asks you to
// confirm the device that typed it) and "Use Hearth from another device" (on the new one: type the
// code). Whoever has the code while it is shown could link, so it is shown once, for ten minutes.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { CheckCircle2, Laptop } from 'lucide-react';
import { LINK_TTL_MS, newLinkCode, parseLinkCode, type LinkCode, type LinkRequest } from '../../shared/identity/device-link.js';
import { errorMessage } from '../../shared/errors.js';
import { Dialog } from '../ui/Dialog.js';
import './link-device.css';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

export function LinkDeviceDialog({
  open,
  onClose,
  mode,
  offer,
  accept,
}: {
  open: boolean;
  onClose: () => void;
  mode: 'offer' | 'accept';
  /** Runs the first device's side until the new device has everything. */
  offer: (code: LinkCode, confirm: (request: LinkRequest) => Promise<boolean>, signal: { aborted: boolean }) => Promise<LinkRequest>;
  /** Runs the new device's side; the app reloads as the linked member afterwards. */
  accept: (code: LinkCode) => Promise<void>;
}) {
  const titleId = useId();
  return (
    <Dialog open={open} onClose={onClose} labelledBy={titleId}>
      {open ? (
        mode === 'offer' ? (
          <OfferBody titleId={titleId} onClose={onClose} offer={offer} />
        ) : (
          <AcceptBody titleId={titleId} onClose={onClose} accept={accept} />
        )
      ) : null}
    </Dialog>
  );
}

type OfferState =
  | { step: 'waiting'; code: LinkCode }
  | { step: 'confirm'; code: LinkCode; request: LinkRequest }
  | { step: 'sending'; code: LinkCode; request: LinkRequest }
  | { step: 'done'; request: LinkRequest }
  | { step: 'failed'; message: string };

function OfferBody({
  titleId,
  onClose,
  offer,
}: {
  titleId: string;
  onClose: () => void;
  offer: Parameters<typeof LinkDeviceDialog>[0]['offer'];
}) {
  const [state, setState] = useState<OfferState | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  useEffect(() => {
    const signal = { aborted: false };
    (async () => {
      const code = await newLinkCode();
      if (signal.aborted) return;
      setState({ step: 'waiting', code });
      const request = await offer(
        code,
        (incoming) =>
          new Promise<boolean>((resolve) => {
            answer.current = resolve;
            setState({ step: 'confirm', code, request: incoming });
          }),
        signal,
      );
      if (!signal.aborted) setState({ step: 'done', request });
    })().catch((error: unknown) => !signal.aborted && setState({ step: 'failed', message: errorMessage(error) }));
    return () => {
      signal.aborted = true;
      answer.current?.(false);
    };
  }, [offer]);

  const respond = (yes: boolean) => {
    const resolve = answer.current;
    answer.current = null;
    if (state?.step === 'confirm')
      setState(
        yes
          ? { step: 'sending', code: state.code, request: state.request }
          : { step: 'failed', message: 'You did not confirm the device, so nothing was shared.' },
      );
    resolve?.(yes);
  };

  return (
    <div className="dialog-form">
      <DialogHeader
        titleId={titleId}
        title="Link another device"
        lede="Use Hearth as yourself on a second computer. Your key stays on this one; the new device gets its own, which you vouch for."
        onClose={onClose}
      />
      {state === null || state.step === 'waiting' ? (
        <>
          <ol className="link-steps">
            <li>
              On the other device, open Hearth and choose <strong>I already use Hearth on another device</strong>.
            </li>
            <li>Type this code there. It works once, for the next {Math.round(LINK_TTL_MS / 60_000)} minutes.</li>
          </ol>
          <output className="link-code" aria-label="Device code" aria-live="polite">
            {state?.code.text ?? '…'}
          </output>
          <p className="link-waiting" role="status">
            <span className="spinner" aria-hidden="true" /> Waiting for your other device…
          </p>
        </>
      ) : state.step === 'confirm' || state.step === 'sending' ? (
        <div className="link-confirm" role="alert">
          <Laptop size={28} aria-hidden="true" />
          <div>
            <p>
              <strong>{state.request.deviceName}</strong> typed your code. Link it? It will act as you in all your communities, and receive
              their keys.
            </p>
            <p className="muted">If you did not just type the code on a device of yours, choose Don’t link.</p>
          </div>
        </div>
      ) : state.step === 'done' ? (
        <div className="link-confirm" role="status">
          <CheckCircle2 size={28} aria-hidden="true" className="ok" />
          <p>
            <strong>{state.request.deviceName}</strong> is linked. Your communities arrive there while this device is online.
          </p>
        </div>
      ) : (
        <p className="banner warn" role="alert">
          {state.message}
        </p>
      )}
      {state?.step === 'confirm' || state?.step === 'sending' ? (
        <DialogFooter
          onCancel={() => respond(false)}
          cancelLabel="Don’t link"
          cancelDisabled={state.step === 'sending'}
          actionLabel={state.step === 'sending' ? 'Linking…' : 'Link this device'}
          actionDisabled={state.step === 'sending'}
          onAction={() => respond(true)}
        />
      ) : (
        <DialogFooter onCancel={onClose} cancelLabel={state?.step === 'done' ? 'Done' : 'Cancel'} />
      )}
    </div>
  );
}

function AcceptBody({ titleId, onClose, accept }: { titleId: string; onClose: () => void; accept: (code: LinkCode) => Promise<void> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const hintId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = await parseLinkCode(text);
    if (!parsed.ok) return setError(parsed.error);
    setBusy(true);
    setError(null);
    try {
      await accept(parsed.code);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="Use Hearth from another device"
        lede="On the device you already use, open Your profile → Link another device. Type the code it shows."
        onClose={onClose}
      />
      <div className="field">
        <label htmlFor={fieldId}>Device code</label>
        <input
          id={fieldId}
          className="input code"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder="LINK-XXXX-XXXX-…"
          value={text}
          aria-invalid={error !== null}
          aria-describedby={hintId}
          onChange={(event) => {
            setText(event.target.value);
            setError(null);
          }}
        />
        {error ? (
          <span className="error-text" id={hintId} role="alert">
            {error}
          </span>
        ) : (
          <span className="hint" id={hintId}>
            {busy ? 'Meeting your other device… keep it open.' : 'Capitals, dashes and spaces do not matter.'}
          </span>
        )}
      </div>
      <DialogFooter onCancel={onClose} actionLabel={busy ? 'Linking…' : 'Link this device'} actionDisabled={busy || text.trim() === ''} />
    </form>
  );
}
