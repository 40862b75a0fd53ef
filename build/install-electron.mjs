// Runs after `npm install`: fetches Electron's binary through the electron package's own installer.
// npm does not run that installer by itself (dependency install scripts need approval), and where the
// download cannot happen (no internet, as in CI) Hearth still installs: `npm start` uses browser mode.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const INSTALL_TIMEOUT_MS = 5 * 60_000;
const installer = fileURLToPath(new URL('../node_modules/electron/install.js', import.meta.url));

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' || !existsSync(installer)) {
  process.exit(0);
}

const child = spawn(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: INSTALL_TIMEOUT_MS });
let errors = '';
child.stderr.on('data', (chunk) => {
  errors += chunk;
});
child.on('exit', (code, signal) => {
  if (code === 0) {
    console.log('Electron is installed: `npm start` opens the desktop app.');
  } else {
    const firstLine = errors.split('\n').find((line) => line.trim().length > 0) ?? (signal ? `stopped by ${signal}` : `exit code ${code}`);
    console.log(`Electron's binary could not be downloaded (${firstLine.trim()}); \`npm start\` will run Hearth in browser mode instead.`);
  }
  process.exit(0);
});
