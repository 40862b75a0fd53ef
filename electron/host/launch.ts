// What `npm start` runs after the build: the Electron app when its binary is installed and a display is
// there, browser mode otherwise, saying why in one line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runBrowserMode } from './main.js';

export type ElectronLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

export interface ElectronPackageProbe {
  /** The electron package's folder, or null when it is not installed at all. */
  readonly packageDir: string | null;
  /** Reads a file, or null when it cannot be read. */
  readonly read: (path: string) => string | null;
  readonly exists: (path: string) => boolean;
  readonly overrideDistPath?: string | undefined;
}

/**
 * Finds Electron's binary the way the electron package does (its path.txt names the executable under
 * dist/), without requiring the package: its index.js starts a download, noisily, when the binary is missing.
 */
export function findElectronBinary(probe: ElectronPackageProbe): ElectronLookup {
  const notInstalled = 'Electron’s binary is not installed (it is downloaded by `npm install` on a connected machine)';
  if (probe.packageDir === null) return { found: false, reason: 'the electron package is not installed (run `npm install`)' };
  const executable = probe.read(join(probe.packageDir, 'path.txt'))?.trim();
  if (!executable) return { found: false, reason: notInstalled };
  if (executable.includes('..')) return { found: false, reason: 'the electron package names an unexpected binary path' };
  const path = join(probe.overrideDistPath || join(probe.packageDir, 'dist'), executable);
  if (!probe.exists(path)) return { found: false, reason: `${notInstalled}: nothing at ${path}` };
  return { found: true, path };
}

export type RunMode =
  { readonly mode: 'desktop'; readonly electronPath: string } | { readonly mode: 'browser'; readonly why: string | null };

export function chooseRunMode(lookup: ElectronLookup, env: Readonly<Record<string, string | undefined>>, platform: string): RunMode {
  if (env.HEARTH_BROWSER_MODE === '1') return { mode: 'browser', why: null };
  if (!lookup.found) return { mode: 'browser', why: lookup.reason };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { mode: 'browser', why: 'there is no graphical display to open a window on' };
  return { mode: 'desktop', electronPath: lookup.path };
}

export async function launch(projectRoot: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const mode = chooseRunMode(findElectronBinary(probeElectronPackage(projectRoot, env)), env, process.platform);
  if (mode.mode === 'desktop') {
    const child = spawn(mode.electronPath, [projectRoot, ...argv], { stdio: 'inherit', env });
    child.on('exit', (code) => {
      process.exitCode = code ?? 0;
    });
    return;
  }
  if (mode.why) console.log(`Starting Hearth in browser mode because ${mode.why}.`);
  await runBrowserMode(argv, env);
}

function probeElectronPackage(projectRoot: string, env: NodeJS.ProcessEnv): ElectronPackageProbe {
  let packageDir: string | null = null;
  try {
    packageDir = dirname(createRequire(join(projectRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    packageDir = null;
  }
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  return { packageDir, read, exists: existsSync, overrideDistPath: env.ELECTRON_OVERRIDE_DIST_PATH };
}
