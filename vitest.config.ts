import { defineConfig } from 'vitest/config';

// Three projects so `npm test` runs them in order (unit → integration → e2e) and each can be run alone.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // A few property tests run thousands of cases: on a loaded 2-core CI box they need
          // more than the default 5 s (speed is measured in bench/, not here).
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts', 'tests/e2e/global-setup.ts'],
          // Flows that wait on simulated officers (up to 90 s on a loaded machine) in several steps.
          testTimeout: 240_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
