// `npm run explain -- <manifests...> --host H --path P [...]`: where a request goes, from manifests
// (see lib/cli/explain.ts for every option). A thin wrapper until lib/cli/main.ts dispatches it.
import { runExplainCli } from '../lib/cli/explain';

if (require.main === module) {
  runExplainCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
