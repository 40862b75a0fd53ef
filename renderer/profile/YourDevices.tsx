// The member's devices, in Your profile: this one, and each one linked to it (by the name it had when
// linked), with Unlink for a lost or sold computer. Unlinking asks first and says what it does.
import { useEffect, useState } from 'react';
import { Laptop, MonitorCheck } from 'lucide-react';
import { errorMessage } from '../../shared/errors.js';
import type { CommunityRegistry } from '../communities/community-registry.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import './link-device.css';

type Device = Awaited<ReturnType<CommunityRegistry['myDevices']>>[number];

export function YourDevices({ registry }: { registry: CommunityRegistry }) {
  const [devices, setDevices] = useState<readonly Device[] | null>(null);
  const [unlinking, setUnlinking] = useState<Device | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    registry.myDevices().then(
      (found) => !cancelled && setDevices(found),
      () => !cancelled && setDevices([]),
    );
    return () => {
      cancelled = true;
    };
  }, [registry, version]);

  if (!devices || (devices.length < 2 && message === null)) return null;
  const label = (device: Device) => (device.current ? 'This device' : (device.name ?? 'Your first device'));
  return (
    <section className="your-devices" aria-label="Your devices">
      <ul>
        {devices.map((device) => (
          <li key={device.publicKey}>
            {device.current ? <MonitorCheck size={18} aria-hidden="true" /> : <Laptop size={18} aria-hidden="true" />}
            <span className="grow">{label(device)}</span>
            {device.current ? (
              <span className="badge">In use</span>
            ) : (
              <button type="button" className="button tight" disabled={busy} onClick={() => setUnlinking(device)}>
                Unlink
              </button>
            )}
          </li>
        ))}
      </ul>
      {message ? (
        <p className={message.tone === 'ok' ? 'hint' : 'error'} role={message.tone === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      <ConfirmDialog
        open={unlinking !== null}
        title={`Unlink ${unlinking ? label(unlinking) : 'this device'}?`}
        confirmLabel="Unlink"
        onClose={() => setUnlinking(null)}
        onConfirm={() => {
          const device = unlinking;
          if (!device) return;
          setBusy(true);
          setMessage(null);
          registry
            .unlinkDevice(device.publicKey)
            .then(
              (count) =>
                setMessage({
                  text: `${label(device)} is unlinked${count > 0 ? ` in ${count} ${count === 1 ? 'community' : 'communities'}` : ''}.`,
                  tone: 'ok',
                }),
              (error: unknown) => setMessage({ text: errorMessage(error), tone: 'error' }),
            )
            .finally(() => {
              setBusy(false);
              setVersion((value) => value + 1);
            });
        }}
      >
        It stops counting as you: nothing it signs from now on is accepted, and each of your communities moves to a new key that it does not
        get. What it already has stays on it. To use it again, link it again.
      </ConfirmDialog>
    </section>
  );
}
