/**
 * CEL rules of CustomResourceDefinitions (`x-kubernetes-validations`), evaluated the way the API
 * server evaluates them: a CEL engine from npm plus the Kubernetes CEL library functions the rules
 * use (`isURL`, `url(...).getScheme()`, and the standard `duration`, `matches`, `substring`...).
 * @see https://kubernetes.io/docs/reference/using-api/cel/
 */
import { Environment } from '@marcbachmann/cel-js';

/** A parsed URL, as Kubernetes' `url()` returns it. */
class KubernetesURL {
  public constructor(private readonly url: URL) {}
  public scheme(): string {
    return this.url.protocol.replace(/:$/, '');
  }
}

function parseUrl(value: string): URL | undefined {
  // Kubernetes accepts absolute URLs and absolute paths; url() fails on anything else.
  try {
    return new URL(value);
  } catch {
    return value.startsWith('/') ? new URL(value, 'relative:///') : undefined;
  }
}

let environment: Environment | undefined;

/** The CEL environment with the Kubernetes library functions. */
export function kubernetesCel(): Environment {
  if (environment) return environment;
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  env.registerType('URL', KubernetesURL);
  env.registerFunction('isURL(string): bool', (s: string) => parseUrl(s) !== undefined);
  env.registerFunction('url(string): URL', (s: string) => {
    const u = parseUrl(s);
    if (!u) throw new Error(`url: invalid URL "${s}"`);
    return new KubernetesURL(u);
  });
  env.registerFunction({
    name: 'getScheme', receiverType: 'URL', returnType: 'string', params: [],
    handler: (u: KubernetesURL) => (u.scheme() === 'relative' ? '' : u.scheme()),
  });
  environment = env;
  return env;
}

/** JSON values as CEL sees them: whole numbers are ints. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

const compiled = new Map<string, ReturnType<Environment['parse']>>();

/**
 * Evaluates a rule with `self` bound to `value`. Returns true when the rule holds, false when it
 * does not, and an error message when it cannot be evaluated.
 */
export function evaluateRule(rule: string, value: unknown): boolean | string {
  try {
    let program = compiled.get(rule);
    if (!program) {
      program = kubernetesCel().parse(rewriteIndexedHas(rule));
      compiled.set(rule, program);
    }
    return program({ self: toCel(value) }) === true;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * cel-js refuses `has()` of a field selected from an index expression (`has(self.matches[0].path)`,
 * which the Gateway API CRDs use); for JSON objects it means `'path' in self.matches[0]`.
 */
export function rewriteIndexedHas(rule: string): string {
  let out = '';
  let i = 0;
  while (i < rule.length) {
    const at = rule.indexOf('has(', i);
    if (at < 0 || (at > 0 && /[\w.]/.test(rule[at - 1]))) {
      if (at < 0) return out + rule.slice(i);
      out += rule.slice(i, at + 4);
      i = at + 4;
      continue;
    }
    let depth = 1;
    let j = at + 4;
    for (; j < rule.length && depth > 0; j++) {
      if (rule[j] === '(') depth++;
      else if (rule[j] === ')') depth--;
    }
    const arg = rule.slice(at + 4, j - 1);
    const m = /^(.*\])\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)$/s.exec(arg.trim());
    out += rule.slice(i, at) + (m ? `('${m[2]}' in ${rewriteIndexedHas(m[1])})` : `has(${rewriteIndexedHas(arg)})`);
    i = j;
  }
  return out;
}
