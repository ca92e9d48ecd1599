import { describe, expect, it } from 'vitest';
import { CrdSchemas, istioCrdSchemas } from '../../lib';
import { evaluateRule, toCel } from '../../lib/analysis/schema/cel';
import { testCrd } from '../support/crd';

describe('Kubernetes CEL', () => {
  it('evaluates the rule shapes Istio\'s CRDs use', () => {
    expect(evaluateRule("duration(self) >= duration('1ms')", '250ms')).toBe(true);
    expect(evaluateRule("duration(self) >= duration('1ms')", '0s')).toBe(false);
    expect(evaluateRule('0 < self && self <= 65535', 8080)).toBe(true);
    expect(evaluateRule('0 < self && self <= 65535', 70000)).toBe(false);
    expect(evaluateRule('!self.contains("*")', 'a.example.com')).toBe(true);
    expect(evaluateRule('(has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1', { credentialName: 'a', credentialNames: ['b'] })).toBe(false);
    expect(evaluateRule('self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ number: 80 }, { number: 80 }])).toBe(false);
    expect(evaluateRule('self.all(key, 0 < int(key) && int(key) <= 65535)', { 8080: {} })).toBe(true);
    expect(evaluateRule('url(self).getScheme() in ["http", "https"]', 'https://issuer.example.com/keys')).toBe(true);
    expect(evaluateRule('url(self).getScheme() in ["http", "https"]', 'ftp://issuer.example.com')).toBe(false);
    expect(evaluateRule('isURL(self)', 'not a url')).toBe(false);
  });

  it('reports a rule it cannot evaluate instead of passing it', () => {
    expect(evaluateRule('self.nosuchfunction()', 'x')).toMatch(/nosuchfunction/);
  });

  it('sees whole JSON numbers as ints', () => {
    expect(toCel({ a: [1, 2.5] })).toEqual({ a: [1n, 2.5] });
  });
});

describe('CEL rules of CRDs', () => {
  const crd = CrdSchemas.fromYaml(testCrd('Limit', `
type: object
x-kubernetes-validations:
- rule: "(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1"
  message: at most one of a and b
properties:
  a: { type: string }
  b: { type: string }
  timeout:
    type: string
    x-kubernetes-validations:
    - rule: duration(self) >= duration('1ms')
  ports:
    type: array
    items:
      type: integer
      x-kubernetes-validations:
      - rule: 0 < self && self <= 65535
        message: port must be between 1-65535
`));
  const limit = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Limit', metadata: { name: 'l', namespace: 'ns' }, spec });

  it('passes objects that satisfy every rule', () => {
    expect(crd.validate([limit({ a: 'x', timeout: '5s', ports: [80, 443] })])).toEqual([]);
  });

  it('reports each broken rule with its path and message', () => {
    expect(crd.validate([limit({ a: 'x', b: 'y', timeout: '0s', ports: [80, 0] })]).map((p) => p.message)).toEqual([
      '/spec: at most one of a and b (rule: (has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1)',
      '/spec/timeout: failed rule: duration(self) >= duration(\'1ms\') (rule: duration(self) >= duration(\'1ms\'))',
      '/spec/ports/1: port must be between 1-65535 (rule: 0 < self && self <= 65535)',
    ]);
  });

  // Rules deep in the schema, none above them: the walk reaches them through lists and maps.
  const deep = CrdSchemas.fromYaml(testCrd('Deep', `
type: object
properties:
  routes:
    type: array
    items:
      type: object
      properties:
        name: { type: string }
        retries:
          type: object
          properties:
            attempts:
              type: integer
              x-kubernetes-validations:
              - rule: self <= 5
                message: at most 5 attempts
  byName:
    type: object
    additionalProperties:
      type: string
      x-kubernetes-validations:
      - rule: self != 'none'
`));
  // Defaults the rules read: the API server fills them in before it evaluates the rules.
  const defaulted = CrdSchemas.fromYaml(testCrd('Defaulted', `
type: object
properties:
  retries:
    type: object
    x-kubernetes-validations:
    - rule: self.attempts <= 5
      message: at most 5 attempts
    properties:
      attempts: { type: integer, default: 3 }
  policy:
    type: object
    default: { mode: none }
    properties:
      mode:
        type: string
        x-kubernetes-validations:
        - rule: self != 'none'
          message: mode none is refused
`));
  const of = (kind: string, spec: object) => ({ apiVersion: 'example.com/v1', kind, metadata: { name: 'x', namespace: 'ns' }, spec });

  it('evaluates rules deep in lists and maps, with their paths', () => {
    expect(deep.validate([of('Deep', { routes: [{ name: 'a', retries: { attempts: 9 } }, { name: 'b' }, { name: 'c', retries: { attempts: 2 } }], byName: { x: 'ok', y: 'none' } })])
      .map((p) => p.message)).toEqual([
      '/spec/routes/0/retries/attempts: at most 5 attempts (rule: self <= 5)',
      '/spec/byName/y: failed rule: self != \'none\' (rule: self != \'none\')',
    ]);
    expect(deep.validate([of('Deep', { routes: [{ name: 'a' }], byName: { x: 'ok' } })])).toEqual([]);
  });

  it('evaluates the rules on the defaulted object, defaulted fields included', () => {
    expect(defaulted.validate([of('Defaulted', { retries: {}, policy: { mode: 'strict' } })])).toEqual([]);
    expect(defaulted.validate([of('Defaulted', { retries: { attempts: 7 } })]).map((p) => p.message)).toEqual([
      '/spec/retries: at most 5 attempts (rule: self.attempts <= 5)',
      '/spec/policy/mode: mode none is refused (rule: self != \'none\')',
    ]);
  });

  it('applies Istio 1.30.3\'s rules: an EnvoyFilter with both workloadSelector and targetRefs', () => {
    const problems = istioCrdSchemas().validate([{
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'ef', namespace: 'ns' },
      spec: { workloadSelector: { labels: { app: 'a' } }, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'g' }] },
    }]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^\/spec: only one of targetRefs or workloadSelector can be set/)]);
  });
});
