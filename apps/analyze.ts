// `npm run analyze -- <files or folders> [--crds <file or folder>] [--production] [--format text|json|sarif]`:
// the analyze command of the tool (lib/cli/analyze.ts).
import { runAnalyze } from '../lib/cli/analyze';
import { runMain } from '../lib/cli/main';

runMain(process.argv.slice(2), runAnalyze);
