/**
 * Authorization at the gateway, rendered as Istio `AuthorizationPolicy` and `RequestAuthentication`
 * (security.istio.io/v1) on the gateway pods.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, AuthorizationPolicySpecAction, AuthorizationPolicySpecRules, AuthorizationPolicySpecRulesToOperation,
  RequestAuthentication,
} from '../imports/istio-security.istio.io';
import { fail } from './private/errors';
import { HttpMethod } from './match';
import { RouteRequests } from './route-requests';
import { DNS_LABEL, validateCidrs } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Which requests a gateway rule applies to. */
export interface RequestScope {
  /**
   * Hosts (each served by the gateway).
   * @default - every host
   */
  readonly hosts?: string[];
  /**
   * Paths: exact, or with a "*" prefix or suffix ("/admin/*").
   * @default - every path
   */
  readonly paths?: string[];
  /**
   * Routes of `AppRoute`s bound to this gateway (`appRoute.route('orders')`): the rule then covers
   * exactly the requests they match (hosts, path prefixes as "prefix*", exact paths, methods,
   * exact and prefix headers). Give this or hosts/paths/methods.
   * @default - none
   */
  readonly routes?: RouteRequests[];
}

/** Options of a source IP allow-list. */
export interface SourceIpAllowListOptions extends RequestScope {
  /** Client address ranges (CIDR) allowed; every other client is denied. */
  readonly cidrs: string[];
}

/** Options of a deny rule. */
export interface DenyRequestsOptions extends RequestScope {
  /**
   * Methods.
   * @default - every method
   */
  readonly methods?: HttpMethod[];
}

/** Options of a JWT requirement. */
export interface RequireJwtOptions extends RequestScope {
  /** The token issuer (`iss`). */
  readonly issuer: string;
  /** Where the issuer publishes its keys (https). */
  readonly jwksUri: string;
  /**
   * Accepted audiences (`aud`).
   * @default - any
   */
  readonly audiences?: string[];
  /**
   * Forward the token to the services.
   * @default true
   */
  readonly forwardOriginalToken?: boolean;
}

/** What a gateway rule needs to know of the gateway pods it applies to. */
export interface GatewayPods {
  /** Namespace of the gateway pods (policies apply to pods of their own namespace). */
  readonly namespace: string;
  /** Labels of the gateway pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Base of the policies' names (the gateway workload's name). */
  readonly baseName: string;
  /** The hosts the gateway serves. */
  readonly hosts: readonly string[];
  /** Whether the gateway sees clients' addresses (a source IP rule is refused otherwise). */
  readonly clientIpKnown: boolean;
  /**
   * The ports the gateway pods listen on for plain-HTTP servers that redirect to HTTPS, when known.
   * The DENY rules (`allowSourceIps`, `denyRequests`, `requireJwt`) leave them out (`notPorts`): Envoy's RBAC filter
   * runs before the router that sends the redirect, so a rule that also applied there would answer
   * http:// requests 403 instead of 301.
   * @default - none (the rules apply on every port; the analysis warns, EDGE6007)
   */
  readonly redirectPorts?: readonly number[];
}

/**
 * The authorization rules of one gateway: each rule has a name unique on the gateway, which names
 * its objects (`<workload>-<name>`).
 * @internal
 */
export class GatewayAuthorization {
  private readonly names = new Set<string>();

  public constructor(private readonly scope: Construct, private readonly pods: () => GatewayPods) {}

  /** A DENY policy for every source outside `cidrs`. */
  public allowSourceIps(name: string, options: SourceIpAllowListOptions): AuthorizationPolicy {
    const at = this.property(name);
    checkArgs(this.scope, at, options, req(SHAPES.SourceIpAllowListOptions));
    const pods = this.pods();
    if (!pods.clientIpKnown) {
      fail(this.scope, `${at}.cidrs`, options.cidrs, 'With ExternalTrafficPolicy.CLUSTER the gateway sees node addresses, not clients\': set azure.externalTrafficPolicy to ExternalTrafficPolicy.LOCAL.');
    }
    const from = [{ source: { notRemoteIpBlocks: validateCidrs(this.scope, `${at}.cidrs`, options.cidrs) } }];
    const routed = this.routeRules(at, options);
    if (routed) return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls(routed.map((r) => ({ from, ...r }))));
    const op = this.operation(at, pods, options);
    return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls([{ from, to: op ? [{ operation: op }] : undefined }]));
  }

  /** A DENY policy for the matching requests. */
  public denyRequests(name: string, options: DenyRequestsOptions): AuthorizationPolicy {
    const at = this.property(name);
    const routed = this.routeRules(at, options, options.methods);
    if (routed?.some((r) => !r.to && !r.when)) fail(this.scope, `${at}.routes`, '(a route matching every request)', 'Denying everything would close the gateway: name routes with conditions, or give paths.');
    if (routed) return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls(routed));
    const op = this.operation(at, this.pods(), options, options.methods);
    if (!op) fail(this.scope, at, options, 'Say which requests to deny: hosts, paths or methods (denying everything would close the gateway).');
    return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls([{ to: [{ operation: op }] }]));
  }

  /** A RequestAuthentication that validates tokens, and a DENY policy for requests without a principal. */
  public requireJwt(name: string, options: RequireJwtOptions): AuthorizationPolicy {
    const at = this.property(name);
    checkArgs(this.scope, at, options, req(SHAPES.RequireJwtOptions));
    validateJwt(this.scope, at, options);
    const pods = this.pods();
    const routed = this.routeRules(at, options);
    const op = routed ? undefined : this.operation(at, pods, options);
    new RequestAuthentication(this.scope, `Jwt-${name}`, {
      metadata: { name: `${pods.baseName}-${name}`, namespace: pods.namespace },
      spec: {
        selector: { matchLabels: { ...pods.selector } },
        jwtRules: [{ issuer: options.issuer, jwksUri: options.jwksUri, audiences: options.audiences, forwardOriginalToken: options.forwardOriginalToken ?? true }],
      },
    });
    const from = [{ source: { notRequestPrincipals: ['*'] } }];
    if (routed) return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls(routed.map((r) => ({ from, ...r }))));
    return this.policy(name, AuthorizationPolicySpecAction.DENY, this.overTls([{ from, to: op ? [{ operation: op }] : undefined }]));
  }

  /**
   * The rules, left out on the pod ports of the HTTP servers that redirect to HTTPS (`notPorts`),
   * so that an http:// request still gets its 301 and meets the rule over HTTPS.
   */
  private overTls(rules: AuthorizationPolicySpecRules[]): AuthorizationPolicySpecRules[] {
    const ports = this.pods().redirectPorts ?? [];
    if (ports.length === 0) return rules;
    const notPorts = ports.map(String);
    return rules.map((r) => ({ ...r, to: (r.to ?? [{ operation: {} }]).map((t) => ({ operation: { ...t.operation, notPorts } })) }));
  }

  /** The rules covering exactly the requests of the given routes (one per route match), or undefined without routes. */
  private routeRules(property: string, r: RequestScope, methods?: HttpMethod[]): AuthorizationPolicySpecRules[] | undefined {
    if (r.routes === undefined) return undefined;
    if (r.hosts !== undefined || r.paths !== undefined || methods !== undefined) {
      fail(this.scope, `${property}.routes`, '(set, with hosts, paths or methods)', 'Give either routes (the policy covers what they match) or hosts/paths/methods, not both.');
    }
    if (!Array.isArray(r.routes) || r.routes.length === 0) fail(this.scope, `${property}.routes`, r.routes, 'List at least one route, for example [appRoute.route("orders")].');
    return r.routes.flatMap((route, i) => {
      if (!(route instanceof RouteRequests)) fail(this.scope, `${property}.routes[${i}]`, route, 'Use appRoute.route("<route name>").');
      if (!route.appRoute.gateways.includes(this.scope)) {
        fail(this.scope, `${property}.routes[${i}]`, route.appRoute.node.path, 'The route is not bound to this gateway, so the gateway never sees its requests: pass a route of this gateway.');
      }
      return route._rules(this.scope, `${property}.routes[${i}]`).map((rule) => ({
        to: Object.keys(rule.operation).length ? [{ operation: { ...rule.operation } }] : undefined,
        when: rule.when?.map((w) => ({ key: w.key, values: [...w.values] })),
      }));
    });
  }

  private property(name: string): string {
    if (typeof name !== 'string' || name.length > 63 || !DNS_LABEL.test(name)) {
      fail(this.scope, 'authorization name', name, 'Use a DNS-1123 label such as "block-admin".');
    }
    if (this.names.has(name)) fail(this.scope, 'authorization name', name, 'Each authorization rule of a gateway needs its own name.');
    this.names.add(name);
    return `authorization["${name}"]`;
  }

  private policy(name: string, action: AuthorizationPolicySpecAction, rules: AuthorizationPolicySpecRules[]): AuthorizationPolicy {
    const pods = this.pods();
    return new AuthorizationPolicy(this.scope, `Authz-${name}`, {
      metadata: { name: `${pods.baseName}-${name}`, namespace: pods.namespace },
      spec: { selector: { matchLabels: { ...pods.selector } }, action, rules },
    });
  }

  /** The operation of a rule: hosts (with and without a port), paths and methods. */
  private operation(property: string, pods: GatewayPods, r: RequestScope, methods?: HttpMethod[]): AuthorizationPolicySpecRulesToOperation | undefined {
    r.hosts?.forEach((h, i) => {
      validateHost(this.scope, `${property}.hosts[${i}]`, h);
      if (!pods.hosts.includes(h)) fail(this.scope, `${property}.hosts[${i}]`, h, `Use a host the gateway serves (${pods.hosts.join(', ')}).`);
    });
    validatePaths(this.scope, `${property}.paths`, r.paths);
    const op: { hosts?: string[]; paths?: string[]; methods?: string[] } = {};
    if (r.hosts?.length) op.hosts = r.hosts.flatMap((h) => [h, `${h}:*`]);
    if (r.paths?.length) op.paths = [...r.paths];
    if (methods?.length) op.methods = [...methods];
    return Object.keys(op).length ? op : undefined;
  }
}

/**
 * Checks paths as Istio's AuthorizationPolicy matches them: exact, a single "*" at the start or
 * end, or a path template of whole segments `{*}` (one segment) and `{**}` (any number, once, after
 * every `{*}`) between literal segments of URI path characters (Istio's CheckValidPathTemplate).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
function validatePaths(scope: Construct, property: string, paths: readonly string[] | undefined): void {
  paths?.forEach((p, i) => {
    const problem = authorizationPathProblem(p);
    if (problem) fail(scope, `${property}[${i}]`, p, problem);
  });
}

/** Valid literal segments of a path template (RFC 3986 pchar), as Istio's `validLiteral`. */
const TEMPLATE_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** Why Istio refuses `p` as an AuthorizationPolicy path, or undefined when it accepts it. */
function authorizationPathProblem(p: unknown): string | undefined {
  const plain = 'Use a path starting with "/", exact or with a single "*" at its start or end ("/admin/*"), or a template of whole segments "{*}" and "{**}" ("/api/{*}/admin", "/files/{**}").';
  if (typeof p !== 'string' || p === '' || !(p.startsWith('/') || p.startsWith('*'))) return plain;
  if (p.includes('{*}') || p.includes('{**}')) {
    let any = false;
    for (const segment of p.replace(/^\/+|\/+$/g, '').split('/')) {
      if (segment === '{*}' && !any) continue;
      if (segment === '{**}' && !any) {
        any = true;
        continue;
      }
      if (segment === '{*}' || segment === '{**}') return 'In a path template "{**}" must be the last operator (no "{*}" or "{**}" after it), as Istio requires.';
      if (/[{}]/.test(segment)) return 'A path template takes only whole segments "{*}" and "{**}": no named variables ("{id}"), "{}" or partial segments ("{*}.txt"), as Istio requires.';
      if (!TEMPLATE_LITERAL.test(segment)) return `The segment "${segment}" of a path template must be URI path characters (letters, digits, -._~%!$&'()+,;:@=; no "*", "?" or empty segment), as Istio requires.`;
    }
    return undefined;
  }
  if (/[{}]/.test(p)) return 'Istio reads "{" and "}" in a policy path as a path template and refuses any other use: use "{*}" or "{**}" as whole segments, or drop the braces.';
  if (p.replace(/^\*/, '').replace(/\*$/, '').includes('*')) return plain;
  return undefined;
}

/** Checks a JWT issuer and key URI. */
function validateJwt(scope: Construct, property: string, o: RequireJwtOptions): void {
  if (typeof o.issuer !== 'string' || o.issuer.trim() === '') fail(scope, `${property}.issuer`, o.issuer, 'Give the token issuer, for example "https://login.microsoftonline.com/<tenant>/v2.0".');
  let url: URL | undefined;
  try {
    url = new URL(o.jwksUri);
  } catch {
    url = undefined;
  }
  // Istio parses jwksUri with Go's url.Parse, stricter than WHATWG's URL: no leading or inner
  // white space or control character (JavaScript strips them), no backslash (JavaScript reads "/"),
  // every "%" followed by two hex digits.
  const goParses = typeof o.jwksUri === 'string' && ![...o.jwksUri].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || c === '\\') && !/%(?![0-9A-Fa-f]{2})/.test(o.jwksUri);
  if (!url || url.protocol !== 'https:' || !goParses) fail(scope, `${property}.jwksUri`, o.jwksUri, 'Give the https URL of the issuer\'s keys (JWKS), without spaces, backslashes or bad %-escapes (Istio parses it as Go\'s url.Parse does).');
  o.audiences?.forEach((a, i) => {
    if (a === '') fail(scope, `${property}.audiences[${i}]`, a, 'Give a non-empty audience, or leave audiences out to accept any.');
  });
}
