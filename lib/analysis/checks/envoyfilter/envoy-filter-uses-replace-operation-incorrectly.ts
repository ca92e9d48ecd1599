import { Check } from '../../check';
import { forEachPatch, REPLACE_APPLIES_TO } from './patches';

/** A REPLACE patch on an `applyTo` Istio does not replace (only HTTP_FILTER, NETWORK_FILTER, VIRTUAL_HOST). */
export const envoyFilterUsesReplaceOperationIncorrectly: Check = {
  name: 'EnvoyFilterUsesReplaceOperationIncorrectly',
  code: 'EDGE4002',
  istioCode: 'IST0152',
  severity: 'error',
  kinds: ['EnvoyFilter'],
  description: 'A REPLACE patch on anything but HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST, where it is ignored.',
  details: 'Istio replaces named HTTP and network filters and virtual hosts; a REPLACE elsewhere is ignored. Use MERGE.',
  run(index, report) {
    forEachPatch(index, (ef, p, i) => {
      if (p.patch?.operation === 'REPLACE' && !REPLACE_APPLIES_TO.has(p.applyTo ?? '')) {
        report(ef, `spec.configPatches[${i}].patch.operation`, `REPLACE on ${p.applyTo} is ignored: it applies to HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST only; use MERGE.`);
      }
    });
  },
};
