import { Check } from '../../check';
import { EnvoyFilterSpec, list, specOf } from '../../../model/objects';
import { NO_ADD_REMOVE_APPLIES_TO, REPLACE_APPLIES_TO } from './patches';

/**
 * An EnvoyFilter without a priority with a patch whose effect depends on what other filters did
 * first: INSERT_BEFORE, INSERT_AFTER, and REPLACE and REMOVE where they apply. MERGE, ADD and
 * INSERT_FIRST are absolute. With a proxyVersion match on a filter name another EnvoyFilter
 * also patches, the order may change at an upgrade (istioctl IST0155).
 */
export const envoyFilterUsesRelativeOperation: Check = {
  name: 'EnvoyFilterUsesRelativeOperation',
  code: 'EDGE4001',
  istioCode: 'IST0151',
  severity: 'warning',
  kinds: ['EnvoyFilter'],
  description: 'An EnvoyFilter without a priority using a relative patch operation (INSERT_BEFORE/AFTER, REPLACE, REMOVE).',
  details: 'A relative operation needs the filter it is relative to to be there when the EnvoyFilter applies; without a priority, the order of EnvoyFilters is their creation time. Set spec.priority, or use INSERT_FIRST or ADD.',
  run(index, report) {
    const versioned = new Set<string>();
    for (const ef of index.ofKind('EnvoyFilter')) {
      const spec = specOf<EnvoyFilterSpec>(ef);
      list(spec.configPatches).forEach((p, i) => {
        const op = p?.patch?.operation;
        const applyTo = p?.applyTo ?? '';
        const name = typeof (p?.patch?.value as { name?: unknown } | undefined)?.name === 'string'
          ? (p.patch!.value as { name: string }).name : p?.match?.listener?.filterChain?.filter?.name ?? '';
        const relative = op === 'INSERT_BEFORE' || op === 'INSERT_AFTER'
          || (op === 'REPLACE' && REPLACE_APPLIES_TO.has(applyTo)) || (op === 'REMOVE' && !NO_ADD_REMOVE_APPLIES_TO.has(applyTo));
        if (relative && !spec.priority) {
          report(ef, `spec.configPatches[${i}].patch.operation`, versioned.has(name)
            ? `${op} without a priority, on filter "${name}" that an EnvoyFilter matching a proxyVersion also patches: after an upgrade the order may change and this patch stop applying (istioctl IST0155). Set spec.priority.`
            : `${op} without a priority: whether it applies depends on the order of other EnvoyFilters. Set spec.priority, or use INSERT_FIRST or ADD.`);
        }
        if (p?.match?.proxy?.proxyVersion) versioned.add(name);
      });
    }
  },
};
