// Builds the headless peer once before the integration tests start several of them.
import { buildTargets } from '../../build/build.mjs';

export default async function setup(): Promise<void> {
  await buildTargets(['peer']);
}
