/** Regular expressions as Envoy and Istio read them: RE2, checked with a real RE2 engine (re2js). */
import { IConstruct } from 'constructs';
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { fail } from './errors';

let engine: typeof RE2JS | undefined;

/** Istio's limit on a regular expression's length in bytes (pkg/config/validation, validateStringRegexp). */
export const MAX_REGEX_BYTES = 1024;

/** The RE2 engine, loaded on first use (a synth without regular expressions never loads it). */
export function re2js(): typeof RE2JS {
  engine ??= (createRequire(__filename)('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return engine;
}

/**
 * Validates an RE2 regular expression (Istio's and Envoy's syntax): refuses what RE2 rejects,
 * such as look-arounds `(?=`, back-references `\1`, repeats above 1000 `a{1001}` and `\Z`, and
 * accepts RE2-only syntax such as `(?i)`, `(?P<name>...)` and `(?s)`.
 * @see https://github.com/google/re2/wiki/Syntax
 */
export function validateRe2(scope: IConstruct | string, property: string, pattern: unknown): string {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    fail(scope, property, pattern, 'Use a non-empty RE2 regular expression, for example "^/v[0-9]+/.*".');
  }
  // Istio's webhook (validateStringRegexp) bounds Envoy's RE2 program size by the length in bytes.
  if (Buffer.byteLength(pattern, 'utf8') > MAX_REGEX_BYTES) {
    fail(scope, property, `${pattern.slice(0, 40)}... (${Buffer.byteLength(pattern, 'utf8')} bytes)`, `Use a regular expression of at most ${MAX_REGEX_BYTES} bytes, as Istio's webhook requires (Envoy's RE2 program-size limit): split it into several matches or use prefix matches.`);
  }
  try {
    re2js().compile(pattern);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    fail(scope, property, pattern, `Use a valid RE2 regular expression (RE2 says: ${reason}); RE2 has no look-arounds, back-references or \\Z, and repeats at most 1000 times.`);
  }
  return pattern;
}

/** `text` as an RE2 pattern that matches exactly it. */
export function escapeRe2(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
