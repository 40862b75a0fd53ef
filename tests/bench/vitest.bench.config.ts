// Config for the storage benchmarks only; `vitest run` (vitest.config.ts) never picks them up.
//   npx vitest run --config tests/bench/vitest.bench.config.ts
// Env: BENCH_TXNS=50000 uses the first N transactions of the trace; BENCH_OPEN_RUNS=3 repeats each open.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'bench',
    include: ['tests/bench/**/*.bench.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 60_000,
    // Print the tables as they are produced, not batched per test.
    disableConsoleIntercept: true,
    // Part 3 stores a damaged row on purpose; y-dexie throws its decoding error out of a liveQuery
    // subscriber, where nothing can catch it. That one error is the expected outcome, not a failure.
    onUnhandledError: (error) => error.message !== 'Unexpected end of array',
  },
});
