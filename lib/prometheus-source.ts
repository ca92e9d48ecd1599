/**
 * The Prometheus a progressive rollout's gates query: Argo Rollouts' Prometheus metric provider.
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
 */
import { Duration } from 'cdk8s';
import { fail } from './private/errors';
import { validateDnsSubdomain, validateWholeSeconds } from './private/validate';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** Options of {@link PrometheusSource.address}. */
export interface PrometheusAddressOptions {
  /**
   * How long a query may take.
   * @default - Argo Rollouts' default (30 seconds)
   */
  readonly timeout?: Duration;
}

/** A Kubernetes Secret key holding a credential. */
export interface SecretKeyOptions {
  /** The Secret's name (in the Rollout's namespace). */
  readonly secretName: string;
  /**
   * The key in the Secret.
   * @default "client-secret"
   */
  readonly key?: string;
}

/**
 * Azure Monitor managed service for Prometheus, queried with OAuth2 client credentials (an Entra
 * application or service principal with the "Monitoring Data Reader" role on the Azure Monitor
 * workspace): the authentication Argo Rollouts' Prometheus provider supports for it.
 * @see https://learn.microsoft.com/azure/azure-monitor/metrics/prometheus-api-promql
 */
export interface AzureManagedPrometheusOptions {
  /** The workspace's query endpoint, for example "https://amw-shop-prod-abcd.westeurope.prometheus.monitor.azure.com". */
  readonly queryEndpoint: string;
  /** The Entra tenant (directory) ID. */
  readonly tenantId: string;
  /** The application (client) ID that queries. */
  readonly clientId: string;
  /**
   * Where its client secret is: a Secret in the Rollout's namespace, read by the AnalysisTemplates
   * through an argument (`valueFrom.secretKeyRef`), so it never appears in the manifests.
   */
  readonly clientSecret: SecretKeyOptions;
  /**
   * How long a query may take.
   * @default - Argo Rollouts' default (30 seconds)
   */
  readonly timeout?: Duration;
}

/** What a source renders into an AnalysisTemplate. */
interface RenderedSource {
  readonly provider: Record<string, unknown>;
  readonly args?: Array<Record<string, unknown>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The argument the client secret reaches the provider by. */
const SECRET_ARG = 'prometheus-client-secret';

/**
 * Where the gates' Prometheus is: an address (the Prometheus Operator's in-cluster service), Azure
 * Managed Prometheus (OAuth2 client credentials), or the controller's default address
 * (`ARGO_ROLLOUTS_PROMETHEUS_ADDRESS` in the controller's environment).
 */
export abstract class PrometheusSource {
  /** A Prometheus reachable without authentication, for example "http://prometheus-operated.monitoring.svc:9090". */
  public static address(url: string, options: PrometheusAddressOptions = {}): PrometheusSource {
    checkArgs('PrometheusSource.address', 'options', options, SHAPES.PrometheusAddressOptions);
    return new AddressSource(checkUrl('PrometheusSource.address', 'url', url), options.timeout);
  }

  /** Azure Monitor managed service for Prometheus, with OAuth2 client credentials from a Secret. */
  public static azureManaged(options: AzureManagedPrometheusOptions): PrometheusSource {
    checkArgs('PrometheusSource.azureManaged', 'options', options, req(SHAPES.AzureManagedPrometheusOptions));
    const at = 'PrometheusSource.azureManaged';
    const endpoint = checkUrl(at, 'queryEndpoint', options.queryEndpoint);
    if (!endpoint.startsWith('https://')) fail(at, 'queryEndpoint', endpoint, 'Azure Managed Prometheus answers on https: give the workspace\'s query endpoint ("https://<workspace>.<region>.prometheus.monitor.azure.com").');
    if (!UUID.test(options.tenantId)) fail(at, 'tenantId', options.tenantId, 'Give the Entra tenant ID (a GUID).');
    if (!UUID.test(options.clientId)) fail(at, 'clientId', options.clientId, 'Give the application (client) ID (a GUID).');
    validateDnsSubdomain(at, 'clientSecret.secretName', options.clientSecret.secretName);
    const key = options.clientSecret.key ?? 'client-secret';
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) fail(at, 'clientSecret.key', key, 'Use a Secret key of letters, digits, "-", "_" and ".".');
    return new AzureManagedSource(endpoint, options.tenantId, options.clientId, options.clientSecret.secretName, key, options.timeout);
  }

  /**
   * The address the controller is configured with (`ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`): the
   * templates name none. A controller without it fails every measurement ("prometheus address is
   * not configured"), and the analysis reports the templates (RolloutGateWithoutDataSource).
   */
  public static controllerDefault(): PrometheusSource {
    return new DefaultSource();
  }

  /** @internal */
  public abstract _render(scope: string): RenderedSource;
}

function checkUrl(scope: string, property: string, url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  // Argo Rollouts' IsUrl: a scheme and a host.
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.host) fail(scope, property, url, 'Give an http(s) URL with a host, for example "http://prometheus-operated.monitoring.svc:9090".');
  return url.replace(/\/+$/, '');
}

function timeoutOf(scope: string, timeout: Duration | undefined): { timeout?: number } {
  return timeout === undefined ? {} : { timeout: validateWholeSeconds(scope, 'timeout', timeout) };
}

class AddressSource extends PrometheusSource {
  public constructor(private readonly url: string, private readonly timeout?: Duration) {
    super();
  }

  public _render(scope: string): RenderedSource {
    return { provider: { address: this.url, ...timeoutOf(scope, this.timeout) } };
  }
}

class AzureManagedSource extends PrometheusSource {
  public constructor(private readonly endpoint: string, private readonly tenantId: string, private readonly clientId: string,
    private readonly secretName: string, private readonly key: string, private readonly timeout?: Duration) {
    super();
  }

  public _render(scope: string): RenderedSource {
    return {
      provider: {
        address: this.endpoint,
        ...timeoutOf(scope, this.timeout),
        authentication: {
          oauth2: {
            tokenUrl: `https://login.microsoftonline.com/${this.tenantId}/oauth2/v2.0/token`,
            clientId: this.clientId,
            clientSecret: `{{args.${SECRET_ARG}}}`,
            scopes: ['https://prometheus.monitor.azure.com/.default'],
          },
        },
      },
      args: [{ name: SECRET_ARG, valueFrom: { secretKeyRef: { name: this.secretName, key: this.key } } }],
    };
  }
}

class DefaultSource extends PrometheusSource {
  public _render(): RenderedSource {
    return { provider: {} };
  }
}
