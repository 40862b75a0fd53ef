// Loads the B4 editing trace (automerge-paper; attribution in ../fixtures/README.md) from the fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Trace } from './trace-apply.js';

export { applyPatches, B4_STATE_V2_BYTES, type Patch, type Trace } from './trace-apply.js';

export const TRACE_FILE = join(process.cwd(), 'tests/bench/fixtures/automerge-paper.json.gz');

let cached: Trace | null = null;

export function loadTrace(): Trace {
  cached ??= JSON.parse(gunzipSync(readFileSync(TRACE_FILE)).toString('utf8')) as Trace;
  return cached;
}
