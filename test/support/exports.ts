// The names an entry point of the package exports, read from its source: for the docs tests (every
// export has a page in docs/api) and the README examples' type check (the package's names in scope).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Every exported name of an entry point's source (named re-exports and `export *` modules). */
export function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names = [...text.matchAll(/^export (?:type )?\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!).filter(Boolean));
  for (const m of text.matchAll(/^export \* from '(.*)';$/gm)) {
    const source = readFileSync(resolve(file, '..', `${m[1]}.ts`), 'utf8');
    names.push(...[...source.matchAll(/^export (?:declare )?(?:abstract )?(?:class|interface|function|const|enum|type) (\w+)/gm)].map((x) => x[1]));
  }
  return names;
}
