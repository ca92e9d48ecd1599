/**
 * The requests one HTTP route of an {@link AppRoute} matches, as gateway authorization rules: a
 * policy built from them covers exactly what the route takes, so the two cannot disagree.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
import type { IConstruct } from 'constructs';
import type { VirtualServiceSpecHttpMatch } from '../imports/istio-networking.istio.io';
import { fail } from './private/errors';

/** One authorization rule's request part: an operation and its header conditions. */
export interface RouteRequestRule {
  /** Hosts, paths and methods (each list an OR; the lists an AND). */
  readonly operation: { readonly hosts?: string[]; readonly paths?: string[]; readonly methods?: string[] };
  /** Header conditions (AND). */
  readonly when?: Array<{ readonly key: string; readonly values: string[] }>;
}

/**
 * The requests an HTTP route matches; get it from `appRoute.route('<name>')` and pass it in the
 * `routes` of `denyRequests`, `requireJwt` or `allowSourceIps`.
 */
export class RouteRequests {
  /** @internal */
  public constructor(
    /** The AppRoute. */
    public readonly appRoute: IConstruct & { readonly gateways: readonly IConstruct[] },
    /** The route's name. */
    public readonly routeName: string,
    private readonly hosts: () => readonly string[],
    private readonly matches: readonly VirtualServiceSpecHttpMatch[] | undefined,
  ) {}

  /**
   * The rules (an OR) covering exactly the route's requests: one per match of the route. A path
   * prefix "/api/orders" becomes "/api/orders*", since a VirtualService prefix matches
   * "/api/ordersX" too. Conditions an AuthorizationPolicy cannot express are errors.
   * @internal
   */
  public _rules(scope: IConstruct, property: string): RouteRequestRule[] {
    const hosts = [...this.hosts()];
    const hostList = hosts.includes('*') ? undefined : hosts.flatMap((h) => [h, `${h}:*`]);
    const matches = this.matches?.length ? this.matches : [{}];
    return matches.map((m, i) => {
      const at = `${property}(${this.appRoute.node.path} route "${this.routeName}" match[${i}])`;
      const refuse = (field: string, value: unknown) => fail(scope, `${at}.${field}`, value,
        'An AuthorizationPolicy cannot express this condition, so the policy could not cover exactly the route: give paths (and hosts, methods) instead of routes, or drop the condition from the route.');
      if (m.ignoreUriCase) refuse('ignoreUriCase', true);
      for (const key of ['queryParams', 'withoutHeaders', 'authority', 'scheme', 'sourceLabels', 'sourceNamespace', 'port', 'gateways'] as const) {
        if (m[key] !== undefined) refuse(key, m[key]);
      }
      const operation: { hosts?: string[]; paths?: string[]; methods?: string[] } = {};
      if (hostList) operation.hosts = hostList;
      if (m.uri?.regex !== undefined) refuse('uri.regex', m.uri.regex);
      // Istio reads "{" and "}" in an AuthorizationPolicy path as a path template ({*}, {**}) and
      // refuses any other use of them, so a route path with braces has no equivalent policy path.
      for (const kind of ['prefix', 'exact'] as const) {
        const path = m.uri?.[kind];
        if (path !== undefined && /[{}]/.test(path)) refuse(`uri.${kind}`, path);
      }
      if (m.uri?.prefix !== undefined) operation.paths = [m.uri.prefix === '/' ? '/*' : `${m.uri.prefix}*`];
      if (m.uri?.exact !== undefined) operation.paths = [m.uri.exact];
      if (m.method?.exact !== undefined) operation.methods = [m.method.exact];
      else if (m.method !== undefined) refuse('method', m.method);
      const when = Object.entries(m.headers ?? {}).map(([name, v]) => {
        // Istio's webhook refuses empty values in a policy condition (CheckEmptyValues).
        if (v.exact === '') return refuse(`headers["${name}"].exact`, v.exact);
        if (v.exact !== undefined) return { key: `request.headers[${name}]`, values: [v.exact] };
        if (v.prefix !== undefined) return { key: `request.headers[${name}]`, values: [`${v.prefix}*`] };
        return refuse(`headers["${name}"]`, v);
      });
      return { operation, when: when.length ? when : undefined };
    });
  }
}
