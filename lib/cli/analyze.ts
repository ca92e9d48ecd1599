/**
 * `istio-aks-edge analyze <files or folders> [--crds <file or folder>] [--production] [--json]`:
 * validates and analyzes any manifests (our output or YAML written by hand); --production adds the
 * production rules (HTTPS redirects, authorization on public hosts). Exit status 1 on errors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findingsJson, formatFindings, hasErrors, validateAndAnalyze } from '../analysis/analyze';
import { CrdSchemas } from '../analysis/crd-schema';
import { KubernetesObject } from '../kubernetes-object';

/** The usage line of `analyze`. */
export const ANALYZE_USAGE = 'Usage: istio-aks-edge analyze <files or folders> [--crds <file or folder>] [--production] [--json]';

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
      const o = doc.toJS() as unknown;
      if (o === null || o === undefined) continue;
      const list = o as { kind?: unknown; items?: unknown };
      const items = (list.kind === 'List' && Array.isArray(list.items) ? list.items : [o]) as KubernetesObject[];
      for (const item of items) {
        objects.push(item);
        fileOf.set(item, p);
      }
    }
  };
  for (const p of paths) visit(p);
  return { objects, fileOf };
}

/** The `analyze` command; returns the exit status (1 when an error is found). */
export async function analyzeCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`${ANALYZE_USAGE}\n\nValidates manifests against the Kubernetes, Istio and given CRD schemas and runs the checks\nistioctl analyze makes against a cluster. --production adds the production rules; exit status 1 on errors.`);
    return 0;
  }
  const paths: string[] = [];
  let crds: string | undefined;
  let json = false;
  let production = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--production') production = true;
    else if (argv[i] === '--crds') crds = argv[++i];
    else if (argv[i].startsWith('--')) throw new Error(`Unknown option ${argv[i]}. ${ANALYZE_USAGE}`);
    else paths.push(argv[i]);
  }
  if (paths.length === 0 || (crds === undefined && argv.includes('--crds'))) throw new Error(ANALYZE_USAGE);
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
