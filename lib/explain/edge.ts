/**
 * A loaded edge: the manifests of an edge read once, in either form, and asked many questions.
 * Gateway API objects (Gateway, HTTPRoute, ReferenceGrant) are read back the way istiod reads them
 * ({@link gatewayApiToIstio}: a Gateway per listener, VirtualServices in Gateway API precedence,
 * the pods Istio deploys) and evaluated like the Istio form. The object index is built once, so
 * each further request or request-table row is a lookup, not a rebuild.
 */
import { KubernetesObject } from '../model/kubernetes-object';
import { gatewayApiToIstio } from '../gateway-api/to-istio';
import { arr, labels, rec, str } from '../model/json';
import { resolveHost } from '../contract/hosts';
import { ExplainOptions, ExplainRequest, Explainer, Explanation } from './explain';
import { buildEdgeGraph, EdgeGraph, EdgeGraphOptions } from './graph';
import { CoverageReport, CoverageRow, requestCoverage } from './coverage';
import { compareExpectation, ExpectedDestination, RequestCase, RequestCaseResult } from './table';
import { rolloutAtStep, RolloutStepError, RolloutStepSummary } from './rollout';

/**
 * Which form the manifests are in: "gateway-api" when they hold Gateway API routing objects
 * (Gateway, HTTPRoute, ReferenceGrant) and no Istio Gateway, "mixed" with both, else "istio"
 * (manifests without any gateway, mesh routes only, read the same in both forms).
 */
export type EdgeForm = 'istio' | 'gateway-api' | 'mixed';

const GATEWAY_API_READ_BACK = new Set(['Gateway', 'HTTPRoute', 'ReferenceGrant']);

function isGatewayApi(o: KubernetesObject): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith('gateway.networking.k8s.io/');
}

/** An Istio Gateway: mesh VirtualServices are the same in both forms, so only gateways tell the forms apart. */
function isIstioGateway(o: KubernetesObject): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.istio.io/') && o.kind === 'Gateway';
}

/**
 * An edge's manifests, loaded once: ask it where requests go ({@link LoadedEdge.explain}), check
 * request tables ({@link LoadedEdge.checkTable}) or draw it ({@link LoadedEdge.graph}).
 *
 * ```ts
 * const edge = LoadedEdge.load((await readManifests(['dist/gateway-api/prod'])).objects);
 * edge.explain({ host: 'shop.example.com', scheme: 'https', path: '/api/items' }).decision; // 'routed'
 * edge.checkTable(parseRequestTable(text, 'prod.yaml')); // each row a lookup
 * ```
 */
export class LoadedEdge {
  /**
   * Loads manifests in the Istio form, the Gateway API form, or both.
   * @param objects the manifests (as {@link readManifests} returns them)
   * @param options the root namespaces whose policies apply mesh-wide
   */
  public static load(objects: readonly KubernetesObject[], options: ExplainOptions = {}): LoadedEdge {
    return new LoadedEdge(objects, options);
  }

  /** The form of the manifests given. */
  public readonly form: EdgeForm;
  /** The objects evaluated: the manifests, with Gateway API routing read back as istiod reads it. */
  public readonly objects: readonly KubernetesObject[];
  /** For an edge at a canary step ({@link LoadedEdge.atRolloutStep}): the Rollout, the step, the weights and managed routes in force. */
  public readonly rolloutStep?: RolloutStepSummary;
  private readonly explainer: Explainer;
  private readonly options: ExplainOptions;
  private readonly input: readonly KubernetesObject[];
  private readonly steps = new Map<string, LoadedEdge>();

  private constructor(objects: readonly KubernetesObject[], options: ExplainOptions, rolloutStep?: RolloutStepSummary) {
    this.input = objects;
    this.rolloutStep = rolloutStep;
    const gatewayApi = objects.some((o) => isGatewayApi(o) && GATEWAY_API_READ_BACK.has(o.kind));
    const istio = objects.some(isIstioGateway);
    this.form = gatewayApi ? (istio ? 'mixed' : 'gateway-api') : 'istio';
    this.objects = gatewayApi ? gatewayApiToIstio(objects) : objects;
    this.options = options;
    this.explainer = new Explainer(this.objects, options);
  }

  /**
   * Where a request goes. Throws on a request that is not one (no host); anything the manifests
   * leave open is in `unknowns` and makes the decision `unknown` when it matters.
   */
  public explain(request: ExplainRequest): Explanation {
    const e = this.explainer.explain(request);
    const r = this.rolloutStep;
    if (!r) return e;
    return {
      ...e, rollout: r,
      steps: [`Rollout ${r.rollout} at step ${r.step} of ${r.steps} (${r.current}), as the Argo Rollouts controller sets the routes:`, ...r.changes.map((c) => `  ${c}`), ...e.steps],
      unknowns: [...r.unknowns, ...e.unknowns],
    };
  }

  /**
   * The edge while an Argo Rollouts canary is at a step: the VirtualServices and DestinationRule
   * as the controller has them when the Rollout's `status.currentStepIndex` is `step` (weights of
   * the last setWeight, header and mirror routes of the steps so far); `step` equal to the number
   * of steps is the end (promoted). Loaded once per Rollout and step.
   * @param rollout "namespace/name" of the Rollout
   * @param step the step, from 0
   * @throws RolloutStepError for a Rollout, step or reference explain cannot evaluate (named by its `problem`)
   */
  public atRolloutStep(rollout: string, step: number): LoadedEdge {
    const key = `${rollout}#${step}`;
    let edge = this.steps.get(key);
    if (!edge) {
      const at = rolloutAtStep(this.input, rollout, step);
      edge = new LoadedEdge(at.objects, this.options, at.summary);
      this.steps.set(key, edge);
    }
    return edge;
  }

  /**
   * Explains every row of a request table and compares it with the row's expectation; a row that
   * names a Rollout and step is answered at that step ({@link LoadedEdge.atRolloutStep}).
   */
  public checkTable(cases: readonly RequestCase[]): RequestCaseResult[] {
    return cases.map((c) => {
      const edge = c.rollout ? this.rowAtStep(c.name, c.rollout) : this;
      const explanation = edge.explain(c.request);
      const failures = compareExpectation(explanation, c.expect, c.request.path ?? '/', (d: ExpectedDestination) => edge.expectedPods(d));
      return { name: c.name, request: c.request, passed: failures.length === 0, failures, explanation };
    });
  }

  /**
   * Which routes and policies of the edge the rows exercise (each route per gateway or mesh, each
   * authorization and JWT rule, each rate limit), with percentages: give it the results of
   * {@link LoadedEdge.checkTable}, of one table or of several together. A row answered at a
   * Rollout step counts for the policies only: its routes are those the controller sets at that step.
   */
  public coverage(rows: readonly CoverageRow[]): CoverageReport {
    return requestCoverage(this.objects, rows);
  }

  private rowAtStep(row: string, at: { readonly name: string; readonly step: number }): LoadedEdge {
    try {
      return this.atRolloutStep(at.name, at.step);
    } catch (e) {
      if (e instanceof RolloutStepError) throw new RolloutStepError(e.problem, `Request "${row}": ${e.message}`);
      throw e;
    }
  }

  /** The picture of the edge. */
  public graph(options: EdgeGraphOptions = {}): EdgeGraph {
    return buildEdgeGraph(this.objects, { rootNamespaces: this.options.rootNamespaces, rolloutStep: this.rolloutStep, ...options });
  }

  /**
   * The pods an expected destination names (its Service's selector with the subset's labels from
   * the DestinationRule for that host), so that "api.shop subset v2" also matches the Service per
   * version (`api-v2.shop`) the Gateway API form routes to. Undefined when the edge cannot tell.
   */
  private expectedPods(d: ExpectedDestination): { namespace: string; labels: Record<string, string> } | undefined {
    const host = d.host;
    if (host === undefined) return undefined;
    // The host as a table writes it: "api", "api.shop" or the FQDN (compared as the table does).
    const fqdns = [...this.explainer.index.services.keys()].filter((f) => f === host || f.startsWith(`${host}.`));
    if (fqdns.length !== 1) return undefined;
    const fqdn = fqdns[0];
    const service = this.explainer.index.services.get(fqdn)!;
    const namespace = fqdn.split('.')[1];
    let selected: Record<string, string> = labels(rec(service.spec).selector);
    if (d.subset !== undefined) {
      const subset = this.explainer.index.ofKind('DestinationRule')
        .filter((o) => resolveHost(str(rec(o.spec).host) ?? '', o.metadata?.namespace ?? 'default') === fqdn)
        .flatMap((o) => arr(rec(o.spec).subsets).map(rec)).find((s) => s.name === d.subset);
      if (!subset) return undefined;
      selected = { ...selected, ...labels(subset.labels) };
    }
    return Object.keys(selected).length ? { namespace, labels: selected } : undefined;
  }
}

/**
 * Explains one request against manifests (either form). For many requests, load the edge once
 * with {@link LoadedEdge.load} and ask it: this function reads the manifests anew on every call.
 */
export function explainRequest(objects: readonly KubernetesObject[], request: ExplainRequest, options: ExplainOptions = {}): Explanation {
  return LoadedEdge.load(objects, options).explain(request);
}

/** Explains every row of a table against the manifests (either form) and compares. */
export function checkRequestTable(objects: readonly KubernetesObject[], cases: readonly RequestCase[], options: ExplainOptions = {}): RequestCaseResult[] {
  return LoadedEdge.load(objects, options).checkTable(cases);
}
