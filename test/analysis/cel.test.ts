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

  it('applies Istio 1.30.3\'s rules: an EnvoyFilter with both workloadSelector and targetRefs', () => {
    const problems = istioCrdSchemas().validate([{
      apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'ef', namespace: 'ns' },
      spec: { workloadSelector: { labels: { app: 'a' } }, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'g' }] },
    }]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^\/spec: only one of targetRefs or workloadSelector can be set/)]);
  });
});
