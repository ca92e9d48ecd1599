/**
 * Files the package ships beside its code (the vendored CRDs), found from where the code runs:
 * lib/ in the repository (`tsx`, vitest), or build/lib/ in the installed package.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The package's root: the nearest folder above this module holding `relative`.
 * @param relative a path the package ships, for example "crds/istio-1.30.3-crd-all.gen.yaml"
 */
export function packageFile(relative: string): string {
  const found = findPackageFile(relative);
  if (found === undefined) {
    throw new Error(`istio-aks-edge: ${relative} not found above ${__dirname}: the package is incomplete; reinstall it (its "files" include crds/).`);
  }
  return found;
}

/**
 * The nearest `relative` above this module, or undefined: for files the package may lack (the
 * validators `npm run build` generates, absent from a repository that was never built).
 */
export function findPackageFile(relative: string): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
