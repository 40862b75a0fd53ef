// Config for the store-choice benchmark only; `vitest run` (vitest.config.ts) never picks it up.
//   npx vitest run --config tests/bench/vitest.bench.config.ts
// Env knobs (BENCH_TXNS, BENCH_FULL, BENCH_OPEN_RUNS, BENCH_TRACE) are described in store-choice.bench.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'bench',
    include: ['tests/bench/store-choice.bench.ts'],
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
