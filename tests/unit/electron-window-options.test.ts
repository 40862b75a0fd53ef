// The BrowserWindow options: the renderer must get a sandboxed page with no way into Node.
import { describe, expect, it } from 'vitest';
import {
  createWindowOptions,
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_HEIGHT,
  MIN_WINDOW_WIDTH,
  openWindow,
} from '../../electron/security/window-options.js';
import type { BrowserWindowConstructorOptions } from 'electron';

const PRELOAD = '/opt/Hearth/resources/app.asar/dist/electron/preload.cjs';

describe('createWindowOptions', () => {
  const options = createWindowOptions({ preloadPath: PRELOAD, bounds: { width: 1000, height: 700, x: 40, y: 30 } });

  it('isolates and sandboxes the renderer', () => {
    expect(options.webPreferences).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('are exactly what openWindow constructs a window with', () => {
    const made: BrowserWindowConstructorOptions[] = [];
    class FakeWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        made.push(options);
      }
    }
    const window = openWindow(FakeWindow, { preloadPath: PRELOAD, bounds: { width: 1000, height: 700, x: 40, y: 30 } });
    expect(window).toBeInstanceOf(FakeWindow);
    expect(made).toEqual([options]);
  });

  it('enables nothing risky that the list above does not name', () => {
    const risky = ['enableBlinkFeatures', 'additionalArguments', 'partition', 'session', 'enableWebSQL', 'plugins', 'devTools'];
    for (const key of risky) expect(options.webPreferences, key).not.toHaveProperty(key);
  });

  it('waits for the first paint before showing, with a size and a title', () => {
    expect(options).toMatchObject({ show: false, title: 'Hearth', width: 1000, height: 700, x: 40, y: 30 });
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('keeps the window large enough for the sidebar and a thread side by side', () => {
    expect(options.minWidth).toBe(MIN_WINDOW_WIDTH);
    expect(options.minHeight).toBe(MIN_WINDOW_HEIGHT);
    expect(MIN_WINDOW_WIDTH).toBeGreaterThanOrEqual(640);
    expect(MIN_WINDOW_HEIGHT).toBeGreaterThanOrEqual(480);
    expect(DEFAULT_WINDOW_SIZE.width).toBeGreaterThan(MIN_WINDOW_WIDTH);
    expect(DEFAULT_WINDOW_SIZE.height).toBeGreaterThan(MIN_WINDOW_HEIGHT);
  });

  it('leaves the position out when none is given, so the window is centred', () => {
    const centred = createWindowOptions({ preloadPath: PRELOAD, bounds: { width: 900, height: 600 } });
    expect(centred).not.toHaveProperty('x');
    expect(centred).not.toHaveProperty('y');
  });

  it('returns a fresh object each time, so one window cannot change another’s options', () => {
    const first = createWindowOptions({ preloadPath: PRELOAD, bounds: DEFAULT_WINDOW_SIZE });
    const second = createWindowOptions({ preloadPath: PRELOAD, bounds: DEFAULT_WINDOW_SIZE });
    expect(first).not.toBe(second);
    expect(first.webPreferences).not.toBe(second.webPreferences);
  });
});
