/**
 * Property paths of the Istio objects, and the tables in which each reader (the Gateway API
 * conversion, explain, the picture) declares how it treats every one: handled, refused (a named
 * error, or for explain an unknown, with the alternative) or of no effect on that reader (with the
 * reason). test/schema-walk.test.ts walks the pinned CRDs' schemas against each table.
 *
 * Paths: `a.b` a property, `a[]` the items of a list, `a{}` the values of a map, `a.**` the whole
 * subtree under `a`, `**` everything.
 */

/** How a reader treats one property path. */
export type FieldTreatment =
  | { readonly handled: true }
  | { readonly refused: string }
  | { readonly noEffect: string };

/** A reader's table: kind -> path -> treatment. */
export type FieldTable = Readonly<Record<string, Readonly<Record<string, FieldTreatment>>>>;

/** The treatment of `path` in `table` (the entry for the path, or for the nearest subtree above it). */
export function treatmentOf(table: Readonly<Record<string, FieldTreatment>>, path: string): FieldTreatment | undefined {
  const exact = table[path];
  if (exact) return exact;
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] === '.') {
      const subtree = table[`${path.slice(0, i)}.**`];
      if (subtree) return subtree;
    }
  }
  return table['**'];
}

/** One property present on an object: its path pattern (`http[].name`) and where it is (`http[2].name`). */
export interface PresentField {
  readonly pattern: string;
  readonly at: string;
  readonly value: unknown;
}

/** The map-valued properties of the kinds in the tables (their keys are names, not properties). */
const MAPS = new Set([
  'selector', 'http[].match[].headers', 'http[].match[].queryParams', 'http[].match[].withoutHeaders', 'http[].match[].sourceLabels',
  'http[].headers.request.set', 'http[].headers.request.add', 'http[].headers.response.set', 'http[].headers.response.add',
  'http[].route[].headers.request.set', 'http[].route[].headers.request.add', 'http[].route[].headers.response.set', 'http[].route[].headers.response.add',
  'subsets[].labels', 'workloadSelector.matchLabels', 'workloadSelector.labels', 'endpoints[].labels', 'endpoints[].ports',
  'tcp[].match[].sourceLabels', 'tls[].match[].sourceLabels',
]);

/** The leaf properties present in `value` (a spec), with their patterns. */
export function presentFields(value: unknown, pattern = '', at = ''): PresentField[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => presentFields(v, `${pattern}[]`, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (MAPS.has(pattern)) return entries.flatMap(([k, v]) => presentFields(v, `${pattern}{}`, `${at}[${JSON.stringify(k)}]`));
    if (entries.length === 0 && pattern !== '') return [{ pattern, at, value }];
    return entries.flatMap(([k, v]) => presentFields(v, pattern ? `${pattern}.${k}` : k, at ? `${at}.${k}` : k));
  }
  return [{ pattern, at, value }];
}

/**
 * The properties of `spec` that `table` refuses or does not know, each with where it is and why:
 * what a reader must turn into its named error (or unknown) rather than leave out.
 */
export function unreadFields(table: Readonly<Record<string, FieldTreatment>>, spec: unknown): Array<PresentField & { readonly reason: string }> {
  const out: Array<PresentField & { readonly reason: string }> = [];
  for (const f of presentFields(spec)) {
    const t = treatmentOf(table, f.pattern);
    // An empty object where the table knows properties below (a presence match `{}`) reads as itself.
    if (t === undefined && isEmptyObject(f.value) && Object.keys(table).some((k) => k.startsWith(`${f.pattern}.`))) continue;
    if (t === undefined) out.push({ ...f, reason: 'this property is not known to this reader: keep the Istio form, or report it so it gets converted or refused by name.' });
    else if ('refused' in t) out.push({ ...f, reason: t.refused });
  }
  return out;
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}
