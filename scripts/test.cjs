#!/usr/bin/env node
// `npm test`: the type check (tsc), the linter (eslint) and the test suite (vitest, without the
// end-to-end tests of `npm run test:e2e`), run side by side. On a 2-core machine the suite's two
// workers leave a core idle between files, and tsc and eslint fill it. tsc keeps its incremental
// state under node_modules/.cache/ (a contributor's second run checks only what changed; a fresh
// clone has none, as CI does). eslint runs without a cache: its cache keys files by their own
// content, so a type-aware rule would not see a change in a file they import. Their output is printed when each finishes, the suite's as it runs;
// the exit status is the first failure's, or 0.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const cache = path.join(root, 'node_modules', '.cache');
const extra = process.argv.slice(2);

const steps = [
  { name: 'tsc', cmd: bin('tsc'), args: ['-p', '.', '--incremental', '--tsBuildInfoFile', path.join(cache, 'tsc', 'tsconfig.tsbuildinfo')], buffered: true },
  { name: 'eslint', cmd: bin('eslint'), args: ['.'], buffered: true },
  { name: 'vitest', cmd: bin('vitest'), args: ['run', ...extra], buffered: false },
];

const started = Date.now();
const results = steps.map((step) => new Promise((resolve) => {
  const child = spawn(step.cmd, step.args, { cwd: root, stdio: step.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  let out = '';
  if (step.buffered) {
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
  }
  child.on('error', (e) => resolve({ step, code: 1, out: `${step.name}: ${e.message}\n` }));
  child.on('close', (code, signal) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (step.buffered) process.stdout.write(`${out}${step.name}: ${code === 0 ? 'passed' : 'FAILED'} (${seconds} s)\n`);
    resolve({ step, code: code ?? (signal ? 1 : 0) });
  });
}));

Promise.all(results).then((all) => {
  const failed = all.filter((r) => r.code !== 0).map((r) => r.step.name);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(failed.length === 0 ? `npm test: tsc, eslint and vitest passed in ${seconds} s` : `npm test: ${failed.join(', ')} failed (${seconds} s)`);
  process.exit(failed.length === 0 ? 0 : (all.find((r) => r.code !== 0).code || 1));
});
