/**
 * Reading manifests from files and folders for the analysis: YAML (multi-document streams, read
 * a document at a time, so a 50 MB file is never held as one parse tree) and JSON, `kind: List`
 * expanded. A document that is not a Kubernetes object becomes a finding naming the file and the
 * document's index instead of an exception.
 */
import { text } from '../private/text';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, Type, YAMLException } from 'js-yaml';
import { Finding } from '../analysis/check';
import { DOCUMENT_INVALID } from '../analysis/messages';
import { KubernetesObject } from './kubernetes-object';

/**
 * YAML 1.2's core schema with merge keys (`<<`), as Kubernetes reads manifests: timestamps stay
 * strings (js-yaml's default schema would turn them into Dates).
 */
// js-yaml exports its types at run time; @types/js-yaml does not declare them.
const MANIFEST_SCHEMA = CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: Type } }).types.merge] });

/** Where an object (or a bad document) came from. */
export interface ManifestLocation {
  /** The file, as given or found under a given folder. */
  readonly file: string;
  /** 0-based index of the document in the file. */
  readonly document: number;
  /** 0-based index of the item, for an object of a `kind: List`. */
  readonly item?: number;
  /** 1-based line the document starts at (YAML; 1 for JSON). */
  readonly line: number;
}

/** What {@link readManifests} found. */
export interface ReadResult {
  readonly objects: KubernetesObject[];
  /** The location of each object. */
  readonly locations: Map<KubernetesObject, ManifestLocation>;
  /** Documents that are not Kubernetes objects, as DocumentInvalid findings. */
  readonly problems: Finding[];
  /** The locations of the problems' findings. */
  readonly problemLocations: Map<KubernetesObject, ManifestLocation>;
  /** The files read. */
  readonly files: string[];
}

/** Input that cannot be read at all (missing path, permissions, not a file): exit status 2. */
export class UnreadableInputError extends Error {}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** "file#3" or "file#3 items[2]". */
export function formatLocation(l: ManifestLocation): string {
  return `${l.file}#${l.document}${l.item !== undefined ? ` items[${l.item}]` : ''}`;
}

/** The manifest files below the paths, sorted per folder; throws {@link UnreadableInputError} for a path that cannot be read. */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat;
    try {
      stat = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UnreadableInputError(`Cannot read "${p}": ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message}.`);
    }
    if (stat.isDirectory()) {
      let entries: string[];
      try {
        entries = readdirSync(p).sort();
      } catch (e) {
        throw new UnreadableInputError(`Cannot list folder "${p}": ${(e as Error).message}.`);
      }
      for (const entry of entries) visit(path.join(p, entry), false);
    } else if (explicit || MANIFEST_FILE.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

/** Collects objects and problems, in order. */
class Collector {
  public readonly objects: KubernetesObject[] = [];
  public readonly locations = new Map<KubernetesObject, ManifestLocation>();
  public readonly problems: Finding[] = [];
  public readonly problemLocations = new Map<KubernetesObject, ManifestLocation>();

  public problem(location: ManifestLocation, message: string): void {
    const source: KubernetesObject = { apiVersion: '', kind: '(document)' };
    this.problems.push({
      check: DOCUMENT_INVALID.name, code: DOCUMENT_INVALID.code, severity: DOCUMENT_INVALID.severity,
      object: `(document ${location.document}${location.item !== undefined ? ` items[${location.item}]` : ''})`, field: '', message, source,
    });
    this.problemLocations.set(source, location);
  }

  /** Accepts a parsed document (a Kubernetes object or a List of them). */
  public document(value: unknown, location: ManifestLocation): void {
    if (value === null || value === undefined) return; // an empty document
    if (isRecord(value) && value.kind === 'List' && typeof value.apiVersion === 'string') {
      if (!Array.isArray(value.items)) {
        this.problem(location, 'A kind: List without an items list: give it items (a list of objects).');
        return;
      }
      value.items.forEach((item, i) => this.object(item, { ...location, item: i }));
      return;
    }
    this.object(value, location);
  }

  private object(value: unknown, location: ManifestLocation): void {
    const problem = objectProblem(value);
    if (problem) this.problem(location, problem);
    else {
      const o = value as KubernetesObject;
      this.objects.push(o);
      this.locations.set(o, location);
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Why a value is not a Kubernetes object, or undefined. */
function objectProblem(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'An empty item: remove it, or write the object.';
  if (Array.isArray(v)) return 'A list, not an object: write one object per document (separated by "---"), or wrap them in a kind: List.';
  if (!isRecord(v)) return `A ${typeof v} (${JSON.stringify(v).slice(0, 40)}), not an object: each document must be a mapping with apiVersion, kind and metadata.`;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof v[k] !== 'string' || v[k] === '');
  if (missing.length) return `An object without ${missing.join(' and ')}${typeof v.kind === 'string' ? ` (kind ${v.kind})` : ''}: every Kubernetes object needs apiVersion and kind.`;
  if (v.metadata !== undefined && !isRecord(v.metadata)) return `${text(v.kind)}: metadata is not a mapping: give it name (and namespace).`;
  return undefined;
}

function yamlError(e: unknown, startLine: number): string {
  if (e instanceof YAMLException) {
    const line = e.mark ? startLine + e.mark.line : startLine;
    return `Not valid YAML (line ${line}): ${e.reason}.`;
  }
  return `Not valid YAML: ${(e as Error).message}.`;
}

/** Reads one YAML stream a document at a time (documents split on "---" lines). */
async function readYaml(file: string, into: Collector): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let buffer: string[] = [];
  let index = 0;
  let start = 1;
  let lineNo = 0;
  let sawContent = false;
  const flush = () => {
    const text = buffer.join('\n');
    buffer = [];
    if (text.trim() === '' && !sawContent) return;
    let value: unknown;
    try {
      value = load(text, { filename: file, schema: MANIFEST_SCHEMA });
    } catch (e) {
      into.problem({ file, document: index, line: start }, yamlError(e, start));
      index++;
      return;
    }
    into.document(value, { file, document: index, line: start });
    index++;
  };
  for await (const line of lines) {
    lineNo++;
    if (/^---(\s|$)/.test(line)) {
      if (buffer.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) || sawContent) flush();
      else buffer = [];
      sawContent = false;
      start = lineNo;
      const rest = line.slice(3).trim();
      if (rest && !rest.startsWith('#')) { buffer.push(rest); sawContent = true; }
      continue;
    }
    if (/^\.\.\.(\s|$)/.test(line)) continue;
    if (!sawContent && line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%')) sawContent = true;
    buffer.push(line);
  }
  if (sawContent) flush();
}

/** Reads one JSON file: an object, or a kind: List. */
function readJson(file: string, into: Collector): void {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    into.problem({ file, document: 0, line: 1 }, `Not valid JSON: ${(e as Error).message}.`);
    return;
  }
  into.document(value, { file, document: 0, line: 1 });
}

/**
 * Reads every manifest below the paths (folders: their .yaml, .yml and .json files, sorted;
 * files given explicitly whatever their extension, read as JSON when they end in .json).
 */
export async function readManifests(paths: readonly string[]): Promise<ReadResult> {
  const files = manifestFiles(paths);
  const into = new Collector();
  for (const file of files) {
    try {
      if (/\.json$/i.test(file)) readJson(file, into);
      else await readYaml(file, into);
    } catch (e) {
      if (e instanceof UnreadableInputError) throw e;
      throw new UnreadableInputError(`Cannot read "${file}": ${(e as Error).message}.`);
    }
  }
  return { objects: into.objects, locations: into.locations, problems: into.problems, problemLocations: into.problemLocations, files };
}
