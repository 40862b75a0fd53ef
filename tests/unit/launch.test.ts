import { describe, expect, it } from 'vitest';
import { chooseRunMode, findElectronBinary } from '../../electron/host/launch.js';

const throwsLikeElectronWithoutBinary = () => {
  throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
};

describe('npm start chooses desktop or browser mode', () => {
  it('falls back to browser mode, with a reason, when the binary was never downloaded', () => {
    const lookup = findElectronBinary(throwsLikeElectronWithoutBinary, () => true);
    expect(lookup).toMatchObject({ found: false });
    const mode = chooseRunMode(lookup, { DISPLAY: ':0' }, 'linux');
    expect(mode.mode).toBe('browser');
    expect(mode.mode === 'browser' && mode.why).toMatch(/Electron’s binary is not installed/);
  });

  it('falls back when the package names a binary that is not on disk', () => {
    const lookup = findElectronBinary(() => '/nowhere/electron', () => false);
    expect(chooseRunMode(lookup, { DISPLAY: ':0' }, 'linux')).toMatchObject({ mode: 'browser', why: expect.stringContaining('/nowhere/electron') });
  });

  it('falls back on Linux with no display, and opens the desktop app where there is one', () => {
    const lookup = findElectronBinary(() => '/opt/electron', () => true);
    expect(chooseRunMode(lookup, {}, 'linux')).toMatchObject({ mode: 'browser', why: expect.stringContaining('no graphical display') });
    expect(chooseRunMode(lookup, { WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ mode: 'desktop', electronPath: '/opt/electron' });
    expect(chooseRunMode(lookup, {}, 'darwin')).toEqual({ mode: 'desktop', electronPath: '/opt/electron' });
  });

  it('honours HEARTH_BROWSER_MODE=1 without calling it a failure', () => {
    const lookup = findElectronBinary(() => '/opt/electron', () => true);
    expect(chooseRunMode(lookup, { HEARTH_BROWSER_MODE: '1', DISPLAY: ':0' }, 'linux')).toEqual({ mode: 'browser', why: null });
  });

  it('treats a package that exports something other than a path as missing', () => {
    expect(findElectronBinary(() => ({ not: 'a path' }), () => true)).toMatchObject({ found: false });
  });
});
