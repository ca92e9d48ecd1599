// The adversarial property runs of test/property.test.ts, five times larger and with other seeds
// (18,000 cases): each ends in the package's named error or in output that passes the schemas, the
// CRDs and the analysis. FC_LARGE_FACTOR scales the counts.
import { describe, expect, it } from 'vitest';
import {
  buildAdversarial, buildFamily, buildRuleInput, FAMILY_TARGETS, FAMILY_VALUES, RULE_TARGETS, RULE_VALUES, runAdversarial, TARGETS, validFamily, validInput, validRuleInput, VALUES,
} from '../support/adversarial';

const FACTOR = Number(process.env.FC_LARGE_FACTOR ?? 5);

const families = [
  { name: 'edges (gateway, service, route)', runs: 2000 * FACTOR, seed: 1013, targets: TARGETS, values: VALUES, valid: validInput, build: buildAdversarial },
  { name: 'ServiceEntry, DestinationRule, JWT, load balancer', runs: 1000 * FACTOR, seed: 1030, targets: FAMILY_TARGETS, values: FAMILY_VALUES, valid: validFamily, build: buildFamily },
  { name: 'webhook, API server and kubelet rules', runs: 600 * FACTOR, seed: 1031, targets: RULE_TARGETS, values: RULE_VALUES, valid: validRuleInput, build: buildRuleInput },
];

describe('adversarial properties, large run', () => {
  for (const f of families) {
    it(`${f.runs} cases of ${f.name} (seed ${f.seed}): 0 raw exceptions, 0 accepted-but-rejected-later`, async () => {
      const { named, valid, raw, rejectedLater } = await runAdversarial<Record<string, unknown>>(f);
      console.log(`${f.name}, seed ${f.seed}: ${f.runs} cases, ${named} named errors, ${valid} valid, ${raw.length} raw, ${rejectedLater.length} accepted-but-rejected-later`);
      expect(raw.slice(0, 40)).toEqual([]);
      expect(rejectedLater.slice(0, 40)).toEqual([]);
      expect(named + valid).toBe(f.runs);
    });
  }
});
