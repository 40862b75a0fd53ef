// The Electron main process: thin glue that wires the pure guards in electron/security/ to Electron's hooks.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';
import { SIGNAL_PATH } from './host/browser-host.js';
import { HOST_IPC } from '../shared/host-api.js';
import { HEARTH_SCHEME, joinCodeFromArgv, joinCodeFromUrl } from './deep-link.js';
import { createIdentityKeyFile, keychainFromSafeStorage } from './identity-key-file.js';
import { createHostHandlers, registerHostIpc } from './ipc.js';
import { startSignalingServer } from './signaling/server.js';
import { lanSetting } from './discovery/lan-setting.js';
import { startLanSignaling } from './discovery/lan-signaling.js';
import { APP_ORIGIN, APP_SCHEME, resolveAppRequest } from './security/app-path.js';
import { contentSecurityPolicy } from './security/csp.js';
import { devServerUrl, isAllowedNavigation, permissionDecision, windowOpenDecision } from './security/navigation.js';
import { DEFAULT_WINDOW_SIZE, openWindow } from './security/window-options.js';
import { debounce, loadWindowState, restoreBounds, saveWindowState, WINDOW_STATE_SAVE_DELAY_MS } from './window-state.js';
import { errorMessage } from '../shared/errors.js';

// main.cjs sits in dist/electron/, next to preload.cjs and beside dist/renderer/ (also inside the asar).
const RENDERER_ROOT = path.join(__dirname, '../renderer');
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const DEV_URL = devServerUrl(process.env.HEARTH_DEV_URL, app.isPackaged);
if (process.env.HEARTH_DEV_URL && DEV_URL === undefined) {
  console.warn('HEARTH_DEV_URL is ignored: it must be an http(s) address on this machine, in an unpackaged build.');
}
/** The one origin whose pages may navigate, use the host API and get permissions. */
const APP_PAGE_ORIGIN = DEV_URL === undefined ? APP_ORIGIN : new URL(DEV_URL).origin;
const CSP = contentSecurityPolicy({ dev: DEV_URL !== undefined });

let mainWindow: BrowserWindow | undefined;
/** A join link that arrived before the window could take it. */
let pendingJoinCode: string | null = null;

function deliverJoinCode(code: string | null): void {
  if (!code) return;
  if (mainWindow === undefined || mainWindow.webContents.isLoading()) {
    pendingJoinCode = code;
    return;
  }
  mainWindow.webContents.send(HOST_IPC.onJoinLink, code);
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function staticResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

async function serveAppFile(request: Request): Promise<Response> {
  const verdict = resolveAppRequest(request.method, request.url, RENDERER_ROOT);
  if (!verdict.ok) return staticResponse(verdict.status, verdict.reason);
  try {
    const body = await readFile(verdict.filePath);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': verdict.contentType },
    });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const missing = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
    return staticResponse(missing ? 404 : 500, missing ? 'Not found.' : 'The file could not be read.');
  }
}

/** Primary display first: restoreBounds falls back to the first one. */
function displaysPrimaryFirst(): Electron.Display[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)];
}

function createMainWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const { bounds, maximized } = restoreBounds(loadWindowState(stateFile), displaysPrimaryFirst(), DEFAULT_WINDOW_SIZE);
  const window = openWindow(BrowserWindow, { preloadPath: PRELOAD_PATH, bounds });
  window.webContents.on('did-finish-load', () => {
    const code = pendingJoinCode;
    pendingJoinCode = null;
    if (code) window.webContents.send(HOST_IPC.onJoinLink, code);
  });
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });

  // Normal bounds, not current ones: a maximized window remembers the size it returns to.
  const saveNow = (): void => {
    if (window.isDestroyed()) return;
    saveWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const pendingSave = debounce(saveNow, WINDOW_STATE_SAVE_DELAY_MS);
  window.on('resize', () => pendingSave.schedule());
  window.on('move', () => pendingSave.schedule());
  window.on('maximize', () => pendingSave.schedule());
  window.on('unmaximize', () => pendingSave.schedule());
  window.on('close', () => {
    pendingSave.cancel();
    saveNow();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });

  window.loadURL(DEV_URL ?? `${APP_ORIGIN}/index.html`).catch((error: unknown) => {
    console.error('Hearth could not load its window:', error);
  });
  return window;
}

function hardenWebContents(contents: Electron.WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, APP_PAGE_ORIGIN)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const { decision, externalUrl } = windowOpenDecision(url);
    if (externalUrl !== undefined) {
      // Reviewed for electronegativity: externalUrl passed checkExternalUrl's allowlist (http, https, mailto) in windowOpenDecision.
      shell.openExternal(externalUrl).catch((error: unknown) => console.error('Hearth could not open a link:', error)); // eng-disable OPEN_EXTERNAL_JS_CHECK
    }
    return decision;
  });
}

/** The desktop app's own signaling server: DESIGN.md's "every running app hosts one". */
const DESKTOP_SIGNALING_PORT = 5318;
interface OwnSignaling {
  /** Where this app's renderer reaches it (loopback). */
  readonly localUrl: string;
  /** Neighbours' signaling URLs found by LAN discovery (none when it is off). */
  peers(): string[];
  close(): Promise<void>;
}
let signaling: OwnSignaling | undefined;

/**
 * LAN discovery is on by default in the desktop app: it is what members install, and DESIGN.md's promise
 * that a group in one room syncs with no internet needs it. Signaling then listens on every interface
 * (it relays only y-webrtc messages encrypted with each room's password) and is advertised over mDNS.
 * --no-lan or HEARTH_LAN=0 keeps it on loopback; electron/discovery/README.md has what neighbours see.
 */
async function startOwnSignaling(): Promise<void> {
  const lan = lanSetting(process.argv, process.env, true);
  if (!lan.ok) console.warn(`${lan.error} LAN discovery stays off.`);
  if (lan.ok && lan.on) {
    const address = lan.address;
    signaling = await startLanSignaling({
      path: SIGNAL_PATH,
      port: DESKTOP_SIGNALING_PORT,
      listenAddress: address,
      interfaceAddress: address,
      log: (line) => console.log(line),
    }).catch((error: unknown) => {
      console.warn(`LAN discovery could not start, so only this machine can sync through this app: ${errorMessage(error)}`);
      return undefined;
    });
    if (signaling) return;
  }
  const log = (line: string) => console.log(line);
  const loopback = await startSignalingServer({ port: DESKTOP_SIGNALING_PORT, path: SIGNAL_PATH, log })
    // Another program (or a browser-mode Hearth) holds the port: any free one will do for this app.
    .catch(() => startSignalingServer({ port: 0, path: SIGNAL_PATH, log }))
    .catch(() => undefined);
  if (loopback) signaling = { localUrl: loopback.url, peers: () => [], close: () => loopback.close() };
}

function onReady(): void {
  protocol.handle(APP_SCHEME, serveAppFile);
  void startOwnSignaling();
  app.on('will-quit', () => void signaling?.close());

  const { defaultSession } = session;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, { appOrigin: APP_PAGE_ORIGIN, requestingUrl: details.requestingUrl }));
  });
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(permission, { appOrigin: APP_PAGE_ORIGIN, requestingUrl: details.requestingUrl ?? requestingOrigin }),
  );
  if (DEV_URL !== undefined) {
    // Vite's dev server sends no CSP; add the dev policy so development breaks where production would.
    defaultSession.webRequest.onHeadersReceived({ urls: [`${APP_PAGE_ORIGIN}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
  }

  registerHostIpc(
    ipcMain,
    createHostHandlers({
      appOrigin: APP_PAGE_ORIGIN,
      network: () => ({ signalingUrls: signaling ? [signaling.localUrl, ...signaling.peers()] : [], icePolicy: 'all' }),
      appInfo: () => ({
        name: app.getName(),
        version: app.getVersion(),
        mode: 'desktop',
        platform: process.platform,
        dataLocation: app.getPath('userData'),
      }),
      // Reviewed for electronegativity: the handler calls this only with a URL that passed openExternalUrl's allowlist (electron/ipc.ts).
      openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
      chooseSavePath: async ({ defaultName, filters }) => {
        const options: Electron.SaveDialogOptions = {
          defaultPath: path.join(app.getPath('documents'), defaultName),
          filters,
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        };
        const parent = BrowserWindow.getFocusedWindow();
        const result = parent === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(parent, options);
        return result.canceled || result.filePath === '' ? undefined : result.filePath;
      },
      chooseOpenPath: async ({ filters }) => {
        const options: Electron.OpenDialogOptions = { filters, properties: ['openFile'] };
        const parent = BrowserWindow.getFocusedWindow();
        const result = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
        return result.canceled ? undefined : result.filePaths[0];
      },
      // safeStorage can be asked only after 'ready', which is why this is made here.
      identityKeys: createIdentityKeyFile(app.getPath('userData'), keychainFromSafeStorage(safeStorage, process.platform)),
    }),
  );

  mainWindow = createMainWindow();
}

function start(): void {
  // Forces the sandbox on every renderer, including any a future change forgets to configure.
  app.enableSandbox();
  // Standard + secure gives app://hearth a real origin of its own (IndexedDB, localStorage, fetch,
  // secure-context APIs such as crypto.subtle); CORS stays off because nothing else may read it.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, codeCache: true } },
  ]);
  // Reviewed for electronegativity: hearth:// links carry only an invite code, which joinCodeFromUrl and
  // joinCodeFromArgv (deep-link.ts, tested with hostile input) extract; the join dialog then validates it.
  app.setAsDefaultProtocolClient(HEARTH_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  // macOS hands links over by event; Windows and Linux start a second instance with the link in argv.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverJoinCode(joinCodeFromUrl(url));
  });
  pendingJoinCode = joinCodeFromArgv(process.argv);

  app.on('second-instance', (_event, argv) => {
    deliverJoinCode(joinCodeFromArgv(argv));
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    // macOS apps stay running with no window until the member quits from the dock or menu.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      console.error('Hearth could not start:', error);
      app.quit();
    });
}

// A second copy would open the same IndexedDB and signaling port; it hands over to the first instead.
if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}
