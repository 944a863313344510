import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // a shared 2-core CI machine: polled UI and socket assertions get room
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
