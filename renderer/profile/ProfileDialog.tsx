// Settings: your display name (it reaches your member record in every community you open) and how
// this device reaches other members (extra signaling servers, public STUN servers).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Plus, Trash2, X } from 'lucide-react';
import { displayNameSchema } from '../../shared/community/schema.js';
import type { AppInfo } from '../../shared/host-api.js';
import { Dialog } from '../ui/Dialog.js';
import type { DexieStore } from '../store/dexie-store.js';
import { DEFAULT_NETWORK_SETTINGS, loadNetworkSettings, saveNetworkSettings, signalingUrlProblem, type NetworkSettings } from '../sync/network-settings.js';
import type { KeyProtection } from './device-identity.js';
import { KeyProtectionNote } from './KeyProtectionNote.js';
import type { Profile } from './profile.js';

interface SettingsProps {
  open: boolean;
  profile: Profile;
  appInfo: AppInfo | null;
  /** Where this device keeps the identity key; null until known. */
  keyProtection?: KeyProtection | null;
  store: DexieStore;
  onClose: () => void;
  onSave: (displayName: string) => Promise<void>;
  /** Called after network settings changed, so sync can reconnect with them. */
  onNetworkChanged: () => void;
}

export function ProfileDialog(props: SettingsProps) {
  const titleId = useId();
  return (
    <Dialog open={props.open} onClose={props.onClose} labelledBy={titleId}>
      <SettingsForm titleId={titleId} {...props} />
    </Dialog>
  );
}

function SettingsForm({ titleId, profile, appInfo, keyProtection, store, onClose, onSave, onNetworkChanged }: SettingsProps & { titleId: string }) {
  const [name, setName] = useState(profile.displayName);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [network, setNetwork] = useState<NetworkSettings | null>(null);
  const [savedNetwork, setSavedNetwork] = useState<NetworkSettings>(DEFAULT_NETWORK_SETTINGS);
  const [newServer, setNewServer] = useState('');
  const [serverError, setServerError] = useState<string | null>(null);
  const inputId = useId();
  const serverId = useId();
  const stunId = useId();

  useEffect(() => {
    loadNetworkSettings(store).then((loaded) => {
      setNetwork(loaded);
      setSavedNetwork(loaded);
    });
  }, [store]);

  function addServer() {
    if (!network) return;
    const problem = signalingUrlProblem(newServer, network.extraSignalingUrls);
    if (problem) return setServerError(problem);
    setNetwork({ ...network, extraSignalingUrls: [...network.extraSignalingUrls, newServer.trim()] });
    setNewServer('');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check your name.');
    setBusy(true);
    try {
      if (parsed.data !== profile.displayName) await onSave(parsed.data);
      if (network && JSON.stringify(network) !== JSON.stringify(savedNetwork)) {
        await saveNetworkSettings(store, network);
        onNetworkChanged();
      }
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-header">
        <div>
          <h2 id={titleId}>Your profile</h2>
          <p>Members see this name in every community you belong to.</p>
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="field">
        <label htmlFor={inputId}>Your name</label>
        <input id={inputId} className="input" autoFocus value={name} aria-invalid={error !== null} onChange={(event) => { setName(event.target.value); setError(null); }} />
        {error ? <span className="error" role="alert">{error}</span> : null}
      </div>

      <fieldset className="settings-group">
        <legend>Network</legend>
        <p className="hint">
          Hearth finds members through signaling servers, then connects to them directly. This device’s own server is always used; add others to meet members on other networks.
        </p>
        {network ? (
          <>
            {network.extraSignalingUrls.length > 0 ? (
              <ul className="server-list" aria-label="Extra signaling servers">
                {network.extraSignalingUrls.map((url) => (
                  <li key={url}>
                    <code>{url}</code>
                    <button type="button" className="icon-button" aria-label={`Remove ${url}`} onClick={() => setNetwork({ ...network, extraSignalingUrls: network.extraSignalingUrls.filter((item) => item !== url) })}>
                      <Trash2 size={16} aria-hidden="true" />
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            <div className="field">
              <label htmlFor={serverId}>Add a signaling server</label>
              <div className="inline-add">
                <input
                  id={serverId}
                  className="input"
                  placeholder="wss://signal.example.org"
                  value={newServer}
                  aria-invalid={serverError !== null}
                  onChange={(event) => { setNewServer(event.target.value); setServerError(null); }}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault();
                      addServer();
                    }
                  }}
                />
                <button type="button" className="button" onClick={addServer}>
                  <Plus size={16} aria-hidden="true" /> Add
                </button>
              </div>
              {serverError ? <span className="error" role="alert">{serverError}</span> : null}
            </div>
            <label className="switch-row" htmlFor={stunId}>
              <input id={stunId} type="checkbox" checked={network.usePublicStun} onChange={(event) => setNetwork({ ...network, usePublicStun: event.target.checked })} />
              <span>
                <strong>Use public STUN servers</strong>
                <span className="hint">Helps members on different networks connect. Google’s and Cloudflare’s STUN servers then see this device’s IP address — never your community’s content.</span>
              </span>
            </label>
          </>
        ) : null}
      </fieldset>

      {appInfo ? (
        <p className="hint" style={{ fontSize: 'var(--text-xs)', color: 'var(--text-muted)' }}>
          Hearth {appInfo.version} · {appInfo.mode === 'desktop' ? 'desktop app' : 'browser mode'} · your data is kept in {appInfo.dataLocation}.
        </p>
      ) : null}
      <KeyProtectionNote protection={keyProtection} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>Cancel</button>
        <button type="submit" className="button primary" disabled={busy}>Save</button>
      </div>
    </form>
  );
}
