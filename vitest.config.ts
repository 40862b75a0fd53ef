// `vitest run` runs three projects: unit tests in Node (fast, many files in parallel), integration
// tests with several peer processes over real WebRTC on loopback, and end-to-end tests that drive
// Debian's Chromium against browser mode (one file at a time; they start servers).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/plain-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          // Each test runs several peer processes; on two cores, one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          // Whole user stories in a real browser; on two busy cores the longest take over a minute.
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
