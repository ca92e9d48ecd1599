// `npm run analyze -- <files or folders> [--crds <file or folder>] [--production] [--json]`: the
// package's `analyze` command (lib/cli/analyze.ts).
import { analyzeCommand } from '../lib/cli/analyze';

export { readManifests } from '../lib/cli/analyze';

if (require.main === module) {
  analyzeCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  });
}
