// Builds every target of vite.config.ts: the renderer, then the Electron main process, the preload and
// browser mode's host. `node build/build.mjs renderer host` builds only the named ones.
import { build } from 'vite';

const ALL_TARGETS = ['renderer', 'main', 'preload', 'host'];
// Built on demand by the tests that need it, not by `npm start`.
const EXTRA_TARGETS = ['peer'];

export async function buildTargets(targets = ALL_TARGETS) {
  // Always a production build (React's production runtime, no dev checks), even when called from a
  // test runner that set NODE_ENV=test; the caller's value is restored afterwards.
  const callerEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildEach(targets);
  } finally {
    if (callerEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerEnv;
  }
}

async function buildEach(targets) {
  for (const mode of targets) {
    if (!ALL_TARGETS.includes(mode) && !EXTRA_TARGETS.includes(mode))
      throw new Error(`Unknown build target “${mode}”; expected one of ${[...ALL_TARGETS, ...EXTRA_TARGETS].join(', ')}.`);
    await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, mode, logLevel: 'warn' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const requested = process.argv.slice(2);
  buildTargets(requested.length > 0 ? requested : ALL_TARGETS).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
