import { defineConfig } from 'vitest/config';

// `npm test`'s tests: everything under test/ but the end-to-end tests in test/e2e/ (`npm run test:e2e`,
// vitest.e2e.config.mts), which pack, install and spawn whole programs, and the day-2 scenarios of the
// Pulumi program (test/infra/day2.test.ts: about twenty runs of the program under mocks, the largest
// file by far), which run there too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/infra/day2.test.ts', '**/node_modules/**'],
    // Synthesizing and validating charts is CPU-bound; two workers match the CI machine.
    pool: 'forks',
    // One module graph per worker instead of one per test file: cdk8s, the generated Istio classes and
    // the schemas load once per worker, not once per file (about a quarter of the suite's CPU time was
    // spent importing them again). No test depends on a fresh module state; Pulumi's mocks are set per
    // test file before the program runs (test/infra/).
    isolate: false,
    testTimeout: 60_000,
  },
});
