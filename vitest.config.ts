import { defineConfig } from 'vitest/config';

// Two cores: broker-heavy suites run in at most two forks. Every wait in the tests is bounded.
// The JSON report feeds the "N passed, N failed" line that .ci/run prints.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
