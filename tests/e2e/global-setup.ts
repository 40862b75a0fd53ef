// Before the end-to-end tests: their own network namespace (network-namespace.ts), and one build of the
// renderer and browser mode's host for every test file to drive.
import { buildTargets } from '../../build/build.mjs';
import { setUpTestNetwork } from './network-namespace.js';

export default async function setup(): Promise<() => void> {
  const teardown = setUpTestNetwork();
  await buildTargets(['renderer', 'host']);
  return teardown;
}
