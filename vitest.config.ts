import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: '.',
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // A wait for something to happen (a push decrypted, a webhook received) is not a timing test: on a loaded
    // two-core machine it may take seconds, so a poll waits up to 10 s unless the test says otherwise.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    // Each file opens its own embedded database (seconds and hundreds of MB): two at a time on a 2-core machine.
    maxWorkers: 2,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
