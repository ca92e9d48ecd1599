#!/usr/bin/env node
// `npm run analyze -- ...`, `npm run explain -- ...`, `npm run plan -- ...` in this repository:
// `node scripts/cli.cjs <command> [args]` brings build/ up to date with lib/, apps/ and imports/
// (scripts/compile.cjs: only what changed since the last run) and runs that command of the
// package's own bin (build/lib/cli/main.js) in this process: compiled JavaScript, no TypeScript
// loader, Node's compile cache on (Node 22.1+), as `npm run synth` does.
'use strict';
// Node 22.1+ keeps V8's compiled code of the modules on disk (node:module enableCompileCache, in the
// system's temporary folder): later starts skip most of the parsing. On before anything else loads.
require('node:module').enableCompileCache?.();
const path = require('node:path');
const { compileStale, useVendor } = require('./compile.cjs');

const root = path.join(__dirname, '..');
compileStale(root);
// V8's code cache of build/'s modules taken after the run, functions included (lib/private/code-cache.ts), one per command.
const command = process.argv[2];
if (command && /^[a-z-]+$/.test(command)) require(path.join(root, 'build', 'lib', 'private', 'code-cache.js')).enableCodeCache({ root: path.join(root, 'build'), name: command });
// cdk8s, cdk8s-plus-27 and the other packages the build requires, from one file (compile.cjs).
useVendor(root);
const { main, runMain } = require(path.join(root, 'build', 'lib', 'cli', 'main.js'));
runMain(process.argv.slice(2), main);
