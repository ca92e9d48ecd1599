// The one manifest reader (lib/model/read-manifests.ts) on what a folder can hold: FIFOs and other
// special files, alias bombs, scalars and lists; and analyze's handling of them (exit status,
// findings, bounded time and memory).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { documentFindings } from '../lib/analysis/documents';
import { runAnalyze } from '../lib/cli/analyze';
import { ALIAS_BOMB, mkfifo } from './support/special-files';
import { MAX_ALIAS_EXPANSION, parseManifestYaml, parseYaml, readManifests, UnreadableInputError, YamlSyntaxError } from '../lib/model/read-manifests';
import { validateAndAnalyze } from '../lib/analysis/analyze';
import { KubernetesObject, manifestsToYaml } from '../lib';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: app }\ndata: { a: "1" }\n';

function folder(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), 'read-manifests-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

async function analyze(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runAnalyze(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

describe('readManifests', () => {
  it('skips a FIFO found in a folder with a warning instead of blocking on it', async () => {
    const d = folder({ 'a.yaml': CONFIG_MAP });
    mkfifo(join(d, 'pipe.yaml'));
    const read = await readManifests([d]);
    expect(read.objects.map((o) => o.metadata?.name)).toEqual(['settings']);
    expect(read.warnings).toEqual([`Skipped "${join(d, 'pipe.yaml')}": it is a FIFO (named pipe), not a regular file.`]);
    expect(read.files).toEqual([join(d, 'a.yaml')]);
  });

  it('refuses an explicit FIFO or a missing path as unreadable input', async () => {
    const d = folder();
    const pipe = mkfifo(join(d, 'pipe.yaml'));
    await expect(readManifests([pipe])).rejects.toThrow(new UnreadableInputError(`Cannot read "${pipe}": it is a FIFO (named pipe), not a file or folder of manifests. Give a regular file (or a folder).`));
    await expect(readManifests([join(d, 'nope.yaml')])).rejects.toThrow(/Cannot read ".*nope.yaml": no such file or folder\./);
    await expect(readManifests(['/dev/null'])).rejects.toThrow(/it is a character device/);
  });

  it('refuses a document whose aliases expand past the limit, and reads the others', async () => {
    const read = await readManifests([folder({ 'bomb.yaml': `${CONFIG_MAP}---\n${ALIAS_BOMB}` })]);
    expect(read.objects).toHaveLength(1);
    expect(read.unreadable).toHaveLength(1);
    expect(read.unreadable[0]).toMatchObject({ location: { document: 1, line: 5 }, syntax: true });
    expect(read.unreadable[0].message).toMatch(/^YAML aliases expand this document to \d+ nodes from \d+ written \(the limit is 100000 more\): refused as a resource exhaustion attack \("alias bomb"\)/);
  });

  it('accepts aliases that stay under the limit (a shared block reused a few times)', async () => {
    const read = await readManifests([folder({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: app, labels: &l { a: "1", b: "2" }, annotations: *l }\n' })]);
    expect(read.unreadable).toEqual([]);
    expect(read.objects[0].metadata?.annotations).toEqual({ a: '1', b: '2' });
    expect(MAX_ALIAS_EXPANSION).toBe(100_000);
  });

  it('refuses a cyclic alias', () => {
    expect(() => parseYaml('a: &a [*a]\n', 't.yaml')).toThrow(YamlSyntaxError);
    expect(() => parseYaml('a: &a [*a]\n', 't.yaml')).toThrow(/t\.yaml: A YAML alias refers to a node that contains it/);
  });

  it('returns unreadable documents as data, and the analysis makes them DocumentInvalid findings', async () => {
    const read = await readManifests([folder({ 'l.yaml': 'apiVersion: v1\nkind: List\nitems: [5, null]\n' })]);
    expect(read.objects).toEqual([]);
    expect(read.unreadable.map((u) => [u.location.item, u.syntax])).toEqual([[0, false], [1, false]]);
    const { findings, locations } = documentFindings(read.unreadable);
    expect(findings.map((f) => [f.code, f.check, f.object])).toEqual([['EDGE0004', 'DocumentInvalid', '(document 0 items[0])'], ['EDGE0004', 'DocumentInvalid', '(document 0 items[1])']]);
    expect(locations.get(findings[1].source)).toEqual(read.unreadable[1].location);
  });

  it('keeps no document text and shares repeated values: what it holds after reading is a fraction of the file (slices of the text, lists with room to grow and repeated values would hold more than half of it)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Each document: a long comment (text only a slice of it would keep alive), values of 13
    // characters or more (which V8 would keep as slices of the text) and long values every document
    // repeats (held once when shared).
    const labels = Array.from({ length: 20 }, (_, l) => `    example.com/label-number-${l}: value-that-every-object-repeats-${l}\n`).join('');
    const text = Array.from({ length: 1000 }, (_, i) => `# ${'generated by the pipeline of team number '.repeat(50)}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: service-number-${i}\n  namespace: team-namespace-${i % 10}\n  labels:\n${labels}spec:\n  template:\n    spec:\n      containers:\n        - name: application\n          image: registry.example.com/team/service:1.2.${i}\n          imagePullPolicy: IfNotPresent\n`).join('---\n');
    const file = join(folder(), 'large.yaml');
    writeFileSync(file, text);
    gc();
    const before = process.memoryUsage().heapUsed;
    const read = await readManifests([file]);
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(read.objects).toHaveLength(1000);
    expect(read.objects[999].spec).toEqual({ template: { spec: { containers: [{ name: 'application', image: 'registry.example.com/team/service:1.2.999', imagePullPolicy: 'IfNotPresent' }] } } });
    expect(held).toBeLessThan(text.length / 2);
  });

  it('reads the same values as js-yaml builds them (the reader copies them compactly as they are parsed): repeated and one-off keys, anchors, aliases, merge keys, a __proto__ key, nested lists', async () => {
    const docs = Array.from({ length: 6 }, (_, i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-number-${i}
  labels: &labels { app.kubernetes.io/name: an-application-name, tier: web, "7": number-key }
  annotations: *labels
data:
  long: &long a value of more than thirteen characters ${i}
  again: *long
  list: [[1, 2], [], [{ a: 1 }, { a: 2, b: [x] }], *long]
  merged: { <<: *labels, extra: "1" }
  "__proto__": { polluted: "yes" }
  unique-key-${i}: { deep: { deeper: [${i}, -0.0, 0x1F, yes, ~] } }
`);
    const read = await readManifests([folder({ 'm.yaml': docs.join('---\n') })]);
    expect(read.unreadable).toEqual([]);
    expect(read.objects).toEqual(docs.map((d) => parseManifestYaml(d)));
    const last = read.objects[5] as unknown as { data: Record<string, unknown>; metadata: { labels: object; annotations: object } };
    expect(Object.getPrototypeOf(last.data)).toBe(Object.prototype);
    expect(Object.keys(last.data)).toEqual(['long', 'again', 'list', 'merged', '__proto__', 'unique-key-5']);
    expect(last.metadata.annotations).toBe(last.metadata.labels);
    expect(last.data.again).toBe(last.data.long);
  });

  it('splits documents alike whatever the line breaks ("\\n" lines are cut in runs, "\\r\\n" and "\\r" one at a time), across chunks', async () => {
    // Documents (most of them objects) between markers, near misses, comments, directives, block
    // scalars and bad YAML: about 100 KiB, two chunks.
    const markers = ['---', '--- # c', '---  ', '--- |', '...', '... ', '# comment', '%YAML 1.2', '', '---\u00a0x'];
    const junk = ['  # indented', '   ', '- b', '-- x', '----', '---x', '...x', '.x', 'data: |', '  text', 'bad: [', '\u00a0', '--- {apiVersion: v1, kind: X, metadata: {name: y}}'];
    let seed = 7;
    const pick = <T>(from: readonly T[]) => from[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % from.length];
    const lines = Array.from({ length: 900 }, (_, i) => [pick(markers), pick(markers), ...pick([true, true, true, false])
      ? ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: settings-number-${i}`, pick(['', '# note', '  # note']), 'data:', '  a: "1"', '  text: |', '    ---', '    more']
      : [pick(junk), pick(junk), pick(junk)]]).flat();
    const d = folder({ 'lf.yaml': lines.join('\n'), 'crlf.yaml': lines.join('\r\n'), 'mixed.yaml': lines.map((l, i) => l + (i % 97 === 0 && lines[i + 1] ? '\r' : i % 89 === 0 ? '\r\n' : '\n')).join('') });
    const read = async (name: string) => {
      const r = await readManifests([join(d, name)]);
      return { objects: r.objects, locations: r.objects.map((o) => ({ ...r.locations.get(o), file: undefined })), unreadable: r.unreadable.map((u) => ({ ...u, location: { ...u.location, file: undefined } })) };
    };
    const lf = await read('lf.yaml');
    expect(lf.objects.length).toBeGreaterThan(200);
    expect(lf.unreadable.length).toBeGreaterThan(50);
    expect(await read('crlf.yaml')).toEqual(lf);
    expect(await read('mixed.yaml')).toEqual(lf);
  });

  it('does not import the analysis', () => {
    expect(readFileSync('lib/model/read-manifests.ts', 'utf8')).not.toMatch(/from '\.\.\/analysis/);
  });
});

// kubectl and the API server convert YAML to JSON with sigs.k8s.io/yaml, which resolves plain
// scalars with go.yaml.in/yaml/v2 (resolve.go): YAML 1.1 booleans, Go's ParseInt with base 0 after
// removing underscores (a leading 0 is octal), yamlStyleFloat, no base-60 numbers, timestamps kept as
// strings. Each row: the plain scalar, and the JSON value Kubernetes gets (PyYAML's libyaml parser,
// the C original of goyaml's, gives the same structure for these).
const GO_YAML_V2: ReadonlyArray<readonly [string, unknown]> = [
  ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['ON', true], ['true', true], ['True', true],
  ['no', false], ['n', false], ['N', false], ['off', false], ['Off', false], ['FALSE', false], ['yES', 'yES'], ['tRUE', 'tRUE'],
  ['~', null], ['null', null], ['NULL', null], ['Nil', 'Nil'],
  ['017', 15], ['-017', -15], ['0777', 511], ['0o17', 15], ['0x1F', 31], ['-0x1F', -31], ['0b101', 5], ['-0b101', -5], ['00', 0],
  ['08', 8], ['1_000', 1000], ['+12', 12], ['12', 12], ['0x_1F', 31], ['18446744073709551615', 2 ** 64],
  ['1.', 1], ['.5', 0.5], ['+.5', 0.5], ['1e3', 1000], ['1_0.5', 10.5], ['1e400', '1e400'], ['.1_0', '.1_0'],
  ['1:30', '1:30'], ['001:db8::/32', '001:db8::/32'], ['2001:db8::1', '2001:db8::1'], ['fe80::1', 'fe80::1'],
  ['2001-12-14', '2001-12-14'], ['2001-12-14T21:59:43.10Z', '2001-12-14T21:59:43.10Z'], ['0x', '0x'], ['1.2.3', '1.2.3'], ['5s', '5s'],
];

describe('manifests are read as Kubernetes reads them (sigs.k8s.io/yaml on go.yaml.in/yaml/v2)', () => {
  it.each(GO_YAML_V2)('plain %s', (scalar, expected) => {
    expect((parseManifestYaml(`v: ${scalar}`) as { v: unknown }).v).toEqual(expected);
    // Quoted, it is always the string.
    expect((parseManifestYaml(`v: "${scalar}"`) as { v: unknown }).v).toBe(scalar);
  });

  it('what the package writes reads back as the same strings (the writer quotes what Kubernetes would read otherwise)', () => {
    const data = Object.fromEntries(GO_YAML_V2.map(([scalar], i) => [`k${i}`, scalar]));
    const yaml = manifestsToYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data } as KubernetesObject]);
    expect((parseManifestYaml(yaml) as { data: unknown }).data).toEqual(data);
  });

  it('keys resolve the same way and become strings, as in the JSON Kubernetes builds', () => {
    expect(parseManifestYaml('on: 1\n017: 2\n1.50: 3\n"yes": 4')).toEqual({ true: 1, 15: 2, 1.5: 3, yes: 4 });
  });

  it('other YAML (request tables, rate-limit configurations, stack files) keeps YAML 1.2\'s core schema', () => {
    expect(parseYaml('a: yes\nb: 017\nc: on')).toEqual({ a: 'yes', b: 17, c: 'on' });
  });

  it('.inf and .nan have no JSON form: the document is unreadable, as kubectl refuses it', async () => {
    const read = await readManifests([folder({ 'n.yaml': `${CONFIG_MAP}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: n, namespace: app }\nspec: { ratio: .inf }\n` })]);
    expect(read.objects.map((o) => o.metadata?.name)).toEqual(['settings']);
    expect(read.unreadable[0].message).toMatch(/has no JSON form: kubectl and the API server refuse the document/);
  });

  it('an unquoted yes where Kubernetes wants a string is refused as the API server refuses it; an IPv6 address in ServiceEntry addresses stays a string', async () => {
    const read = await readManifests([folder({
      'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: flags, namespace: app }\ndata: { enabled: yes, mode: "yes" }\n---\n'
        + 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: v6, namespace: app }\n'
        + 'spec: { hosts: [v6.example.com], addresses: [2001:db8::1, 001:db8::/32], ports: [{ number: 443, name: tls, protocol: TLS }], resolution: STATIC, endpoints: [{ address: 2001:db8::2 }] }\n',
    })]);
    const [configMap, entry] = read.objects as any[];
    expect(configMap.data).toEqual({ enabled: true, mode: 'yes' });
    expect(entry.spec.addresses).toEqual(['2001:db8::1', '001:db8::/32']);
    const findings = (await validateAndAnalyze(read.objects)).filter((f) => f.severity === 'error');
    expect(findings.map((f) => `${f.check} ${f.object} ${f.field} ${f.message}`).join('\n')).toMatch(/SchemaInvalid ConfigMap app\/flags .*enabled/);
    expect(findings.filter((f) => f.object.startsWith('ServiceEntry'))).toEqual([]);
  });
});

describe('analyze on special files and alias bombs', () => {
  it('skips a FIFO in a folder with a warning and analyzes the rest (exit 0)', async () => {
    const d = folder({ 'a.yaml': CONFIG_MAP });
    mkfifo(join(d, 'pipe.yaml'));
    const r = await analyze(d);
    expect(r.stderr).toBe(`analyze: Skipped "${join(d, 'pipe.yaml')}": it is a FIFO (named pipe), not a regular file.\n`);
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^1 objects: 0 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.\n$/)]);
  });

  it('an explicit FIFO exits 2 with a clear message', async () => {
    const pipe = mkfifo(join(folder(), 'pipe.yaml'));
    const r = await analyze(pipe);
    expect([r.status, r.stderr]).toEqual([2, `analyze: Cannot read "${pipe}": it is a FIFO (named pipe), not a file or folder of manifests. Give a regular file (or a folder).\n`]);
  });

  it('reports an alias bomb as a DocumentInvalid finding (exit 1) instead of running out of memory', async () => {
    const d = folder({ 'bomb.yaml': `${CONFIG_MAP}---\n${ALIAS_BOMB}` });
    const r = await analyze(d);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ERROR +DocumentInvalid .*bomb\.yaml#1: \(document 1\): YAML aliases expand this document to \d+ nodes/);
    expect(r.stdout).toMatch(/^1 objects: 1 errors, 0 warnings, 0 infos \(\d+ files? read, \d+\.\d s\)\.$/m);
  });
});
