#!/usr/bin/env node
// `npm run synth [-- --output <dir>] [--quiet] [--json]`, and the app cdk8s.yaml gives `cdk8s synth`: brings build/ up
// to date with lib/, apps/ and imports/ (scripts/compile.cjs: only what changed since the last run,
// so an edit is never run stale), then runs the example's synth entry, build/apps/main.js, in this
// process: compiled JavaScript, no TypeScript loader. The output folder is --output (-o), else
// $CDK8S_OUTDIR (set by `cdk8s synth`), else dist. It ends with one line saying what it wrote (files,
// objects, findings by severity, time); --quiet leaves only errors and warnings, --json prints the
// summary as JSON (both read by the app: lib/synth/synth-command.ts runSynth).
'use strict';
// Node 22.1+ keeps V8's compiled code of the modules on disk (node:module enableCompileCache, in the
// system's temporary folder): later starts skip most of the parsing. On before anything else loads.
require('node:module').enableCompileCache?.();
const fs = require('node:fs');
const path = require('node:path');
const { compileStale, useVendor } = require('./compile.cjs');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
let output;
for (let i = 0; i < args.length; i++) {
  if ((args[i] === '--output' || args[i] === '-o') && args[i + 1]) output = args[++i];
  else if (args[i].startsWith('--output=')) output = args[i].slice('--output='.length);
  else if (args[i] !== '--quiet' && args[i] !== '--json') {
    console.error(`synth: unknown argument ${args[i]}: the options are --output <dir> (default: $CDK8S_OUTDIR, else dist), --quiet and --json.`);
    process.exit(2);
  }
}
// `cdk8s synth` deletes its output folder before it runs the app (cdk8s-cli's synth command:
// fs.rmSync(outdir, { recursive: true })), so a failed synth would leave no dist/ at all. cdk8s.yaml
// therefore gives the CLI a scratch folder (output: build/cdk8s.out) and the app `--output dist`:
// the app writes dist/ itself, all or nothing, and on success copies what it wrote into the
// CLI's folder ($CDK8S_OUTDIR), so that `cdk8s synth` lists the manifests and `--stdout` prints them.
const cliOutdir = process.env.CDK8S_OUTDIR;
if (output !== undefined) process.env.CDK8S_OUTDIR = output;
const written = process.env.CDK8S_OUTDIR ?? 'dist';
if (cliOutdir !== undefined && path.resolve(cliOutdir) !== path.resolve(written)) {
  process.on('exit', (code) => {
    if (code === 0) fs.cpSync(written, cliOutdir, { recursive: true, filter: (src) => !src.endsWith('.tmp') });
  });
}
const { transpiled, removed, validators, models, vendor } = compileStale(root);
// V8's code cache of build/'s modules taken after the run, functions included (lib/private/code-cache.ts).
require(path.join(root, 'build', 'lib', 'private', 'code-cache.js')).enableCodeCache({ root: path.join(root, 'build'), name: 'synth' });
// cdk8s, cdk8s-plus-27 and the other packages the build requires, from one file (compile.cjs).
useVendor(root);
if (process.env.SYNTH_VERBOSE) console.error(`synth: transpiled ${transpiled.length}, removed ${removed.length}, validators ${validators ? 'generated' : 'up to date'}, models ${models ? 'bundled' : 'up to date'}, vendor ${vendor ? 'bundled' : 'up to date'}`);
require(path.join(root, 'build', 'apps', 'main.js'));
