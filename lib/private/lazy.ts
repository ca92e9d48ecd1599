/**
 * A value computed at synth time, typed as what it resolves to; a construct validation.
 *
 * Why functions taking the closure rather than object literals (`Lazy.any({ produce: () => ... })`,
 * `addValidation({ validate: () => ... })`): esbuild's keepNames (tsx, scripts/compile.cjs) names
 * an arrow written as a property's value with `Object.defineProperty(fn, "name", ...)`, which
 * gives each such closure a property dictionary of its own (about 250 bytes); an arrow passed as
 * an argument is not named. Constructs made thousands of times hold these closures until synth
 * (issue 28: about 1.5 KiB per service of a scale edge).
 */
import { IValidation } from 'constructs';
import { Lazy } from 'cdk8s';

/**
 * `Lazy.any` typed: cdk8s returns `any` (a token resolved when the chart is synthesized); the
 * token resolves to what `produce` returns, so it stands for a `T`.
 */
export function lazy<T>(produce: () => T): T {
  const token: unknown = Lazy.any({ produce });
  return token as T;
}

/** A construct validation (`node.addValidation(validation(() => [...errors]))`): see the file's header. */
export function validation(validate: () => string[]): IValidation {
  return { validate };
}
