import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    include: ['test/**/*.test.ts'],
    // 2-core CI machines: CDK bundling and dynalite start-up are slow under a parallel suite.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
