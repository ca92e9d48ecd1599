import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the end-to-end tests, in test/e2e/. They run whole programs: `npm pack` and
// installs into temporary projects (the init scaffold, a consumer's edge), `npm run synth` on copies
// of the repository, the README's examples type-checked as a program of their own. .ci/run runs them
// after `npm test`.
export default defineConfig({
  test: {
    // The day-2 scenarios of the Pulumi program under mocks (test/infra/day2.test.ts) run here too: about
    // twenty program runs, too long for `npm test`'s budget.
    include: ['test/e2e/**/*.test.ts', 'test/infra/day2.test.ts'],
    pool: 'forks',
    // Node's compile cache and the package's code cache in a folder of this run, removed at its end.
    globalSetup: ['test/support/e2e-compile-cache.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
