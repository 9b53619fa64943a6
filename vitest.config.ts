import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Worker threads have crashed Temporal's native bridge; separate processes are safe.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
  },
});
