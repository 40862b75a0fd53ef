// Before the end-to-end tests: their own network namespace (network-namespace.ts), and one build of the
// renderer and browser mode's host for every test file to drive, and of the headless peer (a hostile
// member as its own process: signed-changes.test.ts).
import { buildTargets } from '../../build/build.mjs';
import { setUpTestNetwork } from './network-namespace.js';

export default async function setup(): Promise<() => void> {
  const teardown = setUpTestNetwork();
  await buildTargets(['renderer', 'host', 'peer']);
  return teardown;
}
