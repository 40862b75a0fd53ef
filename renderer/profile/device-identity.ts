// Where this device's identity key lives. On the desktop it is sealed with the system keychain by the
// main process (Electron's safeStorage): made extractable once, handed over as PKCS#8 to be sealed, and
// from then on imported back as a non-extractable key at every start. Where there is no keychain (and
// in browser mode) the key is a non-extractable CryptoKey in IndexedDB, as profile.ts keeps it.
//
// A sealed key that cannot be opened is never replaced behind the member's back: it is an
// IdentityKeyProblem, and only the member's explicit "start over" makes a new identity.
import type { HostApi } from '../../shared/host-api.js';
import { generateIdentity, isKeyOf, type Identity } from '../../shared/identity/identity.js';
import { exportPrivateKey, importIdentityKey } from '../../shared/identity/private-key.js';
import type { DeviceSettings } from '../store/device-store.js';
import { ensureIdentity } from './profile.js';

/** The setting under which profile.ts's ensureIdentity keeps a non-extractable key in IndexedDB. */
const STORED_IDENTITY_SETTING = 'identity';

export type KeyProtection =
  /** Sealed with the system keychain (desktop). */
  | { readonly where: 'keychain' }
  /** A non-extractable key in this app's IndexedDB, and why. */
  | { readonly where: 'app-storage'; readonly why: 'browser-mode' | 'no-keychain' | 'made-before-keychain' };

export interface DeviceIdentity {
  readonly identity: Identity;
  readonly protection: KeyProtection;
}

/** This device's identity key exists but cannot be used; nothing was replaced. */
export class IdentityKeyProblem extends Error {
  override readonly name = 'IdentityKeyProblem';
  /** Whether the member may choose to make a new identity (the old key is kept aside, not lost). */
  readonly canStartOver: boolean;
  constructor(message: string, canStartOver: boolean) {
    super(message);
    this.canStartOver = canStartOver;
  }
}

export type IdentityKeyHost = Pick<HostApi, 'loadIdentityKey' | 'sealIdentityKey'>;

export interface EnsureDeviceIdentityOptions {
  /** The member chose to begin with a new identity after an IdentityKeyProblem that allows it. */
  readonly startOver?: boolean;
}

const START_OVER_HINT =
  'You can start over with a new identity: you would join your communities again as a new member, and the old key file stays where it is.';

/** A non-extractable identity already kept in IndexedDB (browser mode, or a desktop without a keychain). */
async function storedIdentity(store: DeviceSettings): Promise<Identity | null> {
  const stored: unknown = await store.getSetting(STORED_IDENTITY_SETTING);
  if (typeof stored !== 'object' || stored === null) return null;
  const { memberId, publicKey, privateKey } = stored as Record<string, unknown>;
  const usable =
    typeof memberId === 'string' &&
    typeof publicKey === 'string' &&
    typeof CryptoKey !== 'undefined' &&
    privateKey instanceof CryptoKey &&
    privateKey.type === 'private' &&
    (await isKeyOf(memberId, publicKey));
  return usable ? { memberId, publicKey, privateKey } : null;
}

async function makeSealedIdentity(store: DeviceSettings, host: IdentityKeyHost): Promise<DeviceIdentity> {
  // Extractable only for as long as it takes to hand the bytes to the keychain.
  const fresh = await generateIdentity(true);
  const pkcs8 = await exportPrivateKey(fresh.privateKey);
  try {
    const key = { memberId: fresh.memberId, publicKey: fresh.publicKey, pkcs8 };
    const result = await host.sealIdentityKey(key);
    if (result.sealed) return { identity: await importIdentityKey(key), protection: { where: 'keychain' } };
    if (result.reason === 'exists') {
      throw new IdentityKeyProblem(
        'Another Hearth window made this device’s identity key at the same moment. Reload Hearth to use it.',
        false,
      );
    }
    const why = result.reason === 'unsupported' ? 'browser-mode' : 'no-keychain';
    return { identity: await ensureIdentity(store), protection: { where: 'app-storage', why } };
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * This device's identity, made on first run. Throws IdentityKeyProblem when a sealed key exists but
 * cannot be opened, and never makes a new identity in its place unless `startOver` is set.
 */
export async function ensureDeviceIdentity(
  store: DeviceSettings,
  host: IdentityKeyHost,
  options: EnsureDeviceIdentityOptions = {},
): Promise<DeviceIdentity> {
  const sealed = await host.loadIdentityKey();
  switch (sealed.status) {
    case 'unsupported':
      return { identity: await ensureIdentity(store), protection: { where: 'app-storage', why: 'browser-mode' } };
    case 'ok':
      try {
        return { identity: await importIdentityKey(sealed.key), protection: { where: 'keychain' } };
      } finally {
        sealed.key.pkcs8.fill(0);
      }
    case 'unavailable':
      throw new IdentityKeyProblem(
        'Your identity key is sealed with this computer’s keychain, and the keychain cannot be used right now (it may be locked, or its service is not running). Nothing was changed: unlock it or sign in to your desktop session, then start Hearth again.',
        false,
      );
    case 'damaged':
      if (options.startOver) return makeSealedIdentity(store, host);
      throw new IdentityKeyProblem(
        `Hearth could not open your identity key. ${sealed.reason} Nothing was replaced: the file was kept as ${sealed.keptAs}. ${START_OVER_HINT}`,
        true,
      );
    case 'none': {
      if (sealed.damagedCopies.length > 0 && !options.startOver) {
        throw new IdentityKeyProblem(
          `Hearth has no readable identity key on this device: an earlier one could not be opened and was kept aside (${sealed.damagedCopies.join(', ')}). ${START_OVER_HINT}`,
          true,
        );
      }
      // A key made before the keychain was used (or while it was missing) stays this device's identity:
      // a non-extractable key cannot be read out to be sealed, and a new one would be a new member.
      const existing = await storedIdentity(store);
      if (existing)
        return {
          identity: existing,
          protection: { where: 'app-storage', why: sealed.keychainAvailable ? 'made-before-keychain' : 'no-keychain' },
        };
      if (!sealed.keychainAvailable)
        return { identity: await ensureIdentity(store), protection: { where: 'app-storage', why: 'no-keychain' } };
      return makeSealedIdentity(store, host);
    }
  }
}
