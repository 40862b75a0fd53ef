// Builds the renderer and browser mode's host once before the end-to-end tests drive them.
import { buildTargets } from '../../build/build.mjs';

export default async function setup(): Promise<void> {
  await buildTargets(['renderer', 'host']);
}
