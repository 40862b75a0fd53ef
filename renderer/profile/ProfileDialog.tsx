// Settings: your profile (name, avatar, bio, time zone — it reaches your member record in every
// community you belong to) and how this device reaches other members (extra signaling servers,
// public STUN servers).
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { ImageUp, MonitorSmartphone, Plus, Trash2 } from 'lucide-react';
import { displayNameSchema } from '../../shared/community/schema.js';
import {
  AVATAR_COLOURS,
  AVATAR_COLOUR_LABELS,
  PROFILE_LIMITS,
  isMemberTimeZone,
  memberProfileSchema,
  type MemberAvatar,
} from '../../shared/community/member-profile.js';
import type { AppInfo } from '../../shared/host-api.js';
import { errorMessage } from '../../shared/errors.js';
import { Avatar, AVATAR_COLOUR_HEX, defaultColourOf } from '../ui/Avatar.js';
import { Dialog } from '../ui/Dialog.js';
import type { DeviceSettings } from '../store/device-store.js';
import {
  DEFAULT_NETWORK_SETTINGS,
  loadNetworkSettings,
  saveNetworkSettings,
  signalingUrlProblem,
  type NetworkSettings,
} from '../sync/network-settings.js';
import { localTimeZone } from '../sessions/format.js';
import { timeThere, zoneGroups } from '../members/local-time.js';
import { avatarFromFile } from './avatar-image.js';
import './profile.css';
import type { KeyProtection } from './device-identity.js';
import { KeyProtectionNote } from './KeyProtectionNote.js';
import { memberProfileOf, type Profile, type ProfileEdit } from './profile.js';
import { DialogHeader } from '../ui/DialogHeader.js';
import { DialogFooter } from '../ui/DialogFooter.js';

interface SettingsProps {
  open: boolean;
  profile: Profile;
  appInfo: AppInfo | null;
  /** Where this device keeps the identity key; null until known. */
  keyProtection?: KeyProtection | null;
  store: DeviceSettings;
  onClose: () => void;
  onSave: (edit: ProfileEdit) => Promise<void>;
  /** Called after network settings changed, so sync can reconnect with them. */
  onNetworkChanged: () => void;
  /** Opens "Link another device" (renderer/profile/LinkDeviceDialog.tsx). */
  onLinkDevice?: () => void;
  /** The member's linked devices, with a way to unlink them (renderer/profile/YourDevices.tsx). */
  devices?: ReactNode;
}

export function ProfileDialog(props: SettingsProps) {
  const titleId = useId();
  return (
    <Dialog open={props.open} onClose={props.onClose} labelledBy={titleId}>
      <SettingsForm titleId={titleId} {...props} />
    </Dialog>
  );
}

function initialZone(profile: Profile): string {
  if (profile.timeZone) return profile.timeZone;
  const here = localTimeZone();
  return isMemberTimeZone(here) ? here : '';
}

function SettingsForm({
  titleId,
  profile,
  appInfo,
  keyProtection,
  store,
  onClose,
  onSave,
  onNetworkChanged,
  onLinkDevice,
  devices,
}: SettingsProps & { titleId: string }) {
  const [name, setName] = useState(profile.displayName);
  // Null: the member never chose, and their avatar keeps the colour their id gives.
  const [avatar, setAvatar] = useState<MemberAvatar | null>(profile.avatar ?? null);
  const [bio, setBio] = useState(profile.bio ?? '');
  const [timeZone, setTimeZone] = useState(() => initialZone(profile));
  const [error, setError] = useState<string | null>(null);
  const [avatarError, setAvatarError] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [network, setNetwork] = useState<NetworkSettings | null>(null);
  const [savedNetwork, setSavedNetwork] = useState<NetworkSettings>(DEFAULT_NETWORK_SETTINGS);
  const [newServer, setNewServer] = useState('');
  const [serverError, setServerError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const zones = useMemo(() => zoneGroups(), []);
  const ids = {
    name: useId(),
    bio: useId(),
    bioHint: useId(),
    zone: useId(),
    zoneHint: useId(),
    avatarHint: useId(),
    server: useId(),
    stun: useId(),
  };
  const checkedColour = avatar === null ? defaultColourOf(profile.memberId) : avatar.kind === 'initials' ? avatar.colour : null;

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

  async function pickPicture(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // The same file chosen again must fire a change again.
    event.target.value = '';
    if (!file) return;
    setAvatarError(null);
    setPreparing(true);
    try {
      const result = await avatarFromFile(file);
      if (result.ok) setAvatar({ kind: 'image', dataUrl: result.dataUrl });
      else setAvatarError(result.message);
    } finally {
      setPreparing(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check your name.');
    const details = memberProfileSchema.safeParse({ avatar: avatar ?? undefined, bio, timeZone: timeZone || undefined });
    if (!details.success) return setError(details.error.issues[0]?.message ?? 'Check your profile.');
    const edit: ProfileEdit = { displayName: parsed.data, ...memberProfileOf(details.data) };
    setBusy(true);
    try {
      if (JSON.stringify(edit) !== JSON.stringify({ displayName: profile.displayName, ...memberProfileOf(profile) })) await onSave(edit);
      if (network && JSON.stringify(network) !== JSON.stringify(savedNetwork)) {
        await saveNetworkSettings(store, network);
        onNetworkChanged();
      }
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <DialogHeader
        titleId={titleId}
        title="Your profile"
        lede="Members see this in the member directory of every community you belong to."
        onClose={onClose}
      />
      <div className="profile-identity">
        <Avatar id={profile.memberId} name={name.trim() || profile.displayName} avatar={avatar} size="xl" />
        <div className="field grow">
          <label htmlFor={ids.name}>Your name</label>
          <input
            id={ids.name}
            className="input"
            autoFocus
            value={name}
            aria-invalid={error !== null}
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
          />
          {error ? (
            <span className="error-text" role="alert">
              {error}
            </span>
          ) : null}
        </div>
      </div>

      <fieldset className="avatar-picker" aria-describedby={ids.avatarHint}>
        <legend>Avatar</legend>
        <div className="avatar-picker-row">
          <div className="colour-swatches" role="radiogroup" aria-label="Avatar colour">
            {AVATAR_COLOURS.map((colour) => (
              <label
                key={colour}
                className="colour-swatch"
                style={{ background: AVATAR_COLOUR_HEX[colour] }}
                title={AVATAR_COLOUR_LABELS[colour]}
              >
                <input
                  type="radio"
                  name="avatar-colour"
                  className="swatch-input"
                  aria-label={AVATAR_COLOUR_LABELS[colour]}
                  checked={checkedColour === colour}
                  onChange={() => {
                    setAvatar({ kind: 'initials', colour });
                    setAvatarError(null);
                  }}
                />
              </label>
            ))}
          </div>
          <div className="avatar-picture-actions">
            <input
              ref={fileInput}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              className="visually-hidden"
              tabIndex={-1}
              aria-label="Picture file"
              onChange={pickPicture}
            />
            <button type="button" className="button" disabled={preparing} onClick={() => fileInput.current?.click()}>
              <ImageUp size={16} aria-hidden="true" />{' '}
              {preparing ? 'Preparing…' : avatar?.kind === 'image' ? 'Change picture' : 'Upload picture'}
            </button>
            {avatar?.kind === 'image' ? (
              <button type="button" className="button ghost" onClick={() => setAvatar(null)}>
                Remove picture
              </button>
            ) : null}
          </div>
        </div>
        {avatarError ? (
          <span className="error-text" role="alert">
            {avatarError}
          </span>
        ) : (
          <span className="hint" id={ids.avatarHint}>
            Your initials on a colour, or a picture (PNG, JPEG or WebP), cropped to a square and made small enough to share.
          </span>
        )}
      </fieldset>

      <div className="field">
        <div className="label-row">
          <label htmlFor={ids.bio}>Short bio</label>
          <span className={`char-count${bio.length > PROFILE_LIMITS.bioChars - 20 ? ' near' : ''}`} aria-hidden="true">
            {bio.length}/{PROFILE_LIMITS.bioChars}
          </span>
        </div>
        <textarea
          id={ids.bio}
          className="textarea"
          rows={3}
          maxLength={PROFILE_LIMITS.bioChars}
          placeholder="What you do, what you are working on, what you can help with."
          value={bio}
          aria-describedby={ids.bioHint}
          onChange={(event) => setBio(event.target.value)}
        />
        <span className="hint" id={ids.bioHint}>
          Up to {PROFILE_LIMITS.bioChars} characters.
        </span>
      </div>

      <div className="field">
        <label htmlFor={ids.zone}>Time zone</label>
        <select
          id={ids.zone}
          className="select"
          value={timeZone}
          aria-describedby={ids.zoneHint}
          onChange={(event) => setTimeZone(event.target.value)}
        >
          <option value="">Don’t show my time zone</option>
          {zones.map((group) => (
            <optgroup key={group.region} label={group.region}>
              {group.zones.map((zone) => (
                <option key={zone.zone} value={zone.zone}>
                  {zone.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <span className="hint" id={ids.zoneHint}>
          {timeZone
            ? `Members see your local time (now ${timeThere(timeZone, Date.now(), timeZone)}) so they know when it is late for you.`
            : 'Members will not see your local time.'}
        </span>
      </div>

      <fieldset className="settings-group">
        <legend>Network</legend>
        <p className="hint">
          Hearth finds members through signaling servers, then connects to them directly. This device’s own server is always used; add
          others to meet members on other networks.
        </p>
        {network ? (
          <>
            {network.extraSignalingUrls.length > 0 ? (
              <ul className="server-list" aria-label="Extra signaling servers">
                {network.extraSignalingUrls.map((url) => (
                  <li key={url}>
                    <code>{url}</code>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Remove ${url}`}
                      onClick={() =>
                        setNetwork({ ...network, extraSignalingUrls: network.extraSignalingUrls.filter((item) => item !== url) })
                      }
                    >
                      <Trash2 size={16} aria-hidden="true" />
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            <div className="field">
              <label htmlFor={ids.server}>Add a signaling server</label>
              <div className="inline-add">
                <input
                  id={ids.server}
                  className="input"
                  placeholder="wss://signal.example.org"
                  value={newServer}
                  aria-invalid={serverError !== null}
                  onChange={(event) => {
                    setNewServer(event.target.value);
                    setServerError(null);
                  }}
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
              {serverError ? (
                <span className="error-text" role="alert">
                  {serverError}
                </span>
              ) : null}
            </div>
            <label className="switch-row" htmlFor={ids.stun}>
              <input
                id={ids.stun}
                type="checkbox"
                checked={network.usePublicStun}
                onChange={(event) => setNetwork({ ...network, usePublicStun: event.target.checked })}
              />
              <span>
                <strong>Use public STUN servers</strong>
                <span className="hint">
                  Helps members on different networks connect. Google’s and Cloudflare’s STUN servers then see this device’s IP address —
                  never your community’s content.
                </span>
              </span>
            </label>
          </>
        ) : null}
      </fieldset>

      {appInfo ? (
        <p className="hint" style={{ fontSize: 'var(--text-xs)', color: 'var(--text-muted)' }}>
          Hearth {appInfo.version} · {appInfo.mode === 'desktop' ? 'desktop app' : 'browser mode'} · your data is kept in{' '}
          {appInfo.dataLocation}.
        </p>
      ) : null}
      <KeyProtectionNote protection={keyProtection} />
      {onLinkDevice ? (
        <div className="link-device-row">
          <div>
            <strong>Your devices</strong>
            <p className="hint">Use Hearth as yourself on a second computer too: this one shows a code, the other types it.</p>
          </div>
          <button type="button" className="button" onClick={onLinkDevice}>
            <MonitorSmartphone size={16} aria-hidden="true" /> Link another device
          </button>
        </div>
      ) : null}
      {devices}
      <DialogFooter onCancel={onClose} actionLabel="Save" actionDisabled={busy} />
    </form>
  );
}
