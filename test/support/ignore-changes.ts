// What the Pulumi engine does with `ignoreChanges` before it diffs (pkg/resource/deploy, processIgnoreChanges):
// at each ignored path the new inputs take the old inputs' value, or lose the field when the old
// inputs have none. Enough of Pulumi's property paths for the ones the program writes:
// `a.b[0].c`, `labels["x-y"]`.

type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (const m of path.matchAll(re)) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
  return out;
}

function get(v: unknown, path: Segment[]): { found: boolean; value?: unknown } {
  let cur: unknown = v;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object' || !(s in (cur as object))) return { found: false };
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return { found: true, value: cur };
}

function set(v: unknown, path: Segment[], value: unknown, remove: boolean): void {
  let cur = v as Record<string | number, unknown>;
  for (const s of path.slice(0, -1)) {
    if (cur[s] === null || typeof cur[s] !== 'object') {
      if (remove) return;
      cur[s] = {};
    }
    cur = cur[s] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (remove) delete cur[last];
  else cur[last] = value;
}

/** The new inputs as the engine diffs them: `ignoreChanges` applied from the old inputs. */
export function withIgnoredChanges<T>(oldInputs: T, newInputs: T, ignoreChanges: readonly string[]): T {
  const out = structuredClone(newInputs);
  for (const p of ignoreChanges) {
    const path = parsePath(p);
    const old = get(oldInputs, path);
    set(out, path, old.value, !old.found);
  }
  return out;
}

/** The property paths whose values differ between two inputs (leaves). */
export function changedPaths(a: unknown, b: unknown, at = ''): string[] {
  if (a === b) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${at}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? (at ? `${at}.${k}` : k) : `${at}["${k}"]`));
  }
  return [at];
}
