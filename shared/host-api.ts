// The typed contract between the renderer and whatever hosts it (the Electron shell or browser mode's
// Node host). The renderer asks only for these capabilities; each host implements every one of them.

export type HostMode = 'desktop' | 'browser';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly mode: HostMode;
  readonly platform: string;
  /** Where this host keeps the member's data, in words a person can follow. */
  readonly dataLocation: string;
}

export type OpenExternalResult = { readonly opened: true } | { readonly opened: false; readonly reason: string };

export interface FileFilter {
  readonly name: string;
  /** Extensions without the dot, e.g. `['md', 'txt']`. */
  readonly extensions: readonly string[];
}

export interface SaveFileRequest {
  readonly suggestedName: string;
  readonly data: Uint8Array;
  readonly filters?: readonly FileFilter[];
}

export type SaveFileResult = { readonly saved: true; readonly name: string } | { readonly saved: false };

export interface OpenFileRequest {
  readonly filters?: readonly FileFilter[];
}

export type OpenFileResult = { readonly opened: true; readonly name: string; readonly data: Uint8Array } | { readonly opened: false };

/** How this host lets its communities reach each other (see shared/sync/README.md). */
export interface NetworkInfo {
  /** Signaling servers this host runs or has discovered (ws:// or wss:// URLs). */
  readonly signalingUrls: readonly string[];
  /** 'loopback' keeps WebRTC on 127.0.0.1/::1 (tests, single-machine setups); 'all' is normal use. */
  readonly icePolicy: 'all' | 'loopback';
}

/**
 * A member's identity key as it crosses between the renderer and the desktop's main process: the
 * public half and the private key as PKCS#8 bytes. Validated by identityKeyMaterialSchema
 * (shared/identity/private-key.ts) wherever it is received.
 */
export interface IdentityKeyMaterial {
  readonly memberId: string;
  /** Raw P-256 public key, base64url. */
  readonly publicKey: string;
  readonly pkcs8: Uint8Array;
}

/** What the host holds of this device's identity key (the desktop seals it with the system keychain). */
export type IdentityKeyLoadResult =
  /** Browser mode: the host keeps no key; the renderer keeps a non-extractable one in IndexedDB. */
  | { readonly status: 'unsupported' }
  /** A key is sealed, but the system keychain cannot be used now (locked, or none running). */
  | { readonly status: 'unavailable' }
  /**
   * No key sealed yet. `keychainAvailable`: whether one could be sealed now; `damagedCopies`: earlier
   * key files that could not be read, kept aside.
   */
  | { readonly status: 'none'; readonly keychainAvailable: boolean; readonly damagedCopies: readonly string[] }
  | { readonly status: 'ok'; readonly key: IdentityKeyMaterial }
  /** The key file could not be read or unsealed; it was renamed to `keptAs` and nothing replaced it. */
  | { readonly status: 'damaged'; readonly reason: string; readonly keptAs: string };

export type SealIdentityKeyResult =
  | { readonly sealed: true }
  /** 'exists': a key is already sealed, and the host never replaces one. */
  | { readonly sealed: false; readonly reason: 'unsupported' | 'unavailable' | 'exists' };

export interface HostApi {
  getAppInfo(): Promise<AppInfo>;
  getNetwork(): Promise<NetworkInfo>;
  /** Opens an http(s) or mailto link outside the app; anything else is refused with a reason. */
  openExternal(url: string): Promise<OpenExternalResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  openFile(request: OpenFileRequest): Promise<OpenFileResult>;
  /** This device's sealed identity key, unsealed (see IdentityKeyLoadResult). */
  loadIdentityKey(): Promise<IdentityKeyLoadResult>;
  /** Seals a new identity key with the system keychain and keeps it; never replaces a sealed key. */
  sealIdentityKey(key: IdentityKeyMaterial): Promise<SealIdentityKeyResult>;
  /** Calls `listener` with the code of each hearth://join/ link the system opens Hearth with. */
  onJoinLink(listener: (code: string) => void): () => void;
}

/** The name under which the Electron preload exposes the host API on `window`. */
export const HOST_API_GLOBAL = 'hearthHost';

/** IPC channel names, one per capability; the preload and the main process both use these. */
export const HOST_IPC = {
  getAppInfo: 'hearth:get-app-info',
  getNetwork: 'hearth:get-network',
  openExternal: 'hearth:open-external',
  saveFile: 'hearth:save-file',
  openFile: 'hearth:open-file',
  loadIdentityKey: 'hearth:load-identity-key',
  sealIdentityKey: 'hearth:seal-identity-key',
  onJoinLink: 'hearth:join-link',
} as const satisfies Record<keyof HostApi, string>;

/** Upper bound on bytes passed through saveFile/openFile, so a bad caller cannot exhaust memory. */
export const MAX_HOST_FILE_BYTES = 64 * 1024 * 1024;
