/** A value computed at synth time, typed as what it resolves to. */
import { Lazy } from 'cdk8s';

/**
 * `Lazy.any` typed: cdk8s returns `any` (a token resolved when the chart is synthesized); the
 * token resolves to what `produce` returns, so it stands for a `T`.
 */
export function lazy<T>(produce: () => T): T {
  const token: unknown = Lazy.any({ produce });
  return token as T;
}
