// `npm run explain -- <manifests...> --host H --path P [...]`: where a request goes, from manifests
// in either form (see `istio-aks-edge explain --help` for every option): the package's bin.
import { main, runMain } from '../lib/cli/main';

if (require.main === module) runMain(['explain', ...process.argv.slice(2)], main);
