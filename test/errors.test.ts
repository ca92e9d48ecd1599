import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { describeProblem } from '../lib/private/errors';
import { istioDuration } from '../lib/private/duration';
import { hostCoveredBy, validateHost } from '../lib/contract/hosts';
import { validateDnsLabel, validateLabels, validatePort } from '../lib/private/validate';

describe('errors and validators', () => {
  it('messages name the path, the property, the value and the fix', () => {
    expect(describeProblem('app/edge', 'hosts[0]', 'X', 'Use lower case.')).toBe('app/edge: invalid hosts[0]: received "X". Use lower case.');
    expect(describeProblem('p', 'timeout', Duration.millis(1500), 'fix')).toBe('p: invalid timeout: received 1500ms. fix');
  });

  it('DNS labels, hosts, ports and labels', () => {
    expect(validateDnsLabel('p', 'n', 'a-1')).toBe('a-1');
    expect(() => validateDnsLabel('p', 'n', 'a'.repeat(64))).toThrow(/at most 63/);
    expect(() => validateDnsLabel('p', 'n', '-a')).toThrow(/DNS-1123 label/);
    expect(validateHost('p', 'h', '*.example.com')).toBe('*.example.com');
    expect(validateHost('p', 'h', '*')).toBe('*');
    expect(() => validateHost('p', 'h', '*', false)).toThrow(/invalid h/);
    expect(() => validateHost('p', 'h', 'shop.example.com:443')).toThrow(/no scheme, port or path/);
    expect(() => validateHost('p', 'h', 'a.*.example.com')).toThrow(/invalid h/);
    expect(validatePort('p', 'port', 65535)).toBe(65535);
    expect(() => validatePort('p', 'port', 1.5)).toThrow(/between 1 and 65535/);
    expect(() => validateLabels('p', 'labels', { 'app.kubernetes.io/name': 'ok', bad: 'no spaces' })).toThrow(/p: invalid labels\["bad"\]/);
  });

  it('gateway host coverage', () => {
    expect(hostCoveredBy('a.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('a.b.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('example.com', '*.example.com')).toBe(false);
    expect(hostCoveredBy('*.a.example.com', '*.example.com')).toBe(true);
    expect(hostCoveredBy('*.example.com', 'a.example.com')).toBe(false);
    expect(hostCoveredBy('anything.org', '*')).toBe(true);
    expect(hostCoveredBy('a.example.com', 'b.example.com')).toBe(false);
  });

  it('Istio durations', () => {
    expect(istioDuration(Duration.seconds(90))).toBe('90s');
    expect(istioDuration(Duration.millis(250))).toBe('250ms');
  });
});
