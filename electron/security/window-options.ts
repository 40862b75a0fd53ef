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

/** Electron's BrowserWindow class, or anything constructed the same way (tests pass a recorder). */
export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Opens a Hearth window. The options are written inside the `new BrowserWindow({…})` expression on
 * purpose: electronegativity (tests/unit/electronegativity.test.ts) reads a window's webPreferences
 * only from the object literal handed to a constructor called BrowserWindow, so this is the shape in
 * which a changed option fails the scan. Built elsewhere and passed in, they would be invisible to it.
 */
export function openWindow<W>(BrowserWindow: WindowConstructor<W>, { preloadPath, bounds }: WindowOptionsInput): W {
  return new BrowserWindow({
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
      // A middle click on a link fires auxclick, which can open it in a new window; links go through
      // setWindowOpenHandler's allowlist anyway, and without the event that path is not even tried.
      disableBlinkFeatures: 'Auxclick',
      // Dropping a file on the window would otherwise navigate to file:// and unload the app.
      navigateOnDragDrop: false,
      // A page that opens alert() in a loop cannot lock the member out of the window.
      safeDialogs: true,
      spellcheck: true,
    },
  } satisfies BrowserWindowConstructorOptions);
}

class OptionsRecorder {
  readonly options: BrowserWindowConstructorOptions;
  constructor(options: BrowserWindowConstructorOptions) {
    this.options = options;
  }
}

/** The options openWindow would create a window with. */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return openWindow(OptionsRecorder, input).options;
}
