// Builds the headless peer once before the integration tests start several of them, and browser mode's
// host, which hostile-host.test.ts attacks as its own process.
import { buildTargets } from '../../build/build.mjs';

export default async function setup(): Promise<void> {
  await buildTargets(['peer', 'host']);
}
