// `npm start`: builds the app, then opens the Electron app or, where it cannot run, browser mode.
import { fileURLToPath } from 'node:url';
import { buildTargets } from './build.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

try {
  console.log('Building Hearth…');
  await buildTargets();
  const { launch } = await import('../dist/host/launch.mjs');
  await launch(projectRoot, process.argv.slice(2), process.env);
} catch (error) {
  console.error(`Hearth could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
