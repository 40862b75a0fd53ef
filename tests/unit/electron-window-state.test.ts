// Remembered window bounds: damaged records, vanished displays and odd sizes must still give a usable window.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH } from '../../electron/security/window-options.js';
import { debounce, loadWindowState, restoreBounds, saveWindowState } from '../../electron/window-state.js';

const DEFAULTS = { width: 1200, height: 800 };
const LAPTOP = { workArea: { x: 0, y: 0, width: 1440, height: 875 } };
// A second monitor to the right of the laptop, taller, with a menu bar offset.
const MONITOR = { workArea: { x: 1440, y: -200, width: 2560, height: 1400 } };

describe('restoreBounds', () => {
  it('restores a saved window that is fully on screen', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: false }, [LAPTOP], DEFAULTS)).toEqual({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: false,
    });
  });

  it('remembers that the window was maximized', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: true }, [LAPTOP], DEFAULTS).maximized).toBe(true);
  });

  it('puts the window back on the second monitor it was on', () => {
    expect(restoreBounds({ x: 2000, y: 0, width: 1600, height: 1000 }, [LAPTOP, MONITOR], DEFAULTS).bounds).toEqual({
      x: 2000,
      y: 0,
      width: 1600,
      height: 1000,
    });
  });

  it.each([
    ['nothing saved', undefined],
    ['null', null],
    ['a string', 'x=1'],
    ['a number', 42],
    ['an array', [100, 100, 800, 600]],
    ['an empty object', {}],
    ['missing height', { x: 0, y: 0, width: 800 }],
    ['numbers as strings', { x: '0', y: '0', width: '800', height: '600' }],
    ['NaN', { x: Number.NaN, y: 0, width: 800, height: 600 }],
    ['Infinity', { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 600 }],
    ['negative width', { x: 0, y: 0, width: -800, height: 600 }],
    ['zero height', { x: 0, y: 0, width: 800, height: 0 }],
    ['huge values', { x: 1e12, y: 1e12, width: 1e12, height: 1e12 }],
    ['huge size at a sane position', { x: 0, y: 0, width: 1e9, height: 1e9 }],
  ])('falls back to the centred default for %s', (_name, saved) => {
    expect(restoreBounds(saved, [LAPTOP], DEFAULTS)).toEqual({ bounds: { width: 1200, height: 800 }, maximized: false });
  });

  it('centres a window whose display was unplugged, keeping its size', () => {
    const restored = restoreBounds({ x: 3000, y: 100, width: 1000, height: 700, maximized: true }, [LAPTOP], DEFAULTS);
    expect(restored).toEqual({ bounds: { width: 1000, height: 700 }, maximized: true });
  });

  it('centres a window of which only a sliver is visible', () => {
    const restored = restoreBounds({ x: 1400, y: 100, width: 1000, height: 700 }, [LAPTOP], DEFAULTS);
    expect(restored.bounds).toEqual({ width: 1000, height: 700 });
  });

  it('pulls a window that hangs over the edge fully onto its display', () => {
    const restored = restoreBounds({ x: 900, y: -150, width: 1000, height: 700 }, [LAPTOP], DEFAULTS);
    expect(restored.bounds).toEqual({ x: 440, y: 0, width: 1000, height: 700 });
  });

  it('shrinks a window larger than its display to the work area', () => {
    const restored = restoreBounds({ x: 0, y: 0, width: 3000, height: 2000 }, [LAPTOP], DEFAULTS);
    expect(restored.bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('grows a window below the minimum size', () => {
    const restored = restoreBounds({ x: 10, y: 10, width: 200, height: 100 }, [LAPTOP], DEFAULTS);
    expect(restored.bounds).toEqual({ x: 10, y: 10, width: MIN_WINDOW_WIDTH, height: MIN_WINDOW_HEIGHT });
  });

  it('rounds fractional values from a scaled display', () => {
    expect(restoreBounds({ x: 10.4, y: 10.6, width: 900.5, height: 600.2 }, [LAPTOP], DEFAULTS).bounds).toEqual({
      x: 10,
      y: 11,
      width: 901,
      height: 600,
    });
  });

  it('ignores unknown fields and a maximized flag that is not a boolean', () => {
    const restored = restoreBounds({ x: 10, y: 10, width: 900, height: 600, maximized: 'yes', __proto__: { evil: 1 } }, [LAPTOP], DEFAULTS);
    expect(restored).toEqual({ bounds: { x: 10, y: 10, width: 900, height: 600 }, maximized: false });
  });

  it('still answers with no displays at all', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 900, height: 600 }, [], DEFAULTS)).toEqual({
      bounds: { width: 900, height: 600 },
      maximized: false,
    });
    expect(restoreBounds(undefined, [], { width: 100, height: 100 }).bounds).toEqual({
      width: MIN_WINDOW_WIDTH,
      height: MIN_WINDOW_HEIGHT,
    });
  });

  it('fits the default to a small primary display', () => {
    const small = { workArea: { x: 0, y: 0, width: 1024, height: 600 } };
    expect(restoreBounds(undefined, [small], DEFAULTS).bounds).toEqual({ width: 1024, height: 600 });
  });
});

describe('loadWindowState and saveWindowState', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hearth-window-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips through the file', () => {
    const file = path.join(dir, 'window-state.json');
    const state = { x: 1, y: 2, width: 900, height: 600, maximized: true };
    expect(saveWindowState(file, state)).toBe(true);
    expect(loadWindowState(file)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('creates the folder if it is missing', () => {
    const file = path.join(dir, 'nested', 'deeper', 'window-state.json');
    expect(saveWindowState(file, { x: 0, y: 0, width: 900, height: 600, maximized: false })).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ width: 900 });
  });

  it.each([
    ['a missing file', null],
    ['an empty file', ''],
    ['truncated JSON', '{"x": 1, "y": 2, "wid'],
    ['binary garbage', '\u0000\u0001\u00ff\u00fe'],
  ])('reads %s as nothing, without throwing', (_name, content) => {
    const file = path.join(dir, 'window-state.json');
    if (content !== null) writeFileSync(file, content);
    expect(loadWindowState(file)).toBeUndefined();
    expect(restoreBounds(loadWindowState(file), [LAPTOP], DEFAULTS).bounds).toEqual(DEFAULTS);
  });

  it('reads valid JSON of the wrong shape, which restoreBounds then rejects', () => {
    const file = path.join(dir, 'window-state.json');
    writeFileSync(file, '[1, 2, 3]');
    expect(loadWindowState(file)).toEqual([1, 2, 3]);
    expect(restoreBounds(loadWindowState(file), [LAPTOP], DEFAULTS).bounds).toEqual(DEFAULTS);
  });

  it('reports failure instead of throwing when the folder is a file', () => {
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, 'a file, not a folder');
    expect(saveWindowState(path.join(blocked, 'window-state.json'), { x: 0, y: 0, width: 900, height: 600, maximized: false })).toBe(false);
    expect(readFileSync(blocked, 'utf8')).toBe('a file, not a folder');
  });

  it('reports failure when a folder stands where the file should be, and leaves no temporary file behind', () => {
    const target = path.join(dir, 'window-state.json');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'x');
    expect(saveWindowState(target, { x: 0, y: 0, width: 900, height: 600, maximized: false })).toBe(false);
    expect(readdirSync(dir)).toEqual(['window-state.json']);
    expect(loadWindowState(target)).toBeUndefined();
  });

  it('replaces an existing record whole', () => {
    const file = path.join(dir, 'window-state.json');
    saveWindowState(file, { x: 0, y: 0, width: 1900, height: 1000, maximized: true });
    saveWindowState(file, { x: 5, y: 5, width: 800, height: 600, maximized: false });
    expect(loadWindowState(file)).toEqual({ x: 5, y: 5, width: 800, height: 600, maximized: false });
  });
});

describe('debounce', () => {
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs once after a burst has settled', async () => {
    let runs = 0;
    const pending = debounce(() => runs++, 30);
    for (let i = 0; i < 10; i++) pending.schedule();
    expect(runs).toBe(0);
    await wait(80);
    expect(runs).toBe(1);
  });

  it('flush runs a pending action at once and only once', async () => {
    let runs = 0;
    const pending = debounce(() => runs++, 30);
    pending.flush();
    expect(runs).toBe(0);
    pending.schedule();
    pending.flush();
    expect(runs).toBe(1);
    await wait(80);
    expect(runs).toBe(1);
  });

  it('cancel drops a pending action', async () => {
    let runs = 0;
    const pending = debounce(() => runs++, 20);
    pending.schedule();
    pending.cancel();
    await wait(60);
    expect(runs).toBe(0);
  });
});
