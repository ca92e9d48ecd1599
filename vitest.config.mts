import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Synthesizing and validating charts is CPU-bound; two workers match the CI machine.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
