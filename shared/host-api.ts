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

export type OpenFileResult =
  | { readonly opened: true; readonly name: string; readonly data: Uint8Array }
  | { readonly opened: false };

/** How this host lets its communities reach each other (see shared/sync/README.md). */
export interface NetworkInfo {
  /** Signaling servers this host runs or has discovered (ws:// or wss:// URLs). */
  readonly signalingUrls: readonly string[];
  /** 'loopback' keeps WebRTC on 127.0.0.1/::1 (tests, single-machine setups); 'all' is normal use. */
  readonly icePolicy: 'all' | 'loopback';
}

export interface HostApi {
  getAppInfo(): Promise<AppInfo>;
  getNetwork(): Promise<NetworkInfo>;
  /** Opens an http(s) or mailto link outside the app; anything else is refused with a reason. */
  openExternal(url: string): Promise<OpenExternalResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  openFile(request: OpenFileRequest): Promise<OpenFileResult>;
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
  onJoinLink: 'hearth:join-link',
} as const satisfies Record<keyof HostApi, string>;

/** Upper bound on bytes passed through saveFile/openFile, so a bad caller cannot exhaust memory. */
export const MAX_HOST_FILE_BYTES = 64 * 1024 * 1024;
