/**
 * The starting points of `init --template`: the edge (edge.ts) and its request table
 * (requests/<environment>.yaml) of each. Every template is a real edge: it synthesizes clean
 * (validation and analysis), and its request table passes (test/init-templates.test.ts, and the
 * scaffold's own `npm test` and `npm run check`).
 */

/** The templates, by name. */
export const TEMPLATES = ['plain', 'canary', 'rate-limited', 'mesh'] as const;
/** A template's name. */
export type TemplateName = typeof TEMPLATES[number];

/** What a template is, one line each (for `--help` and the prompt). */
export const TEMPLATE_SUMMARIES: Readonly<Record<TemplateName, string>> = {
  plain: 'an HTTPS gateway, one service, one route',
  canary: 'one service in two versions: 10% to v2, all of it with the header x-canary: true',
  'rate-limited': 'an API under /api behind a local rate limit of 100 requests a second per gateway pod',
  mesh: 'a front service behind the gateway, and the calls it makes to an API routed by version in the mesh (sidecars)',
};

/** The values a template is filled with. */
export interface TemplateValues {
  readonly name: string;
  readonly host: string;
  readonly resourceGroup: string;
  readonly publicIp: string;
}

const HEADER = (template: TemplateName, summary: string) => `// The edge (template "${template}": ${summary}).
// Edit it: \`npm run synth\` writes it to dist/<environment>/ with its picture, \`npm test\` checks it
// (validation, analysis, snapshots, requests/<environment>.yaml), \`pulumi up\` deploys it.
`;

const IMPORTS: Record<TemplateName, string> = {
  plain: 'AppNamespace, Certificate, IngressGateway, PathMatch, PodSecurityLevel, podSecurityLabels, SUPPRESS_ANNOTATION_PREFIX, Traffic, VersionedService',
  canary: 'AppNamespace, Certificate, IngressGateway, PathMatch, PodSecurityLevel, podSecurityLabels, StringMatch, SUPPRESS_ANNOTATION_PREFIX, Traffic, VersionedService',
  'rate-limited': 'AppNamespace, Certificate, IngressGateway, PathMatch, PodSecurityLevel, podSecurityLabels, RateLimit, SUPPRESS_ANNOTATION_PREFIX, Traffic, VersionedService',
  mesh: 'AppNamespace, AppRoute, Certificate, IngressGateway, PathMatch, PodSecurityLevel, podSecurityLabels, StringMatch, SUPPRESS_ANNOTATION_PREFIX, Traffic, VersionedService',
};

const BODIES: Record<TemplateName, string> = {
  plain: `  const web = new VersionedService(chart, 'web', {
    namespace: 'apps',
    port: 8080,
    versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1.0.0', replicas: 2 }],
  });
  gateway.addRoute('web', {
    namespace: 'apps',
    routes: [{ name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')) }],
  });
  web.allowFrom(gateway);
`,
  canary: `  const web = new VersionedService(chart, 'web', {
    namespace: 'apps',
    port: 8080,
    versions: [
      { name: 'v1', image: 'ghcr.io/acme/web:1.0.0', replicas: 2 },
      { name: 'v2', image: 'ghcr.io/acme/web:1.1.0', replicas: 2 },
    ],
  });
  gateway.addRoute('web', {
    namespace: 'apps',
    routes: [
      // Testers reach v2 alone with the header x-canary: true; first match wins, so it comes first.
      { name: 'web-canary-override', match: [{ path: PathMatch.prefix('/'), headers: { 'x-canary': StringMatch.exact('true') } }], to: Traffic.to(web.version('v2')) },
      // Everyone else: 90% to v1, 10% to v2. Raise the percentage step by step, then make v2 the only version.
      { name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.canary(web.version('v1'), web.version('v2'), { percent: 10 }) },
    ],
  });
  web.allowFrom(gateway);
`,
  'rate-limited': `  // Each gateway pod lets 100 requests a second through (bursts of 100); the rest get 429.
  gateway.addRateLimit(RateLimit.local({ maxTokens: 100, tokensPerFill: 100, fillInterval: Duration.seconds(1) }));
  const api = new VersionedService(chart, 'api', {
    namespace: 'apps',
    port: 8080,
    versions: [{ name: 'v1', image: 'ghcr.io/acme/api:1.0.0', replicas: 2 }],
  });
  gateway.addRoute('api', {
    namespace: 'apps',
    routes: [{ name: 'api', match: [{ path: PathMatch.prefix('/api') }], to: Traffic.to(api.version('v1')), timeout: Duration.seconds(10) }],
  });
  api.allowFrom(gateway);
`,
  mesh: `  const web = new VersionedService(chart, 'web', {
    namespace: 'apps',
    port: 8080,
    versions: [{ name: 'v1', image: 'ghcr.io/acme/web:1.0.0', replicas: 2 }],
  });
  const api = new VersionedService(chart, 'api', {
    namespace: 'apps',
    port: 8080,
    versions: [
      { name: 'v1', image: 'ghcr.io/acme/api:1.0.0', replicas: 2 },
      { name: 'v2', image: 'ghcr.io/acme/api:2.0.0', replicas: 2 },
    ],
  });
  gateway.addRoute('web', {
    namespace: 'apps',
    routes: [{ name: 'web', match: [{ path: PathMatch.prefix('/') }], to: Traffic.to(web.version('v1')) }],
  });
  web.allowFrom(gateway);
  // The calls of web to api, routed by the sidecars (a VirtualService without gateways, host "api"):
  // v2 for calls with the header x-api-version: v2, else v1.
  new AppRoute(chart, 'api-route', {
    name: 'api',
    namespace: 'apps',
    routes: [
      { name: 'api-v2', match: [{ headers: { 'x-api-version': StringMatch.exact('v2') } }], to: Traffic.to(api.version('v2')) },
      { name: 'api', to: Traffic.to(api.version('v1')) },
    ],
  });
  api.allowFrom(web);
`,
};

/** The edge.ts of a template. */
export function templateEdge(template: TemplateName, v: TemplateValues): string {
  const cdk8s = template === 'rate-limited' ? 'ApiObject, App, Chart, Duration' : 'ApiObject, App, Chart';
  return `${HEADER(template, TEMPLATE_SUMMARIES[template])}import { ${cdk8s} } from 'cdk8s';
import {
  ${IMPORTS[template]},
} from 'istio-aks-edge';

/** What differs between environments. */
export interface Environment {
  /** Production rules apply in the analysis. */
  readonly production: boolean;
  /** The hosts the gateway serves. */
  readonly hosts: string[];
  /** The TLS secret (in the gateway's namespace) with the hosts' certificate. */
  readonly tlsSecret: string;
  /** The gateway's static public IP and its resource group (the Pulumi program creates both). */
  readonly publicIp: { readonly name: string; readonly resourceGroup: string };
}

/** The environments: a folder under dist/ and a Pulumi stack each. */
export const environments: Record<string, Environment> = {
  dev: {
    production: false,
    hosts: [${JSON.stringify(v.host).replace(/"/g, "'")}],
    tlsSecret: '${v.name}-dev-tls',
    publicIp: { name: ${JSON.stringify(v.publicIp).replace(/"/g, "'")}, resourceGroup: ${JSON.stringify(v.resourceGroup).replace(/"/g, "'")} },
  },
};

/** What the cluster decides (the Pulumi program passes its facts; synth uses the defaults). */
export interface ClusterFacts {
  /** The Istio revision of the sidecars. */
  readonly istioRevision?: string;
  /** The stack's override of the hosts. */
  readonly hostnames?: readonly string[];
}

/** The edge of one environment as a cdk8s App. */
export function buildEdge(environment: string, facts: ClusterFacts = {}): App {
  const env = environments[environment];
  if (!env) throw new Error(\`Unknown environment "\${environment}": use one of \${Object.keys(environments).join(', ')}.\`);
  const app = new App();
  const chart = new Chart(app, 'edge', { disableResourceNameHashes: true });
  new ApiObject(chart, 'gateway-namespace', {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: 'istio-ingress', labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) },
  });
  const gateway = new IngressGateway(chart, 'gateway', {
    namespace: 'istio-ingress',
    hosts: facts.hostnames ? [...facts.hostnames] : env.hosts,
    https: { certificate: Certificate.fromSecret(env.tlsSecret), redirectHttp: true },
    azure: { publicIp: env.publicIp },
  });
  // The certificate's Secret is created outside these manifests (by hand or by cert-manager).
  ApiObject.of(gateway.gateway).metadata.addAnnotation(\`\${SUPPRESS_ANNOTATION_PREFIX}GatewayCredentialNotFound\`, 'the TLS secret is created outside these manifests');
  new AppNamespace(chart, 'apps', { name: 'apps', istioRevision: facts.istioRevision, gateways: [gateway] });
${BODIES[template]}  return app;
}
`;
}

/** The request table of a template's dev environment (requests/dev.yaml). */
export function templateRequests(template: TemplateName, v: TemplateValues): string {
  const h = v.host;
  const head = `# Where requests to the dev edge must go: \`npm run check\` (after \`npm run synth\`) and \`npm test\`
# check every row. Each row is a request and the outcome it must have; only the fields under
# expect are compared. Add a row for every route you add.
requests:
  - name: plain HTTP is redirected to HTTPS
    request: { host: ${h}, path: /, scheme: http }
    expect: { decision: redirected, location: "https://${h}/" }
`;
  switch (template) {
    case 'plain':
      return `${head}
  - name: the site is served over HTTPS by web v1
    request: { host: ${h}, path: /, scheme: https }
    expect:
      decision: routed
      route: web
      destinations: [{ host: web.apps, subset: v1, port: 8080, weight: 100 }]
`;
    case 'canary':
      return `${head}
  - name: the x-canary header sends everything to v2
    request: { host: ${h}, path: /, scheme: https, headers: { x-canary: "true" } }
    expect:
      decision: routed
      route: web-canary-override
      destinations: [{ host: web.apps, subset: v2, port: 8080, weight: 100 }]

  - name: without the header 10% go to v2
    request: { host: ${h}, path: /products/42, scheme: https }
    expect:
      decision: routed
      route: web
      destinations:
        - { host: web.apps, subset: v1, port: 8080, weight: 90 }
        - { host: web.apps, subset: v2, port: 8080, weight: 10 }
`;
    case 'rate-limited':
      return `${head}
  - name: the API is served by api v1, under the gateway's rate limit
    request: { host: ${h}, path: /api/items, scheme: https }
    expect:
      decision: routed
      route: api
      destinations: [{ host: api.apps, subset: v1, port: 8080, weight: 100 }]
      limits: [100/1s]
      timeout: 10s

  - name: nothing outside /api is routed
    request: { host: ${h}, path: /, scheme: https }
    expect: { decision: no-route, status: 404 }
`;
    case 'mesh':
      return `${head}
  - name: the site is served over HTTPS by web v1
    request: { host: ${h}, path: /, scheme: https }
    expect:
      decision: routed
      route: web
      destinations: [{ host: web.apps, subset: v1, port: 8080, weight: 100 }]

  - name: web's calls to api go to v1
    request: { host: api, path: /items, source: { namespace: apps, labels: { app: web } } }
    expect:
      decision: routed
      route: api
      destinations: [{ host: api.apps, subset: v1, port: 8080, weight: 100 }]

  - name: web's calls with x-api-version v2 go to api v2
    request: { host: api, path: /items, headers: { x-api-version: v2 }, source: { namespace: apps, labels: { app: web } } }
    expect:
      decision: routed
      route: api-v2
      destinations: [{ host: api.apps, subset: v2, port: 8080, weight: 100 }]
`;
  }
}
