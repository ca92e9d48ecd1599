// private/shared-json.ts: one copy of equal JSON data across a construct tree (issue 28's memory),
// never sharing what JSON.stringify would not tell apart.
import { Lazy } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { shareJson } from '../lib/private/shared-json';

describe('shareJson', () => {
  it('returns the first of equal values, frozen', () => {
    const a = shareJson({ tcpSocket: { port: 8080 }, failureThreshold: 3, ports: [{ name: 'http' }] });
    const b = shareJson({ tcpSocket: { port: 8080 }, failureThreshold: 3, ports: [{ name: 'http' }] });
    expect(b).toBe(a);
    expect(Object.isFrozen(a.tcpSocket) && Object.isFrozen(a.ports[0])).toBe(true);
    expect(shareJson({ tcpSocket: { port: 8081 }, failureThreshold: 3, ports: [{ name: 'http' }] })).not.toBe(a);
  });

  it('leaves alone what JSON.stringify would confuse: -0, NaN, undefined, holes, tokens, class instances', () => {
    class Port { constructor(public readonly port: number) {} }
    for (const make of [
      () => ({ x: -0 }), () => ({ x: NaN }), () => ({ x: undefined, y: 1 }), () => ({ x: [1, , 2] }), // eslint-disable-line no-sparse-arrays
      () => ({ x: Lazy.any({ produce: () => 1 }) }), () => ({ x: new Port(1) }), () => ({ x: new Date(0) }),
    ]) {
      const first = shareJson(make());
      const second = make();
      expect(shareJson(second)).toBe(second);
      expect(Object.isFrozen(first)).toBe(false);
    }
  });
});
