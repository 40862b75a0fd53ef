// Remembers the window's size and place between runs, and never lets a stale or damaged record put it off-screen.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH, type WindowBounds } from './security/window-options.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DisplayArea {
  readonly workArea: Rect;
}

/** What is written to window-state.json: the normal (unmaximized) bounds, and whether it was maximized. */
export interface SavedWindowState extends Rect {
  readonly maximized: boolean;
}

export interface RestoredWindowState {
  readonly bounds: WindowBounds;
  readonly maximized: boolean;
}

export const WINDOW_STATE_SAVE_DELAY_MS = 500;
/** Larger than any real screen; a bigger number in the file is damage, not a memory. */
const MAX_COORDINATE = 100_000;
/** How much of the window must overlap a display for the saved position to count as visible. */
const MIN_VISIBLE_PX = 80;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORDINATE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads whatever the file held; anything but a well-formed record is `undefined`. */
export function parseSavedWindowState(value: unknown): SavedWindowState | undefined {
  if (!isRecord(value)) return undefined;
  const { x, y, width, height, maximized } = value;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(width) || !isFiniteNumber(height)) return undefined;
  if (width <= 0 || height <= 0) return undefined;
  return {
    x: Math.round(x),
    y: Math.round(y),
    width: Math.round(width),
    height: Math.round(height),
    maximized: maximized === true,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

function fitSize(width: number, height: number, area: Rect | undefined): { width: number; height: number } {
  // The minimum wins over a tiny work area: Electron enforces minWidth/minHeight regardless.
  return {
    width: clamp(width, MIN_WINDOW_WIDTH, area?.width ?? MAX_COORDINATE),
    height: clamp(height, MIN_WINDOW_HEIGHT, area?.height ?? MAX_COORDINATE),
  };
}

/**
 * Decides where the window opens. `saved` is whatever was read from disk (possibly garbage);
 * `displays` are the screens connected now, the first one being the primary display. Without a
 * usable saved position the result has no x/y, so the window manager centres the window.
 */
export function restoreBounds(
  saved: unknown,
  displays: readonly DisplayArea[],
  defaults: { readonly width: number; readonly height: number },
): RestoredWindowState {
  const primary = displays[0]?.workArea;
  const state = parseSavedWindowState(saved);
  if (state === undefined) return { bounds: fitSize(defaults.width, defaults.height, primary), maximized: false };

  // The display the window mostly sat on, if it is still connected and enough of the window shows.
  let best: { area: Rect; visible: number } | undefined;
  for (const { workArea } of displays) {
    const shared = overlap(state, workArea);
    if (shared.width < MIN_VISIBLE_PX || shared.height < MIN_VISIBLE_PX) continue;
    const visible = shared.width * shared.height;
    if (best === undefined || visible > best.visible) best = { area: workArea, visible };
  }
  if (best === undefined) return { bounds: fitSize(state.width, state.height, primary), maximized: state.maximized };

  const { area } = best;
  const size = fitSize(state.width, state.height, area);
  // Pull the whole window onto its display, so the title bar can always be grabbed.
  return {
    bounds: {
      ...size,
      x: clamp(state.x, area.x, area.x + area.width - size.width),
      y: clamp(state.y, area.y, area.y + area.height - size.height),
    },
    maximized: state.maximized,
  };
}

/** The saved state, or `undefined` when there is none or it cannot be read; never throws. */
export function loadWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes through a temporary file and a rename, so a crash mid-write leaves the old record rather
 * than half a file. Returns whether it worked; losing the window's place is not worth an error.
 */
export function saveWindowState(file: string, state: SavedWindowState): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(state)}\n`, 'utf8');
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The folder itself is unusable (e.g. a file stands where it should be); nothing was left there.
    }
    return false;
  }
}

export interface Debounced {
  /** Runs the action once things have been quiet for the delay. */
  schedule(): void;
  /** Runs a pending action now (on close); does nothing if none is pending. */
  flush(): void;
  cancel(): void;
}

/** Moving or resizing fires dozens of events a second; the file is written once they settle. */
export function debounce(action: () => void, delayMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    schedule() {
      cancel();
      timer = setTimeout(() => {
        timer = undefined;
        action();
      }, delayMs);
    },
    flush() {
      if (timer === undefined) return;
      cancel();
      action();
    },
    cancel,
  };
}
