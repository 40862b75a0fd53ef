import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chooseRunMode, findElectronBinary, type ElectronPackageProbe } from '../../electron/host/launch.js';

const PACKAGE = '/project/node_modules/electron';

function probe(files: Record<string, string>, extra: Partial<ElectronPackageProbe> = {}): ElectronPackageProbe {
  return { packageDir: PACKAGE, read: (path) => files[path] ?? null, exists: (path) => path in files, ...extra };
}

const installed = probe({ [join(PACKAGE, 'path.txt')]: 'electron', [join(PACKAGE, 'dist', 'electron')]: '' });

describe('npm start chooses desktop or browser mode', () => {
  it('falls back to browser mode, with a reason, when the binary was never downloaded', () => {
    const lookup = findElectronBinary(probe({}));
    expect(lookup).toMatchObject({ found: false });
    const mode = chooseRunMode(lookup, { DISPLAY: ':0' }, 'linux');
    expect(mode.mode).toBe('browser');
    expect(mode.mode === 'browser' && mode.why).toMatch(/Electron’s binary is not installed/);
  });

  it('falls back when path.txt names a binary that is not on disk, or the package is missing', () => {
    const lookup = findElectronBinary(probe({ [join(PACKAGE, 'path.txt')]: 'electron' }));
    expect(chooseRunMode(lookup, { DISPLAY: ':0' }, 'linux')).toMatchObject({
      mode: 'browser',
      why: expect.stringContaining(join(PACKAGE, 'dist', 'electron')),
    });
    expect(findElectronBinary(probe({}, { packageDir: null }))).toMatchObject({
      found: false,
      reason: expect.stringContaining('npm install'),
    });
  });

  it('refuses a path.txt that points outside the package', () => {
    expect(findElectronBinary(probe({ [join(PACKAGE, 'path.txt')]: '../../../bin/sh', '/project/bin/sh': '' }))).toMatchObject({
      found: false,
    });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the electron package does', () => {
    const lookup = findElectronBinary(
      probe({ [join(PACKAGE, 'path.txt')]: 'electron', '/opt/electron-dist/electron': '' }, { overrideDistPath: '/opt/electron-dist' }),
    );
    expect(lookup).toEqual({ found: true, path: '/opt/electron-dist/electron' });
  });

  it('falls back on Linux with no display, and opens the desktop app where there is one', () => {
    const lookup = findElectronBinary(installed);
    const binary = join(PACKAGE, 'dist', 'electron');
    expect(chooseRunMode(lookup, {}, 'linux')).toMatchObject({ mode: 'browser', why: expect.stringContaining('no graphical display') });
    expect(chooseRunMode(lookup, { WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ mode: 'desktop', electronPath: binary });
    expect(chooseRunMode(lookup, {}, 'darwin')).toEqual({ mode: 'desktop', electronPath: binary });
  });

  it('honours HEARTH_BROWSER_MODE=1 without calling it a failure', () => {
    expect(chooseRunMode(findElectronBinary(installed), { HEARTH_BROWSER_MODE: '1', DISPLAY: ':0' }, 'linux')).toEqual({
      mode: 'browser',
      why: null,
    });
  });
});
