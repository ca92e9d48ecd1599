// Property-based tests: random valid edges always synthesize to objects that pass validation and
// analysis; random invalid ones always end in the package's named error. FC_RUNS sets the number
// of runs (default 200).
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, istioCrdSchemas, validateSchemas } from '../lib';
import { synth } from './support/synth';
import { build, EdgeSpec, edgeSpec } from './support/edge-generator';
import {
  buildAdversarial, buildFamily, buildRuleInput, FAMILY_TARGETS, FAMILY_VALUES, RULE_TARGETS, RULE_VALUES, runAdversarial, TARGETS, validFamily, validInput, validRuleInput, VALUES,
} from './support/adversarial';

const RUNS = Number(process.env.FC_RUNS ?? 200);

describe('properties', () => {
  it('a random valid edge synthesizes to objects that pass validation and analysis', async () => {
    await fc.assert(fc.asyncProperty(edgeSpec, async (spec) => {
      const objects = synth(build(spec));
      expect(await validateSchemas(objects)).toEqual([]);
      expect(istioCrdSchemas().validate(objects)).toEqual([]);
      // Infos are not failures: a route prefix "/d" before "/d0" takes /d0's requests, which the
      // analysis reports as an info (VirtualServiceIneffectiveMatch, as istioctl's IST0131).
      const findings = analyze(objects).filter((f) => f.severity !== 'info' && !(f.check === 'GatewayCredentialNotFound' && spec.https));
      expect(findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    }), { numRuns: RUNS });
  });

  /** Ways to spoil a valid spec, each a mistake the package must name. */
  const corruptions: Array<[RegExp, (s: EdgeSpec) => void]> = [
    [/invalid hosts\[0\]/, (s) => { s.hosts[0] = s.hosts[0].toUpperCase(); }],
    [/invalid port: received 70000/, (s) => { s.services[0].port = 70000; }],
    [/invalid autoscaling\.minReplicas/, (s) => { s.maxReplicas = s.minReplicas - 1; }],
    [/invalid autoscaling\.minReplicas: received 0/, (s) => { s.minReplicas = 0; }],
    [/invalid disruption\.minAvailable/, (s) => { s.minAvailable = s.minReplicas; }],
    [/invalid routes\[0\]\.to(\.weights|\[0\]\.weight)/, (s) => { s.services[0].split[0] += 1; s.services[0].canaryHeader = false; }],
    [/invalid routes\[0\]\.to\[0\]\.weight: received -5/, (s) => { s.services[0].split[0] = -5; s.services[0].canaryHeader = false; }],
    [/invalid versions\[\d\]\.name: received "v1"/, (s) => { s.services[0].versions.push({ ...s.services[0].versions[0] }); s.services[0].split.push(0); }],
    [/invalid versions\[0\]\.name: received "V 1"/, (s) => { s.services[0].versions[0].name = 'V 1'; }],
    [/invalid rateLimits\[0\]\.maxTokens: received 0/, (s) => { s.rateLimit = 0; }],
    [/invalid autoscaling\.minReplicas: received "4 \(maxReplicas 2\)"/, (s) => { s.services[0].versions[0] = { name: 'v1', autoscaling: { minReplicas: 4, maxReplicas: 2 } }; }],
    [/invalid hosts: received \[\]/, (s) => { s.hosts = []; }],
  ];

  it('a random invalid edge ends in a named error: construct path, property, value and fix', () => {
    fc.assert(fc.property(edgeSpec, fc.constantFrom(...corruptions), (spec, [expected, corrupt]) => {
      const bad = structuredClone(spec);
      corrupt(bad);
      let error: unknown;
      try {
        synth(build(bad));
      } catch (e) {
        error = e;
      }
      expect(error, 'an error').toBeInstanceOf(Error);
      expect((error as Error).constructor).toBe(Error); // not a TypeError or RangeError from deep inside
      expect((error as Error).message).toMatch(/(^|\] )test[\w/-]*: invalid [^\n]+: received [^\n]+\. \S/m);
      expect((error as Error).message).toMatch(expected);
    }), { numRuns: RUNS });
  });
});

// Adversarial inputs (test/support/adversarial.ts): each case ends in the package's named error or
// in output that passes the schemas, the CRDs and the analysis. The counts: FC_ADVERSARIAL_RUNS,
// FC_FAMILY_RUNS and FC_RULE_RUNS (defaults 2000 + 1000 + 600 = 3,600 cases); a run ten times larger
// with other seeds is in the end-to-end command (test/e2e/adversarial-large.test.ts).
const ADVERSARIAL_RUNS = Number(process.env.FC_ADVERSARIAL_RUNS ?? 2000);
const FAMILY_RUNS = Number(process.env.FC_FAMILY_RUNS ?? 1000);
const FAMILY_SEED = 30;
const RULE_RUNS = Number(process.env.FC_RULE_RUNS ?? 600);
const RULE_SEED = 31;

describe('adversarial properties', () => {
  it(`${ADVERSARIAL_RUNS} valid edges with 1-3 adversarial changes: a named error or valid output, never a raw exception`, async () => {
    const { named, valid, raw, rejectedLater } = await runAdversarial({ runs: ADVERSARIAL_RUNS, seed: 13, targets: TARGETS, values: VALUES, valid: validInput, build: buildAdversarial });
    raw.push(...rejectedLater);
    expect(raw.slice(0, 60)).toEqual([]);
    expect(named + valid).toBe(ADVERSARIAL_RUNS);
    expect(valid).toBeGreaterThan(ADVERSARIAL_RUNS / 100); // some changes leave the input valid (about 1 in 40)
  });
});

describe('adversarial properties: ServiceEntry, DestinationRule, JWT, load balancer', () => {
  it(`${FAMILY_RUNS} valid inputs with 1-3 adversarial changes (seed ${FAMILY_SEED}): a named error or valid output`, async () => {
    const { named, valid, raw, rejectedLater } = await runAdversarial({ runs: FAMILY_RUNS, seed: FAMILY_SEED, targets: FAMILY_TARGETS, values: FAMILY_VALUES, valid: validFamily, build: buildFamily });
    expect(raw.slice(0, 40)).toEqual([]);
    expect(rejectedLater.slice(0, 40)).toEqual([]);
    expect(named + valid).toBe(FAMILY_RUNS);
  });
});

describe('adversarial properties: the webhook, API server and kubelet rules of issue 30', () => {
  it(`${RULE_RUNS} valid inputs with 1-3 changes at the rules' boundaries (seed ${RULE_SEED}): a named error or valid output`, async () => {
    const { named, valid, raw, rejectedLater } = await runAdversarial({ runs: RULE_RUNS, seed: RULE_SEED, targets: RULE_TARGETS, values: RULE_VALUES, valid: validRuleInput, build: buildRuleInput });
    expect(raw.slice(0, 40)).toEqual([]);
    expect(rejectedLater.slice(0, 40)).toEqual([]);
    expect(named + valid).toBe(RULE_RUNS);
    expect(valid).toBeGreaterThan(RULE_RUNS / 50);
  });
});
