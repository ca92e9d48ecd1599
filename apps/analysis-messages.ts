// `npm run docs:messages`: writes docs/analysis-messages.md, the reference page of the analysis's
// message catalogue (lib/analysis/messages.ts). A test checks the page is up to date.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
// Exemption from the public-entries rule: this is the repository's doc generator (npm run
// docs:messages), not part of the example; the catalogue's renderer is internal to the analysis.
// eslint-disable-next-line layers/direction
import { renderMessageCatalogue } from '../lib/analysis/messages';

const file = path.join(__dirname, '..', 'docs', 'analysis-messages.md');
writeFileSync(file, renderMessageCatalogue());
console.log(`Written: ${path.relative(process.cwd(), file)}`);
