// Browser mode's command line: `node dist/host/browser-host.mjs [--port N] [--lan]` serves the built
// renderer from ../renderer and prints the address to open. --lan (or HEARTH_LAN=1) also serves
// signaling on the LAN and finds other Hearths there; off by default (electron/discovery/README.md).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BROWSER_PORT, startBrowserHost } from './browser-host.js';
import { parsePort } from './port.js';
import { lanSetting } from '../discovery/lan-setting.js';
import { errorMessage } from '../../shared/errors.js';

export async function runBrowserMode(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const rootDir = join(here, '../renderer');
  const portArgument = argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : env.HEARTH_PORT;
  const port = portArgument === undefined ? DEFAULT_BROWSER_PORT : parsePort(portArgument);
  if (port === null) {
    console.error(`“${portArgument}” is not a port number (1–65535, or 0 for any free port).`);
    process.exitCode = 2;
    return;
  }
  const version = readVersion(join(here, '../../package.json'));
  const lan = lanSetting(argv, env, false);
  if (!lan.ok) {
    console.error(lan.error);
    process.exitCode = 2;
    return;
  }
  const icePolicy = env.HEARTH_LOOPBACK_ONLY === '1' ? 'loopback' : 'all';
  const started = await startBrowserHost({
    rootDir,
    port,
    version,
    icePolicy,
    ...(lan.on ? { lan: lan.address === undefined ? {} : { address: lan.address } } : {}),
    log: (line) => console.log(line),
  });
  if (started.kind === 'already-running') {
    console.log(`Hearth is already running in browser mode. Open ${started.url}`);
    return;
  }
  console.log(`Hearth (browser mode) is ready. Open ${started.url}`);
  if (started.lanPort !== undefined) {
    console.log(
      `LAN discovery is on: other Hearths on this network find this one, and reach its signaling service on port ${started.lanPort}.`,
    );
  }
  const stop = () => {
    void started.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function readVersion(packageJsonPath: string): string {
  try {
    const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runBrowserMode(process.argv.slice(2), process.env).catch((error: unknown) => {
    console.error(`Hearth could not start browser mode: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
