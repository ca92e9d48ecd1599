// The one manifest reader (lib/model/read-manifests.ts) on what a folder can hold: FIFOs and other
// special files, alias bombs, scalars and lists; and analyze's handling of them (exit status,
// findings, bounded time and memory).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentFindings } from '../lib/analysis/documents';
import { runAnalyze } from '../lib/cli/analyze';
import { ALIAS_BOMB, mkfifo } from './support/special-files';
import { MAX_ALIAS_EXPANSION, parseYaml, readManifests, UnreadableInputError, YamlSyntaxError } from '../lib/model/read-manifests';

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

  it('does not import the analysis', () => {
    expect(readFileSync('lib/model/read-manifests.ts', 'utf8')).not.toMatch(/from '\.\.\/analysis/);
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
