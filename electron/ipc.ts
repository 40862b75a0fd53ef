// The main process's side of the HostApi: every call is checked for who sent it and what it carries before anything touches the system.
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IpcMain } from 'electron';
import {
  HOST_IPC,
  MAX_HOST_FILE_BYTES,
  type AppInfo,
  type NetworkInfo,
  type HostApi,
  type OpenFileRequest,
  type SaveFileRequest,
} from '../shared/host-api.js';
import { identityKeyMaterialSchema } from '../shared/identity/private-key.js';
import { openExternalUrl } from '../shared/links.js';
import type { IdentityKeyFile } from './identity-key-file.js';
import { isWindowsDeviceName } from './security/app-path.js';
import { isTrustedSender } from './security/navigation.js';

/** A validated filter, fresh and mutable because Electron's dialog types want `string[]`. */
export interface DialogFilter {
  name: string;
  extensions: string[];
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const MAX_FILTERS = 16;
const MAX_EXTENSIONS_PER_FILTER = 32;
const MAX_FILTER_NAME_LENGTH = 100;
/** Longer than any name a person would suggest; a longer string is refused rather than trimmed. */
const MAX_SUGGESTED_NAME_INPUT = 1024;
/** Most file systems stop at 255 bytes; characters can take several bytes, so leave room. */
const MAX_FILE_NAME_LENGTH = 120;
const EXTENSION = /^(?:\*|[A-Za-z0-9_-]{1,16})$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// Control characters, what Windows forbids in names, and the bidirectional overrides that make
// "invoice‮gpj.exe" look like "invoiceexe.jpg" in a save dialog.
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Turns a name the renderer suggests into a bare file name for a save dialog. The renderer shows
 * community content, so the name may be hostile: "../../.bashrc" must not pre-fill a path.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).at(-1) ?? '';
  // Leading dots would suggest a hidden file; trailing dots and spaces are dropped by Windows anyway.
  const cleaned = base.replace(UNSAFE_NAME_CHARACTERS, '').replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned === '' || isWindowsDeviceName(cleaned)) return 'untitled';
  if (cleaned.length <= MAX_FILE_NAME_LENGTH) return cleaned;
  // Keep the extension, so a long title still saves as the kind of file it is.
  const extension = path.extname(cleaned).slice(0, 17);
  return cleaned.slice(0, MAX_FILE_NAME_LENGTH - extension.length).trimEnd() + extension;
}

export function validateFilters(value: unknown): Checked<DialogFilter[]> {
  if (value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, reason: 'filters must be a list.' };
  if (value.length > MAX_FILTERS) return { ok: false, reason: `At most ${MAX_FILTERS} filters are allowed.` };
  const filters: DialogFilter[] = [];
  for (const filter of value) {
    if (!isPlainObject(filter)) return { ok: false, reason: 'Each filter must be an object.' };
    const { name, extensions } = filter;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_FILTER_NAME_LENGTH || CONTROL_CHARACTERS.test(name)) {
      return { ok: false, reason: 'A filter needs a short name without control characters.' };
    }
    if (!Array.isArray(extensions) || extensions.length === 0 || extensions.length > MAX_EXTENSIONS_PER_FILTER) {
      return { ok: false, reason: `A filter needs 1 to ${MAX_EXTENSIONS_PER_FILTER} extensions.` };
    }
    const checkedExtensions: string[] = [];
    for (const extension of extensions) {
      if (typeof extension !== 'string' || !EXTENSION.test(extension)) {
        return { ok: false, reason: 'Extensions are letters and digits without the dot, or "*".' };
      }
      checkedExtensions.push(extension);
    }
    // Rebuilt, not passed through: only these two fields may reach the native dialog.
    filters.push({ name, extensions: checkedExtensions });
  }
  return { ok: true, value: filters };
}

export function validateSaveFileRequest(value: unknown): Checked<SaveFileRequest & { readonly filters: DialogFilter[] }> {
  if (!isPlainObject(value)) return { ok: false, reason: 'saveFile needs a request object.' };
  const { suggestedName, data } = value;
  if (typeof suggestedName !== 'string' || suggestedName.length > MAX_SUGGESTED_NAME_INPUT) {
    return { ok: false, reason: 'suggestedName must be a short string.' };
  }
  if (!(data instanceof Uint8Array)) return { ok: false, reason: 'data must be a Uint8Array.' };
  if (data.byteLength > MAX_HOST_FILE_BYTES) return { ok: false, reason: 'The file is too large to save.' };
  const filters = validateFilters(value.filters);
  if (!filters.ok) return filters;
  return { ok: true, value: { suggestedName: safeFileName(suggestedName), data, filters: filters.value } };
}

export function validateOpenFileRequest(value: unknown): Checked<OpenFileRequest & { readonly filters: DialogFilter[] }> {
  // A caller that passes nothing means "any file"; JavaScript lets the renderer omit the argument.
  if (value === undefined) return { ok: true, value: { filters: [] } };
  if (!isPlainObject(value)) return { ok: false, reason: 'openFile needs a request object.' };
  const filters = validateFilters(value.filters);
  if (!filters.ok) return filters;
  return { ok: true, value: { filters: filters.value } };
}

/** Reads a file the member picked, refusing anything that is not a regular file or is too large. */
export async function readPickedFile(filePath: string, maxBytes = MAX_HOST_FILE_BYTES): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error('Only regular files can be opened.');
    if (stats.size > maxBytes) throw new Error(`The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB.`);
    // Read at most one byte past the limit: a file that grew since stat() is caught, not read whole.
    const buffer = new Uint8Array(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.byteLength - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new Error(`The file is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB.`);
      if (length === buffer.byteLength) break;
    }
    return buffer.slice(0, length);
  } finally {
    await handle.close();
  }
}

/** What the handlers need from Electron, passed in so that the handlers themselves run in plain Node. */
export interface HostIpcDeps {
  readonly appOrigin: string;
  readonly appInfo: () => AppInfo;
  readonly network: () => NetworkInfo;
  readonly openExternal: (url: string) => Promise<void>;
  /** Shows a save dialog; `undefined` when the member cancels. */
  readonly chooseSavePath: (options: { readonly defaultName: string; readonly filters: DialogFilter[] }) => Promise<string | undefined>;
  /** Shows an open dialog for one file; `undefined` when the member cancels. */
  readonly chooseOpenPath: (options: { readonly filters: DialogFilter[] }) => Promise<string | undefined>;
  /** The identity key sealed with the system keychain (identity-key-file.ts). */
  readonly identityKeys: IdentityKeyFile;
}

/** One handler per HostApi method; `senderFrameUrl` is the URL of the frame that sent the call. */
export type HostHandlers = {
  readonly [K in InvokedCapability]: (senderFrameUrl: string | undefined, args: readonly unknown[]) => ReturnType<HostApi[K]>;
};

/** Capabilities the renderer calls; onJoinLink is pushed by the main process instead (main.ts). */
type InvokedCapability = Exclude<keyof HostApi, 'onJoinLink'>;

function refuseArguments(method: InvokedCapability, reason: string): never {
  // The renderer's own code never sends a bad call, so this is a bug or an attack: reject loudly.
  throw new Error(`${method}: ${reason}`);
}

export function createHostHandlers(deps: HostIpcDeps): HostHandlers {
  const checkSender = (method: InvokedCapability, senderFrameUrl: string | undefined): void => {
    if (!isTrustedSender(senderFrameUrl, deps.appOrigin)) throw new Error(`${method}: refused, the caller is not the Hearth app.`);
  };

  return {
    async getAppInfo(senderFrameUrl, args) {
      checkSender('getAppInfo', senderFrameUrl);
      if (args.length !== 0) refuseArguments('getAppInfo', 'takes no arguments.');
      return deps.appInfo();
    },

    async getNetwork(senderFrameUrl, args) {
      checkSender('getNetwork', senderFrameUrl);
      if (args.length !== 0) refuseArguments('getNetwork', 'takes no arguments.');
      return deps.network();
    },

    async openExternal(senderFrameUrl, args) {
      checkSender('openExternal', senderFrameUrl);
      if (args.length !== 1) refuseArguments('openExternal', 'takes one link.');
      const opening: Promise<void>[] = [];
      // Reviewed for electronegativity: openExternalUrl calls back only with a URL its allowlist accepted.
      const verdict = openExternalUrl(args[0], (url) => opening.push(deps.openExternal(url))); // eng-disable OPEN_EXTERNAL_JS_CHECK
      if (!verdict.ok) return { opened: false, reason: verdict.reason };
      try {
        await Promise.all(opening);
        return { opened: true };
      } catch {
        return { opened: false, reason: 'The system could not open the link.' };
      }
    },

    async saveFile(senderFrameUrl, args) {
      checkSender('saveFile', senderFrameUrl);
      if (args.length !== 1) refuseArguments('saveFile', 'takes one request.');
      const request = validateSaveFileRequest(args[0]);
      if (!request.ok) return refuseArguments('saveFile', request.reason);
      const { suggestedName, data, filters } = request.value;
      const filePath = await deps.chooseSavePath({ defaultName: suggestedName, filters });
      if (filePath === undefined) return { saved: false };
      await writeFile(filePath, data);
      return { saved: true, name: path.basename(filePath) };
    },

    async openFile(senderFrameUrl, args) {
      checkSender('openFile', senderFrameUrl);
      if (args.length > 1) refuseArguments('openFile', 'takes one request.');
      const request = validateOpenFileRequest(args[0]);
      if (!request.ok) return refuseArguments('openFile', request.reason);
      const filePath = await deps.chooseOpenPath({ filters: request.value.filters });
      if (filePath === undefined) return { opened: false };
      const data = await readPickedFile(filePath);
      return { opened: true, name: path.basename(filePath), data };
    },

    async loadIdentityKey(senderFrameUrl, args) {
      checkSender('loadIdentityKey', senderFrameUrl);
      if (args.length !== 0) refuseArguments('loadIdentityKey', 'takes no arguments.');
      return deps.identityKeys.load();
    },

    async sealIdentityKey(senderFrameUrl, args) {
      checkSender('sealIdentityKey', senderFrameUrl);
      if (args.length !== 1) refuseArguments('sealIdentityKey', 'takes one key.');
      const key = identityKeyMaterialSchema.safeParse(args[0]);
      if (!key.success) return refuseArguments('sealIdentityKey', 'expects { memberId, publicKey, pkcs8 } of an identity key.');
      return deps.identityKeys.seal(key.data);
    },
  };
}

/** The thin Electron part: one ipcMain.handle per channel, passing along which frame is asking. */
export function registerHostIpc(ipcMain: IpcMain, handlers: HostHandlers): void {
  // Spelled out per channel: a new HostApi method then fails type-checking in HostHandlers until it
  // has a handler, and is registered here in plain sight.
  ipcMain.handle(HOST_IPC.getAppInfo, (event, ...args: unknown[]) => handlers.getAppInfo(event.senderFrame?.url, args));
  ipcMain.handle(HOST_IPC.getNetwork, (event, ...args: unknown[]) => handlers.getNetwork(event.senderFrame?.url, args));
  // Reviewed for electronegativity: this is Hearth's own handler (above), not shell.openExternal; it checks sender and URL.
  ipcMain.handle(HOST_IPC.openExternal, (event, ...args: unknown[]) => handlers.openExternal(event.senderFrame?.url, args)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  ipcMain.handle(HOST_IPC.saveFile, (event, ...args: unknown[]) => handlers.saveFile(event.senderFrame?.url, args));
  ipcMain.handle(HOST_IPC.openFile, (event, ...args: unknown[]) => handlers.openFile(event.senderFrame?.url, args));
  ipcMain.handle(HOST_IPC.loadIdentityKey, (event, ...args: unknown[]) => handlers.loadIdentityKey(event.senderFrame?.url, args));
  ipcMain.handle(HOST_IPC.sealIdentityKey, (event, ...args: unknown[]) => handlers.sealIdentityKey(event.senderFrame?.url, args));
}
