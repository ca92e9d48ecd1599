// Global setup of `npm run test:e2e` (vitest.e2e.config.mts): Node's compile cache, and the package's
// code cache kept in it (lib/private/code-cache.ts), go to one folder of the end-to-end runs, emptied
// when a run starts and when it ends. The end-to-end tests run the package from throwaway copies (a
// copy of the repository, packed and installed projects); both caches are keyed by file, so in the
// system's temporary folder each run would leave tens of megabytes behind that no later run reads.
// One folder, not one per run: the test workers flush Node's cache as they exit, which can be after
// the end of the run; what they write then is removed when the next run starts.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = path.join(tmpdir(), 'istio-aks-edge-e2e-compile-cache');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Inherited by the test workers and everything they start.
  process.env.NODE_COMPILE_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
