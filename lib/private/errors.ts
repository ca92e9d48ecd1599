/**
 * The one shape of every error the package throws or reports: where, what, the value and the fix.
 */
// Type-only: the readers (analysis, explain, the Gateway API conversion) use these errors without loading cdk8s.
import type { Duration } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { istioDuration } from './duration';

/**
 * The one shape every error of this package has: the construct path, the property, the value
 * received and how to fix it. `scope` may be a path string for objects that are not constructs.
 */
export function describeProblem(scope: IConstruct | string, property: string, value: unknown, fix: string): string {
  const path = typeof scope === 'string' ? scope : scope.node.path || '<root>';
  return `${path}: invalid ${property}: received ${show(value)}. ${fix}`;
}

/** Throws the error described by {@link describeProblem}. */
export function fail(scope: IConstruct | string, property: string, value: unknown, fix: string): never {
  throw new Error(describeProblem(scope, property, value, fix));
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (isDuration(value)) return showDuration(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value); // NaN and Infinity, not JSON's null
  try {
    return JSON.stringify(value) ?? primitive(value);
  } catch {
    return primitive(value); // circular structures, BigInt
  }
}


/** A cdk8s Duration, recognized by its methods (cdk8s is not loaded here). */
function isDuration(value: unknown): value is Duration {
  const d = value as { toMilliseconds?: unknown; toHumanString?: unknown } | null;
  return typeof d === 'object' && d !== null && typeof d.toMilliseconds === 'function' && typeof d.toHumanString === 'function';
}

function showDuration(value: Duration): string {
  try {
    return istioDuration(value);
  } catch {
    try {
      const human = value.toHumanString(); // not a whole number of milliseconds
      return human ? `Duration ${human}` : 'a Duration that is not a number';
    } catch {
      return 'a Duration that is not a number';
    }
  }
}

function primitive(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}
