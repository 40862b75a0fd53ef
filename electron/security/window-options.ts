// The options every Hearth window is created with: the renderer gets a sandboxed web page and nothing more.
import type { BrowserWindowConstructorOptions } from 'electron';

export const MIN_WINDOW_WIDTH = 760;
export const MIN_WINDOW_HEIGHT = 520;
export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
/** Painted before the first frame; matches the renderer's background so opening does not flash. */
export const WINDOW_BACKGROUND_COLOR = '#f7f4ef';

export interface WindowBounds {
  readonly width: number;
  readonly height: number;
  /** Omitted to let the window manager centre the window. */
  readonly x?: number;
  readonly y?: number;
}

export interface WindowOptionsInput {
  /** Absolute path of dist/electron/preload.cjs. */
  readonly preloadPath: string;
  readonly bounds: WindowBounds;
}

export function createWindowOptions({ preloadPath, bounds }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_WINDOW_WIDTH,
    minHeight: MIN_WINDOW_HEIGHT,
    title: 'Hearth',
    backgroundColor: WINDOW_BACKGROUND_COLOR,
    // Shown on 'ready-to-show', so the member never sees a blank window while the bundle loads.
    show: false,
    webPreferences: {
      preload: preloadPath,
      // Each of these is Electron's default today; they are spelled out because a default that
      // changes, or a copy-pasted override, must show up in review and fail the test.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Dropping a file on the window would otherwise navigate to file:// and unload the app.
      navigateOnDragDrop: false,
      // A page that opens alert() in a loop cannot lock the member out of the window.
      safeDialogs: true,
      spellcheck: true,
    },
  } satisfies BrowserWindowConstructorOptions;
}
