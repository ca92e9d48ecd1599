/**
 * `istio-aks-edge init [folder] [--name <name>] [--package-spec <spec>] [--force]`: scaffolds a
 * project that uses the package: package.json, tsconfig.json, cdk8s.yaml, Pulumi.yaml and a dev
 * stack, an edge with one gateway, one service and one route, its synth entry and Pulumi program,
 * a snapshot test and a README. After `npm install`, `npm run synth` and `npm test` pass.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SUPPORTED_KUBERNETES_MINORS } from '../infra/program/support-window';
import { checkWritable, PathError, writeFilesAtomically } from '../private/fs';
import { packageFile } from '../private/package-files';
import { CommandIo, PROCESS_IO, UsageError } from './io';
import { DIFF_REVIEW_SCRIPT, DIFF_REVIEW_TS } from './init-diff-review';

/** The usage line of `init`. */
export const INIT_USAGE = 'Usage: istio-aks-edge init [folder] [--name <project name>] [--package-spec <npm spec of istio-aks-edge>] [--force]';

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  /**
   * The project's name (package.json and Pulumi.yaml): lower-case letters, digits and "-".
   * @default - the folder's name
   */
  readonly name?: string;
  /**
   * How the project depends on this package (an npm spec: a version range, a tarball path, ...).
   * @default - "^<this package's version>"
   */
  readonly packageSpec?: string;
  /**
   * Write into a folder that is not empty (files of the same names are replaced).
   * @default false
   */
  readonly force?: boolean;
}

interface OwnPackage {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

function ownPackage(): OwnPackage {
  return JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as OwnPackage;
}

/** The version of a dependency this package is built and tested with (exact, so a fresh project gets the same). */
function versionOf(own: OwnPackage, dep: string): string {
  const v = own.devDependencies?.[dep] ?? own.dependencies?.[dep] ?? own.peerDependencies?.[dep];
  if (!v) throw new Error(`istio-aks-edge init: no version of ${dep} in the package's own package.json: the package is incomplete.`);
  return v;
}

/** The files of a new project, by relative path. */
export function projectFiles(name: string, packageSpec?: string): Record<string, string> {
  const own = ownPackage();
  const v = (dep: string) => versionOf(own, dep);
  const packageJson = {
    name,
    version: '0.1.0',
    private: true,
    description: 'An Istio ingress edge on AKS, with istio-aks-edge',
    engines: { node: '>=22' },
    scripts: {
      synth: 'cdk8s synth --no-check-upgrade',
      test: 'tsc -p . && vitest run',
      analyze: 'istio-aks-edge analyze dist',
      plan: 'istio-aks-edge plan dev',
      'diff:review': DIFF_REVIEW_SCRIPT,
    },
    dependencies: {
      [own.name]: packageSpec ?? `^${own.version}`,
      '@pulumi/azure-native': v('@pulumi/azure-native'),
      '@pulumi/kubernetes': v('@pulumi/kubernetes'),
      '@pulumi/pulumi': v('@pulumi/pulumi'),
      cdk8s: v('cdk8s'),
      constructs: v('constructs'),
      tsx: v('tsx'),
    },
    devDependencies: {
      '@types/node': v('@types/node'),
      'cdk8s-cli': v('cdk8s-cli'),
      typescript: v('typescript'),
      vitest: v('vitest'),
    },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022', lib: ['ES2022'], module: 'nodenext', moduleResolution: 'nodenext', strict: true,
      esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'],
    },
    include: ['*.ts', 'test/**/*.ts'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\ndiff-review.md\n',
    'cdk8s.yaml': [
      '# `npm run synth` (= `cdk8s synth`) runs main.ts with CDK8S_OUTDIR=dist: dist/<environment>/.',
      'language: typescript',
      'app: node --import tsx main.ts',
      'output: dist',
      '',
    ].join('\n'),
    'Pulumi.yaml': [
      `name: ${name}`,
      'description: AKS, the Istio control plane and the edge (istio-aks-edge)',
      'runtime:',
      '  name: nodejs',
      '  options:',
      '    # TypeScript through tsx, as CommonJS; `npm test` type-checks it.',
      '    typescript: false',
      '    nodeargs: --import tsx',
      'main: pulumi.ts',
      '',
    ].join('\n'),
    'Pulumi.dev.yaml': [
      '# The stack\'s configuration: the keys are in the istio-aks-edge namespace (see the package\'s README).',
      'config:',
      '  azure-native:location: westeurope',
      '  istio-aks-edge:environment: dev',
      '  istio-aks-edge:location: westeurope',
      '  # Inside the window AKS and the pinned Istio release share (the package checks it). Quote it:',
      '  # unquoted, YAML reads 1.30 as 1.3.',
      `  istio-aks-edge:kubernetesVersion: "${SUPPORTED_KUBERNETES_MINORS[SUPPORTED_KUBERNETES_MINORS.length - 1]}"`,
      '  istio-aks-edge:zones: ["1", "2", "3"]',
      '  istio-aks-edge:systemPool:',
      '    name: system',
      '    vmSize: Standard_D2ds_v5',
      '    # At least one node per zone (minCount >= the number of zones).',
      '    minCount: 3',
      '    maxCount: 4',
      '  istio-aks-edge:userPools:',
      '    - name: apps',
      '      vmSize: Standard_D4ds_v5',
      '      minCount: 3',
      '      maxCount: 6',
      '  istio-aks-edge:istio:',
      '    mode: helm',
      '    version: 1.30.3',
      '  istio-aks-edge:monitoring:',
      '    enabled: false',
      '',
    ].join('\n'),
    'edge.ts': EDGE_TS.replace(/__NAME__/g, name),
    'main.ts': MAIN_TS,
    'pulumi.ts': PULUMI_TS,
    'test/edge.test.ts': TEST_TS,
    'diff-review.ts': DIFF_REVIEW_TS,
    'README.md': README_MD.replace(/__NAME__/g, name),
  };
}

const EDGE_TS = `// The edge: one HTTPS gateway, one service, one route. Edit it; \`npm run synth\` writes it,
// \`npm test\` checks it, \`pulumi up\` deploys it.
import { ApiObject, App, Chart } from 'cdk8s';
import {
  AppNamespace, Certificate, IngressGateway, PathMatch, PodSecurityLevel, podSecurityLabels, SUPPRESS_ANNOTATION_PREFIX, Traffic, VersionedService,
} from 'istio-aks-edge';

/** What differs between environments. */
export interface Environment {
  /** Production rules apply in the analysis. */
  readonly production: boolean;
  /** The hosts the gateway serves. */
  readonly hosts: string[];
  /** The TLS secret (in the gateway's namespace) with the hosts' certificate. */
  readonly tlsSecret: string;
  /** The gateway's static public IP and its resource group (the Pulumi program creates both). */
  readonly publicIp: { readonly name: string; readonly resourceGroup: string };
}

/** The environments: a folder under dist/ and a Pulumi stack each. */
export const environments: Record<string, Environment> = {
  dev: {
    production: false,
    hosts: ['__NAME__.dev.example.com'],
    tlsSecret: '__NAME__-dev-tls',
    publicIp: { name: 'pip-__NAME__-dev', resourceGroup: 'rg-__NAME__-dev' },
  },
};

/** What the cluster decides (the Pulumi program passes its facts; synth uses the defaults). */
export interface ClusterFacts {
  /** The Istio revision of the sidecars. */
  readonly istioRevision?: string;
  /** The stack's override of the hosts. */
  readonly hostnames?: readonly string[];
}

/** The edge of one environment as a cdk8s App. */
export function buildEdge(environment: string, facts: ClusterFacts = {}): App {
  const env = environments[environment];
  if (!env) throw new Error(\`Unknown environment "\${environment}": use one of \${Object.keys(environments).join(', ')}.\`);
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  new ApiObject(chart, 'gateway-namespace', {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: 'istio-ingress', labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) },
  });
  const gateway = new IngressGateway(chart, 'gateway', {
    namespace: 'istio-ingress',
    hosts: facts.hostnames ? [...facts.hostnames] : env.hosts,
    https: { certificate: Certificate.fromSecret(env.tlsSecret), redirectHttp: true },
    azure: { publicIp: env.publicIp },
  });
  // The certificate's Secret is created outside these manifests (by hand or by cert-manager).
  ApiObject.of(gateway.gateway).metadata.addAnnotation(\`\${SUPPRESS_ANNOTATION_PREFIX}GatewayCredentialNotFound\`, 'the TLS secret is created outside these manifests');
  new AppNamespace(chart, 'apps', { name: 'apps', istioRevision: facts.istioRevision, gateways: [gateway] });
  const web = new VersionedService(chart, 'web', {
    namespace: 'apps',
    port: 8080,
    versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1.0.0', replicas: 2 }],
  });
  gateway.addRoute('web', {
    namespace: 'apps',
    routes: [{ name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')) }],
  });
  web.allowFrom(gateway);
  return app;
}
`;

const MAIN_TS = `// The \`cdk8s synth\` entry: dist/<environment>/ for every environment, validated and analyzed
// (errors fail the synth).
import * as path from 'node:path';
import { synthAndCheck } from 'istio-aks-edge';
import { buildEdge, environments } from './edge';

async function main(): Promise<void> {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const [name, env] of Object.entries(environments)) {
    await synthAndCheck(buildEdge(name), { outdir: path.join(outdir, name), production: env.production });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
`;

const PULUMI_TS = `// The Pulumi program: \`pulumi up\` creates AKS, the gateway's public IP and Istio, and applies the
// edge of the stack's environment (config istio-aks-edge:environment) exactly as it synthesizes.
import { edgeProgram } from 'istio-aks-edge/pulumi';
import { buildEdge, environments } from './edge';

export = edgeProgram((facts) => buildEdge(facts.environment, facts), { environments: Object.keys(environments) });
`;

const TEST_TS = `// The edge of every environment: valid, clean in the analysis, and as reviewed (the snapshot files
// in test/__snapshots__/ are written on the first run: review and commit them).
import { describe, expect, it } from 'vitest';
import { manifestsToYaml, synthesizeApp } from 'istio-aks-edge';
import { formatFindings, hasErrors, validateAndAnalyze } from 'istio-aks-edge/analysis';
import { buildEdge, environments } from '../edge';

describe.each(Object.keys(environments))('edge %s', (name) => {
  const objects = synthesizeApp(buildEdge(name)).flatMap((c) => c.objects);

  it('passes validation and analysis', async () => {
    const findings = await validateAndAnalyze(objects, { production: environments[name].production });
    expect(hasErrors(findings), formatFindings(findings)).toBe(false);
  }, 60_000); // the first validation loads the Kubernetes and Istio schemas

  it('synthesizes the reviewed manifests', async () => {
    await expect(manifestsToYaml(objects)).toMatchFileSnapshot(\`__snapshots__/\${name}.k8s.yaml\`);
  });
});
`;

const README_MD = `# __NAME__

An Istio ingress edge on AKS, written with [istio-aks-edge](https://www.npmjs.com/package/istio-aks-edge).

\`\`\`sh
npm install
npm run synth      # dist/<environment>/*.k8s.yaml, validated and analyzed
npm test           # type check, the edge's checks and snapshots (commit test/__snapshots__/)
npm run plan       # what \\\`pulumi up\\\` would create for the dev stack, under mocks
pulumi up -s dev   # AKS, Istio and the edge (needs an Azure login: az login)
npm run diff:review -- --rev origin/main   # what your change does to requests: diff-review.md
\`\`\`

- \`edge.ts\`: the edge (gateway, services, routes) and its environments.
- \`main.ts\`: the \`cdk8s synth\` entry (cdk8s.yaml).
- \`pulumi.ts\`: the Pulumi program (Pulumi.yaml); the stack's settings are in \`Pulumi.dev.yaml\`.
- \`diff-review.ts\`: \`npm run diff:review\` synthesizes the working tree's edge and the edge of the last
  commit (or \`--rev <revision>\`) and writes which requests get another outcome to \`diff-review.md\`, a
  pull-request comment (the istio-aks-edge README shows the GitHub Actions step that posts it).
`;

/** Writes a new project into `dir`; returns the relative paths written. */
export function scaffold(dir: string, options: ScaffoldOptions = {}): string[] {
  const name = options.name ?? path.basename(path.resolve(dir));
  if (!/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(name)) {
    throw new UsageError(`invalid project name: received "${name}". Use 2-40 lower-case letters, digits and "-", starting with a letter (--name <name>).`);
  }
  const files = projectFiles(name, options.packageSpec);
  // Every target path is checked before anything is written, and the files are written all or
  // nothing: a path in the way (a folder where a file goes, a file where a folder goes) or a folder
  // that cannot be created (/proc/x) is a usage error, and the folder is left as it was.
  try {
    checkWritable(dir, Object.keys(files));
    if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
      throw new UsageError(`${dir} is not empty. Use an empty or new folder, or --force to write into it.`);
    }
    writeFilesAtomically(dir, files);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof PathError) throw new UsageError(`${e.message}\n${INIT_USAGE}`);
    throw new UsageError(`cannot write the project to ${dir}: ${(e as Error).message}. Nothing was written.`);
  }
  return Object.keys(files);
}

/** The `init` command; returns the exit status. */
export function runInit(args: readonly string[], io: CommandIo = PROCESS_IO): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${INIT_USAGE}\n\nScaffolds a project: package.json, tsconfig.json, cdk8s.yaml, Pulumi.yaml and a dev stack, an edge\nwith one gateway, one service and one route (edge.ts), the synth entry, the Pulumi program, a snapshot\ntest and a README. Then: npm install && npm run synth && npm test.\n`);
    return 0;
  }
  const positional: string[] = [];
  const options: { name?: string; packageSpec?: string; force?: boolean } = {};
  const value = (i: number, option: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('-')) throw new UsageError(`${option} takes a value.\n${INIT_USAGE}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--name') options.name = value(++i, a);
    else if (a === '--package-spec') options.packageSpec = value(++i, a);
    else if (a === '--force') options.force = true;
    else if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}.\n${INIT_USAGE}`);
    else positional.push(a);
  }
  if (positional.length > 1) throw new UsageError(`Give one folder; received ${positional.length}: ${positional.join(' ')}.\n${INIT_USAGE}`);
  const dir = path.resolve(positional[0] ?? '.');
  const written = scaffold(dir, options);
  io.stdout(`Created ${written.length} files in ${path.relative(process.cwd(), dir) || '.'}: ${written.join(', ')}.\n`);
  io.stdout('Next: npm install && npm run synth && npm test   (then npm run plan, and pulumi up)\n');
  return 0;
}
