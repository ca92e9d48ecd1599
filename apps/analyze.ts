// `npm run analyze -- <files or folders> [--crds <file or folder>] [--production] [--json]`:
// validates and analyzes any manifests (our output or YAML written by hand); --production adds the
// production rules (HTTPS redirects, authorization on public hosts). Exit status 1 on errors.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CrdSchemas, findingsJson, formatFindings, hasErrors, KubernetesObject, validateAndAnalyze } from '../lib';

const USAGE = 'Usage: npm run analyze -- <files or folders> [--crds <file or folder>] [--production] [--json]';

/** Reads every YAML document below the paths, remembering the file of each object. */
export function readManifests(paths: readonly string[]): { objects: KubernetesObject[]; fileOf: Map<KubernetesObject, string> } {
  const objects: KubernetesObject[] = [];
  const fileOf = new Map<KubernetesObject, string>();
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) visit(path.join(p, entry));
      return;
    }
    if (!/\.ya?ml$/.test(p)) return;
    for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
      if (doc.errors.length) throw new Error(`${p}: not valid YAML: ${doc.errors[0].message}`);
      const o = doc.toJS();
      if (o === null || o === undefined) continue;
      const items: KubernetesObject[] = o.kind === 'List' && Array.isArray(o.items) ? o.items : [o];
      for (const item of items) {
        objects.push(item);
        fileOf.set(item, p);
      }
    }
  };
  for (const p of paths) visit(p);
  return { objects, fileOf };
}

async function main(argv: string[]): Promise<number> {
  const paths: string[] = [];
  let crds: string | undefined;
  let json = false;
  let production = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--production') production = true;
    else if (argv[i] === '--crds') crds = argv[++i];
    else if (argv[i].startsWith('--')) throw new Error(`Unknown option ${argv[i]}. ${USAGE}`);
    else paths.push(argv[i]);
  }
  if (paths.length === 0 || (crds === undefined && argv.includes('--crds'))) throw new Error(USAGE);
  const { objects, fileOf } = readManifests(paths);
  const findings = await validateAndAnalyze(objects, { crds: crds ? CrdSchemas.fromPath(crds) : undefined, production });
  const file = (o: KubernetesObject) => fileOf.get(o);
  if (json) {
    process.stdout.write(`${JSON.stringify({ objects: objects.length, findings: findingsJson(findings, file) }, null, 2)}\n`);
  } else {
    if (findings.length) console.log(formatFindings(findings, file));
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    console.log(`${objects.length} objects: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos.`);
  }
  return hasErrors(findings) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  });
}
