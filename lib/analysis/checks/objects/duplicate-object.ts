import { Check } from '../../check';
import { CLUSTER_SCOPED_KINDS, namespaceOf } from '../../../model/object-index';

/** Two objects with the same kind, namespace and name. */
export const duplicateObject: Check = {
  name: 'DuplicateObject',
  code: 'EDGE0001',
  severity: 'error',
  kinds: ['*'],
  description: 'Two objects with the same kind, namespace and name: the later one replaces the earlier.',
  details: 'Applying both keeps only the last one. Rename one, or analyze one environment at a time.',
  run(index, report) {
    for (const o of index.duplicates) {
      report(o, 'metadata.name', `Another ${o.kind} named "${o.metadata?.name}"${CLUSTER_SCOPED_KINDS.has(o.kind) ? '' : ` in namespace "${namespaceOf(o)}"`} is already in the set; applying both keeps only the last. Rename one, or analyze one environment at a time.`);
    }
  },
};
