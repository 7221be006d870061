import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: '.',
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file opens its own embedded database (seconds and hundreds of MB): two at a time on a 2-core machine.
    maxWorkers: 2,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
