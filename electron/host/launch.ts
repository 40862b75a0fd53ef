// What `npm start` runs after the build: the Electron app when its binary is installed and a display is
// there, browser mode otherwise, saying why in one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runBrowserMode } from './main.js';

export type ElectronLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string };

/** The `electron` package exports the binary's path, and throws when its download never happened. */
export function findElectronBinary(load: (id: string) => unknown, exists: (path: string) => boolean): ElectronLookup {
  let path: unknown;
  try {
    path = load('electron');
  } catch {
    return { found: false, reason: 'Electron’s binary is not installed (it is downloaded by `npm install` on a connected machine)' };
  }
  if (typeof path !== 'string' || path.length === 0) return { found: false, reason: 'the electron package did not name its binary' };
  if (!exists(path)) return { found: false, reason: `Electron’s binary is missing at ${path}` };
  return { found: true, path };
}

export type RunMode = { readonly mode: 'desktop'; readonly electronPath: string } | { readonly mode: 'browser'; readonly why: string | null };

export function chooseRunMode(lookup: ElectronLookup, env: Readonly<Record<string, string | undefined>>, platform: string): RunMode {
  if (env.HEARTH_BROWSER_MODE === '1') return { mode: 'browser', why: null };
  if (!lookup.found) return { mode: 'browser', why: lookup.reason };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { mode: 'browser', why: 'there is no graphical display to open a window on' };
  return { mode: 'desktop', electronPath: lookup.path };
}

export async function launch(projectRoot: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const load = createRequire(join(projectRoot, 'package.json'));
  const mode = chooseRunMode(findElectronBinary(load, existsSync), env, process.platform);
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
