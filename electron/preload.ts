// The bridge the renderer sees as window.hearthHost: one function per HostApi capability, nothing else of Electron.
import { contextBridge, ipcRenderer } from 'electron';
import {
  HOST_API_GLOBAL,
  HOST_IPC,
  type AppInfo,
  type HostApi,
  type IdentityKeyLoadResult,
  type IdentityKeyMaterial,
  type NetworkInfo,
  type OpenExternalResult,
  type OpenFileRequest,
  type OpenFileResult,
  type SaveFileRequest,
  type SaveFileResult,
  type SealIdentityKeyResult,
} from '../shared/host-api.js';

// Each wrapper passes exactly its own arguments, so the page can never pick a channel or reach
// ipcRenderer itself (which would let it talk to any handler the main process ever registers).
const hostApi = {
  getAppInfo: (): Promise<AppInfo> => ipcRenderer.invoke(HOST_IPC.getAppInfo),
  getNetwork: (): Promise<NetworkInfo> => ipcRenderer.invoke(HOST_IPC.getNetwork),
  openExternal: (url: string): Promise<OpenExternalResult> => ipcRenderer.invoke(HOST_IPC.openExternal, url),
  saveFile: (request: SaveFileRequest): Promise<SaveFileResult> => ipcRenderer.invoke(HOST_IPC.saveFile, request),
  openFile: (request: OpenFileRequest): Promise<OpenFileResult> => ipcRenderer.invoke(HOST_IPC.openFile, request),
  loadIdentityKey: (): Promise<IdentityKeyLoadResult> => ipcRenderer.invoke(HOST_IPC.loadIdentityKey),
  sealIdentityKey: (key: IdentityKeyMaterial): Promise<SealIdentityKeyResult> => ipcRenderer.invoke(HOST_IPC.sealIdentityKey, key),
  onJoinLink: (listener: (code: string) => void): (() => void) => {
    // Only the code string crosses the bridge, never the IPC event (it would expose ipcRenderer).
    const forward = (_event: unknown, code: unknown) => {
      if (typeof code === 'string') listener(code);
    };
    ipcRenderer.on(HOST_IPC.onJoinLink, forward);
    return () => ipcRenderer.removeListener(HOST_IPC.onJoinLink, forward);
  },
} satisfies HostApi;

contextBridge.exposeInMainWorld(HOST_API_GLOBAL, hostApi);
