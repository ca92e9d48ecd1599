/**
 * `istio-aks-edge init [folder] [--template plain|canary|rate-limited|mesh] [--host H] [--region R]
 * [--resource-group G] [--public-ip P] [--name N] [--package-spec S] [--force] [--no-install]
 * [--quiet] [--json]`: scaffolds a project that uses the package (package.json with every tool
 * wired, tsconfig.json, cdk8s.yaml, Pulumi.yaml and a dev stack, the edge of the chosen template,
 * its synth entry and Pulumi program, a request table, a test and a README), then installs it and
 * runs its first synth and test. On a terminal it asks for the values not given; elsewhere it uses
 * placeholders and says which to edit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SUPPORTED_KUBERNETES_MINORS } from '../infra/program/support-window';
import { checkWritable, PathError, writeFilesAtomically } from '../private/fs';
import { packageFile } from '../private/package-files';
import { CommandIo, PROCESS_IO, UsageError } from './io';
import { DIFF_REVIEW_SCRIPT, DIFF_REVIEW_TS } from './init-diff-review';
import { TEMPLATE_SUMMARIES, templateEdge, TemplateName, templateRequests, TEMPLATES } from './init-templates';

/** The usage text of `init`. */
export const INIT_USAGE = `Usage: istio-aks-edge init [folder] [options]

Scaffolds a project in the folder (default: the current folder; it must be empty or new): an edge
(edge.ts) from a template, its synth entry (main.ts), its Pulumi program (pulumi.ts) and dev stack,
a request table (requests/dev.yaml), a test and a README; package.json wires synth, test,
test:update, check, explain, graph, gateway-api, analyze and plan. Then it runs npm install, the
first synth and the tests, and prints the next commands. On a terminal it asks for the values not
given; without one it uses placeholders and says where to edit them.

Options:
  --template <t>          ${TEMPLATES.join(' | ')} (default plain)
${TEMPLATES.map((t) => `                            ${t}: ${TEMPLATE_SUMMARIES[t]}`).join('\n')}
  --host <host>           the host the gateway serves (default <name>.dev.example.com)
  --region <region>       the Azure region of the dev stack (default westeurope)
  --resource-group <rg>   the resource group of the gateway's public IP (default rg-<name>-dev)
  --public-ip <name>      the name of the gateway's static public IP (default pip-<name>-dev)
  --name <name>           the project's name (default: the folder's name)
  --package-spec <spec>   how the project depends on istio-aks-edge (default: the tarball init runs
                          from, when it was installed from one, else ^<this version>)
  --force                 write into a folder that is not empty (files of the same names are replaced)
  --no-install            only write the files (no npm install, synth or test)
  --quiet                 print only errors and the last line
  --json                  print what was done as JSON
  --help                  show this help

Exit status: 0 done, 1 the install, synth or test failed (the files are written), 2 a usage error
(nothing written).`;

/** The values a project is made of. */
export interface ProjectOptions {
  /**
   * How the project depends on this package (an npm spec: a version range, a tarball path, ...).
   * @default - "^<this package's version>"
   */
  readonly packageSpec?: string;
  /**
   * The starting point.
   * @default 'plain'
   */
  readonly template?: TemplateName;
  /**
   * The host the gateway serves.
   * @default - "<name>.dev.example.com"
   */
  readonly host?: string;
  /**
   * The Azure region of the dev stack.
   * @default 'westeurope'
   */
  readonly region?: string;
  /**
   * The resource group of the gateway's public IP (the Pulumi program creates it).
   * @default - "rg-<name>-dev"
   */
  readonly resourceGroup?: string;
  /**
   * The name of the gateway's static public IP (the Pulumi program creates it).
   * @default - "pip-<name>-dev"
   */
  readonly publicIp?: string;
}

/** Options of {@link scaffold}. */
export interface ScaffoldOptions extends ProjectOptions {
  /**
   * The project's name (package.json and Pulumi.yaml): lower-case letters, digits and "-".
   * @default - the folder's name
   */
  readonly name?: string;
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

/**
 * The tarball this package was installed from, as an absolute `file:` spec, when it was (a
 * pre-release run as `npx --yes --package=./istio-aks-edge-<version>.tgz istio-aks-edge init ...`: npm installs it into a
 * folder whose package.json names it), so that the new project depends on the same tarball.
 */
export function installedFromTarball(packageRoot: string): string | undefined {
  if (path.basename(path.dirname(packageRoot)) !== 'node_modules') return undefined;
  const project = path.dirname(path.dirname(packageRoot));
  let spec: unknown;
  try {
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { dependencies?: Record<string, unknown> };
    spec = pkg.dependencies?.[path.basename(packageRoot)];
  } catch {
    return undefined;
  }
  if (typeof spec !== 'string') return undefined;
  const file = spec.startsWith('file:') ? spec.slice('file:'.length) : /^(\.{0,2}\/|[A-Za-z]:\\).*\.tgz$/.test(spec) ? spec : undefined;
  if (file === undefined || !file.endsWith('.tgz')) return undefined;
  const absolute = path.resolve(project, file);
  return existsSync(absolute) ? `file:${absolute}` : undefined;
}

const DNS_HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const AZURE_REGION = /^[a-z][a-z0-9]{2,39}$/;
// Azure: resource groups 1-90 of letters, digits, _ - . ( ) not ending with "."; public IPs 1-80 of letters, digits, _ - . starting with a letter or digit, ending with a letter, digit or _.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const PUBLIC_IP = /^[A-Za-z0-9]([-\w.]{0,78}\w)?$/;

/** Checks the values of a project; throws a {@link UsageError} naming the option, the value and the rule. */
export function checkProjectOptions(o: ProjectOptions): void {
  const bad = (option: string, value: string, rule: string) => new UsageError(`${option}: invalid value "${value}". ${rule}`);
  if (o.template !== undefined && !(TEMPLATES as readonly string[]).includes(o.template)) throw bad('--template', o.template, `Use one of ${TEMPLATES.join(', ')}.`);
  if (o.host !== undefined && !DNS_HOST.test(o.host)) throw bad('--host', o.host, 'Give a DNS name in lower case, for example shop.example.com.');
  if (o.region !== undefined && !AZURE_REGION.test(o.region)) throw bad('--region', o.region, 'Give an Azure region name as az account list-locations prints it, for example westeurope.');
  if (o.resourceGroup !== undefined && !RESOURCE_GROUP.test(o.resourceGroup)) throw bad('--resource-group', o.resourceGroup, 'Azure allows 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending with ".".');
  if (o.publicIp !== undefined && !PUBLIC_IP.test(o.publicIp)) throw bad('--public-ip', o.publicIp, 'Azure allows 1-80 letters, digits, "_", "-" and ".", starting with a letter or digit and ending with a letter, digit or "_".');
}

/** The values a project gets when none is given. */
export function defaultsOf(name: string): Required<Omit<ProjectOptions, 'packageSpec'>> {
  return { template: 'plain', host: `${name}.dev.example.com`, region: 'westeurope', resourceGroup: `rg-${name}-dev`, publicIp: `pip-${name}-dev` };
}

/** The scripts of the project's package.json: every tool of the package, for the dev environment. */
export function projectScripts(): Record<string, string> {
  return {
    synth: 'node --import tsx main.ts',
    test: 'tsc -p . && vitest run',
    'test:update': 'vitest run -u',
    check: 'istio-aks-edge explain dist/dev --check requests/dev.yaml',
    explain: 'istio-aks-edge explain dist/dev',
    graph: 'istio-aks-edge explain dist/dev --graph dist/dev/edge.svg --force',
    'gateway-api': 'istio-aks-edge gateway-api dist/dev --output dist/gateway-api/dev/edge.k8s.yaml --force',
    analyze: 'istio-aks-edge analyze dist/dev',
    plan: 'istio-aks-edge plan dev',
    'diff:review': DIFF_REVIEW_SCRIPT,
  };
}

/** The files of a new project, by relative path. */
export function projectFiles(name: string, options: ProjectOptions = {}): Record<string, string> {
  const own = ownPackage();
  const v = (dep: string) => versionOf(own, dep);
  const values = { ...defaultsOf(name), ...Object.fromEntries(Object.entries(options).filter(([, x]) => x !== undefined)) } as Required<Omit<ProjectOptions, 'packageSpec'>>;
  const packageJson = {
    name,
    version: '0.1.0',
    private: true,
    description: 'An Istio ingress edge on AKS, with istio-aks-edge',
    engines: { node: '>=22' },
    scripts: projectScripts(),
    dependencies: {
      [own.name]: options.packageSpec ?? `^${own.version}`,
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
  const template = { name, host: values.host, resourceGroup: values.resourceGroup, publicIp: values.publicIp };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n.cdk8s.out/\ndiff-review.md\n',
    'cdk8s.yaml': [
      '# `npm run synth` runs main.ts, which writes dist/<environment>/ itself and never removes a file it',
      '# did not write. `cdk8s synth` works too: it empties its own output folder before it runs the app,',
      '# so that folder is a scratch one (.cdk8s.out), and the app writes dist/ and copies what it wrote there.',
      'language: typescript',
      'app: node --import tsx main.ts --output dist',
      'output: .cdk8s.out',
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
      `  azure-native:location: ${values.region}`,
      '  istio-aks-edge:environment: dev',
      `  istio-aks-edge:location: ${values.region}`,
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
    'edge.ts': templateEdge(values.template, template),
    'main.ts': MAIN_TS,
    'pulumi.ts': PULUMI_TS,
    'requests/dev.yaml': templateRequests(values.template, template),
    'test/edge.test.ts': TEST_TS,
    'diff-review.ts': DIFF_REVIEW_TS,
    'README.md': readme(name, values.host),
  };
}

const MAIN_TS = `// The synth entry (\`npm run synth\`): dist/<environment>/ for every environment, validated and
// analyzed (errors fail the synth and write nothing), with a picture of the edge (edge.svg, edge.md).
// It never removes a file it did not write, and says what it wrote in one line (--quiet: errors and
// warnings only; --json: the summary as JSON; --output <dir>: another folder than dist).
import * as path from 'node:path';
import { runSynth } from 'istio-aks-edge';
import { buildEdgeGraph, renderSvg, toMermaidMarkdown } from 'istio-aks-edge/explain';
import { buildEdge, environments } from './edge';

runSynth(() => Object.entries(environments).map(([name, env]) => ({
  name,
  app: buildEdge(name),
  validation: { production: env.production },
  extraFiles: async (objects) => {
    const graph = buildEdgeGraph(objects, { title: \`Edge: \${name}\` });
    return [
      { path: path.join(name, 'edge.svg'), content: await renderSvg(graph) },
      { path: path.join(name, 'edge.md'), content: toMermaidMarkdown(graph) },
    ];
  },
}))).then((code) => { process.exitCode = code; }, (e: unknown) => {
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

const TEST_TS = `// The edge of every environment: valid, clean in the analysis, where its request table says
// requests go (requests/<environment>.yaml), and as reviewed: the snapshot files in
// test/__snapshots__/ are written on the first run; review and commit them. When you change the edge
// on purpose, \`npm run test:update\` accepts the new manifests (review the diff before committing).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadedEdge, manifestsToYaml, parseRequestTable, synthesizeApp } from 'istio-aks-edge';
import { formatFindings, hasErrors, validateAndAnalyze } from 'istio-aks-edge/analysis';
import { formatTableResults } from 'istio-aks-edge/explain';
import { buildEdge, environments } from '../edge';

describe.each(Object.keys(environments))('edge %s', (name) => {
  const objects = synthesizeApp(buildEdge(name)).flatMap((c) => c.objects);

  it('passes validation and analysis', async () => {
    const findings = await validateAndAnalyze(objects, { production: environments[name].production });
    expect(hasErrors(findings), formatFindings(findings)).toBe(false);
  }, 60_000); // the first validation loads the Kubernetes and Istio schemas

  const table = path.join(__dirname, '..', 'requests', \`\${name}.yaml\`);
  it.runIf(existsSync(table))('sends every request of its request table where the table says', () => {
    const results = LoadedEdge.load(objects).checkTable(parseRequestTable(readFileSync(table, 'utf8'), table));
    expect(results.every((r) => r.passed), formatTableResults(results)).toBe(true);
  });

  it('synthesizes the reviewed manifests', async () => {
    await expect(manifestsToYaml(objects), 'the manifests changed: review the difference, then accept it with npm run test:update')
      .toMatchFileSnapshot(\`__snapshots__/\${name}.k8s.yaml\`);
  });
});
`;

/** The project's README; its command block is run as written by the package's tests. */
function readme(name: string, host: string): string {
  return `# ${name}

An Istio ingress edge on AKS, written with [istio-aks-edge](https://www.npmjs.com/package/istio-aks-edge).
\`init\` has installed it and run the first synth and test (unless it was given --no-install).

\`\`\`sh
npm install                # once, after a fresh clone
npm run synth              # dist/dev/*.k8s.yaml, validated and analyzed, and its picture dist/dev/edge.svg
npm test                   # type check, the edge's checks, its request table, snapshots (commit test/__snapshots__/)
npm run check              # where requests go: requests/dev.yaml, checked against dist/dev
npm run explain -- --host ${host} --path / --scheme https
npm run graph              # the picture again: dist/dev/edge.svg
npm run gateway-api        # the Kubernetes Gateway API form: dist/gateway-api/dev/edge.k8s.yaml
npm run analyze            # the checks istioctl analyze makes, on dist/dev
npm run plan               # what pulumi up would create for the dev stack, under mocks (no cloud)
\`\`\`

When you change the edge on purpose, \`npm test\` shows the difference in the manifests;
\`npm run test:update\` accepts it (review it, then commit test/__snapshots__/).

To deploy (needs the Pulumi CLI and an Azure login, \`az login\`), create the dev stack once, then
bring it up:

\`\`\`sh
pulumi stack init dev      # once: the stack's settings are in Pulumi.dev.yaml
pulumi up -s dev           # AKS, the public IP, Istio, then exactly what edge.ts synthesizes
\`\`\`

- \`edge.ts\`: the edge (gateway, services, routes) and its environments (hosts, TLS secret, public IP).
- \`requests/dev.yaml\`: where requests must go; add a row for every route you add.
- \`main.ts\`: the synth entry; it never removes files it did not write in dist/.
- \`pulumi.ts\`: the Pulumi program (Pulumi.yaml); the stack's settings are in \`Pulumi.dev.yaml\` (region, pools, Istio).
- \`diff-review.ts\`: \`npm run diff:review\` (in a git repository) synthesizes the working tree's edge and
  the edge of the last commit (or \`-- --rev <revision>\`, such as origin/main) and writes which requests
  get another outcome to \`diff-review.md\`, a pull-request comment (the istio-aks-edge README shows the
  GitHub Actions step that posts it).
`;
}

/** Writes a new project into `dir`; returns the relative paths written. */
export function scaffold(dir: string, options: ScaffoldOptions = {}): string[] {
  const name = options.name ?? path.basename(path.resolve(dir));
  if (!/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(name)) {
    throw new UsageError(`invalid project name: received "${name}". Use 2-40 lower-case letters, digits and "-", starting with a letter (--name <name>).`);
  }
  checkProjectOptions(options);
  const files = projectFiles(name, options);
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
    if (e instanceof PathError) throw new UsageError(`${e.message}\n\n${INIT_USAGE}`);
    throw new UsageError(`cannot write the project to ${dir}: ${(e as Error).message}. Nothing was written.`);
  }
  return Object.keys(files);
}

/** How `init` meets the world: whether it may ask, how it asks, how it runs npm. Tests replace it. */
export interface InitEnvironment {
  /** Whether standard input is a terminal: only then does init ask for missing values. */
  readonly interactive: boolean;
  /** Asks one question; resolves to the answer (empty for the default). */
  ask(question: string): Promise<string>;
  /** Ends the questions (closes the terminal reader). */
  close?(): void;
  /** Runs a command in a folder; resolves to its exit status and, when `capture`, its output. */
  run(command: string, args: readonly string[], cwd: string, capture: boolean): { status: number; output: string };
}

/** The process's terminal (node:readline) and npm. */
export function processEnvironment(): InitEnvironment {
  // One reader for every question: lines typed (or pasted) ahead of a question wait in the queue.
  let lines: AsyncIterator<string> | undefined;
  let rl: import('node:readline').Interface | undefined;
  return {
    interactive: process.stdin.isTTY === true,
    ask: async (question) => {
      if (!rl) {
        const readline = await import('node:readline');
        rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
        lines = rl[Symbol.asyncIterator]();
      }
      process.stderr.write(question);
      const next = await lines!.next();
      return next.done ? '' : next.value;
    },
    close: () => { rl?.close(); },
    run: (command, args, cwd, capture) => {
      // The first test writes the project's snapshots, which test runners refuse to do under CI=true.
      const env = { ...process.env };
      delete env.CI;
      const r = spawnSync(command, args, {
        cwd, env, encoding: 'utf8', shell: process.platform === 'win32',
        stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      });
      return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
    },
  };
}

interface InitArgs extends ScaffoldOptions {
  folder?: string;
  install: boolean;
  quiet: boolean;
  json: boolean;
}

function parseInitArgs(args: readonly string[]): InitArgs {
  const positional: string[] = [];
  const o: { -readonly [K in keyof InitArgs]: InitArgs[K] } = { install: true, quiet: false, json: false };
  const value = (i: number, option: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('-')) throw new UsageError(`${option} takes a value.\n\n${INIT_USAGE}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = () => inline ?? value(++i, flag);
    switch (flag) {
      case '--name': o.name = take(); break;
      case '--package-spec': o.packageSpec = take(); break;
      case '--template': o.template = take() as TemplateName; break;
      case '--host': o.host = take(); break;
      case '--region': o.region = take(); break;
      case '--resource-group': o.resourceGroup = take(); break;
      case '--public-ip': o.publicIp = take(); break;
      case '--force': o.force = true; break;
      case '--no-install': o.install = false; break;
      case '--quiet': case '-q': o.quiet = true; break;
      case '--json': o.json = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`Unknown option ${a}.\n\n${INIT_USAGE}`);
        positional.push(a);
    }
  }
  if (positional.length > 1) throw new UsageError(`Give one folder; received ${positional.length}: ${positional.join(' ')}.\n\n${INIT_USAGE}`);
  o.folder = positional[0];
  return o;
}

/** The questions init asks on a terminal, in order, for the values not given. */
const QUESTIONS: ReadonlyArray<{ key: 'template' | 'host' | 'region' | 'resourceGroup' | 'publicIp'; label: string; short: string }> = [
  { key: 'template', label: `Template (${TEMPLATES.join(', ')})`, short: 'template' },
  { key: 'host', label: 'Host the gateway serves', short: 'host' },
  { key: 'region', label: 'Azure region', short: 'region' },
  { key: 'resourceGroup', label: 'Resource group of the public IP', short: 'resource group' },
  { key: 'publicIp', label: 'Name of the static public IP', short: 'public IP' },
];

const FLAG: Record<(typeof QUESTIONS)[number]['key'], string> = { template: '--template', host: '--host', region: '--region', resourceGroup: '--resource-group', publicIp: '--public-ip' };

type Asked = { -readonly [K in keyof ProjectOptions]: ProjectOptions[K] };

/** Asks for each missing value in turn (the default in brackets), again after an answer that is not valid. */
async function askMissing(env: InitEnvironment, io: CommandIo, missing: typeof QUESTIONS, values: Asked, defaults: ReturnType<typeof defaultsOf>): Promise<void> {
  for (const q of missing) {
    for (;;) {
      const answer = (await env.ask(`${q.label} [${defaults[q.key]}]: `)).trim();
      const candidate = { ...values, [q.key]: answer || defaults[q.key] };
      try {
        checkProjectOptions(candidate);
        Object.assign(values, candidate);
        break;
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr(`${e.message}\n`);
      }
    }
  }
}

/** The `init` command; resolves to the exit status. */
export async function runInit(args: readonly string[], io: CommandIo = PROCESS_IO, env: InitEnvironment = processEnvironment()): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${INIT_USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const o = parseInitArgs(args);
  checkProjectOptions(o);
  const say = (text: string) => { if (!o.quiet && !o.json) io.stdout(text); };
  let folder = o.folder;
  if (folder === undefined && env.interactive) folder = (await env.ask('Folder of the new project [.]: ')).trim() || undefined;
  const dir = path.resolve(folder ?? '.');
  // Refused before any question: a folder that is not empty (scaffold checks it again, with every path).
  if (!o.force && existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} is not empty. Use an empty or new folder, or --force to write into it.`);
  }
  const name = o.name ?? path.basename(dir);
  const defaults = defaultsOf(name);
  const values: Asked = { template: o.template, host: o.host, region: o.region, resourceGroup: o.resourceGroup, publicIp: o.publicIp };
  const missing = QUESTIONS.filter((q) => values[q.key] === undefined);
  if (env.interactive) {
    try {
      await askMissing(env, io, missing, values, defaults);
    } finally {
      env.close?.();
    }
  }
  const packageSpec = o.packageSpec ?? installedFromTarball(path.dirname(packageFile('package.json')));
  const written = scaffold(dir, { ...o, ...values, packageSpec });
  const relative = path.relative(process.cwd(), dir);
  const where = relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
  const chosen = { ...defaults, ...Object.fromEntries(Object.entries(values).filter(([, x]) => x !== undefined)) };
  say(`Created ${written.length} files in ${where} (template ${chosen.template}): ${written.join(', ')}.\n`);
  const placeholders = env.interactive ? [] : missing.filter((q) => q.key !== 'template');
  if (placeholders.length) {
    say(`Placeholders (no terminal to ask on): ${placeholders.map((q) => `${q.short} ${chosen[q.key]}`).join(', ')}. `
      + `Edit them in edge.ts (environments.dev) and Pulumi.dev.yaml (the region), or run init again with ${placeholders.map((q) => `${FLAG[q.key]} <value>`).join(' ')} --force.\n`);
  }
  const steps: Array<{ command: string; status: number }> = [];
  if (o.install) {
    for (const step of [['install', '--no-audit', '--no-fund'], ['run', 'synth'], ['test']]) {
      const command = `npm ${step[0] === 'install' ? 'install' : step.join(' ')}`;
      say(`\n> ${command}\n`);
      const r = env.run('npm', step, dir, o.quiet || o.json);
      steps.push({ command, status: r.status });
      if (r.status !== 0) {
        if (o.quiet || o.json) io.stderr(r.output);
        io.stderr(`init: ${command} failed (exit ${r.status}) in ${where}; the project's files are written. Fix what it says, then run it again there.\n`);
        if (o.json) io.stdout(`${JSON.stringify({ folder: dir, template: chosen.template, files: written, steps, ok: false }, null, 2)}\n`);
        return 1;
      }
    }
  }
  const cd = where === '.' ? '' : `cd ${where.includes(' ') ? JSON.stringify(where) : where} && `;
  const next = [
    ...(o.install ? [] : [`${cd}npm install && npm run synth && npm test`]),
    `${o.install ? cd : ''}npm run check              # where requests go (requests/dev.yaml)`,
    `npm run explain -- --host ${chosen.host} --path / --scheme https`,
    'npm run graph && npm run gateway-api && npm run plan',
    'pulumi stack init dev && pulumi up -s dev   # needs the Pulumi CLI and az login',
  ];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (o.json) {
    io.stdout(`${JSON.stringify({ folder: dir, template: chosen.template, values: chosen, placeholders: placeholders.map((q) => q.key), files: written, steps, ok: true, ms: Math.round(performance.now() - started) }, null, 2)}\n`);
  } else {
    say(`\nNext (see ${path.join(where, 'README.md')}):\n${next.map((l) => `  ${l}`).join('\n')}\n`);
    io.stdout(`${o.install ? `Project ${where} created, installed, synthesized and tested` : `Project ${where} created (not installed: --no-install)`} in ${seconds} s.\n`);
  }
  return 0;
}

