// Each cause of a raw exception and each rule Kubernetes, Istio or Envoy enforce has a bad input
// here, with the exact message: construct path, property, value received and the fix.
import { Duration, Size } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Certificate, IngressGateway, PathMatch, RateLimit, StringMatch, Traffic, VersionedService } from '../../lib';
import { newChart, synth } from '../support/synth';
import { thrown } from '../support/errors';

const gateway = (props: Record<string, unknown>, id: unknown = 'edge') => () => synth((() => {
  const chart = newChart();
  new IngressGateway(chart, id as string, { hosts: ['shop.example.com'], ...props } as never);
  return chart;
})());

const service = (props: Record<string, unknown>, id = 'api') => () => {
  const chart = newChart();
  new VersionedService(chart, id, { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'api:1' }], ...props } as never);
};

const route = (options: Record<string, unknown>) => () => {
  const chart = newChart();
  const gw = new IngressGateway(chart, 'edge', { hosts: ['shop.example.com'] });
  const svc = new VersionedService(chart, 'api', { namespace: 'shop', port: 8080, versions: [{ name: 'v1', image: 'api:1' }] });
  gw.addRoute('r', { namespace: 'shop', routes: [{ name: 'api', to: Traffic.to(svc.version('v1')), ...options } as never] });
};

describe('the causes of raw exceptions are named errors', () => {
  it('a Duration that is NaN, not whole, too large, or a plain number', () => {
    expect(thrown(gateway({ shutdown: { preStopDelay: Duration.seconds(Number.NaN) } }))).toMatchInlineSnapshot(`"test/edge: invalid shutdown.preStopDelay: received a Duration that is not a number. Use a Duration of at least 1ms, in whole milliseconds, for example Duration.seconds(2). At most 10 years."`);
    expect(thrown(gateway({ shutdown: { preStopDelay: Duration.millis(1500) } }))).toMatchInlineSnapshot(`"test/edge: invalid shutdown.preStopDelay: received 1500ms. Use a whole number of seconds, at least 1, for example Duration.seconds(2)."`);
    expect(thrown(gateway({ shutdown: { terminationGracePeriod: 30 } }))).toMatchInlineSnapshot(`"test/edge: invalid shutdown.terminationGracePeriod: received 30. Give a Duration, for example Duration.seconds(5). A plain number is not a Duration: its unit would be a guess."`);
    expect(thrown(route({ timeout: Duration.seconds(1e21) }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].timeout: received 1e+24ms. Use a Duration of at least 1ms, in whole milliseconds, for example Duration.seconds(2). At most 10 years."`);
    expect(thrown(gateway({ autoscaling: { scaleDown: { stabilizationWindow: Duration.millis(1500) } } }))).toMatchInlineSnapshot(`"test/edge: invalid autoscaling.scaleDown.stabilizationWindow: received 1500ms. Use a whole number of seconds, at least 0, for example Duration.seconds(2)."`);
  });

  it('undefined and null props and items, wrong types from JavaScript, ids that are not strings', () => {
    expect(thrown(gateway({ hosts: [null] }))).toMatchInlineSnapshot(`"test/edge: invalid hosts[0]: received null. Give a string, or leave the property out (null is not a value here)."`);
    expect(thrown(gateway({ hosts: 'a.example.com' }))).toMatchInlineSnapshot(`"test/edge: invalid hosts: received "a.example.com". Give a list (array) of string values, for example ["a.example.com"]."`);
    expect(thrown(service({ versions: [null] }))).toMatchInlineSnapshot(`"test/api: invalid versions[0]: received null. Give an options object (name, image, replicas, autoscaling, resources, env, ...), or leave the property out (null is not a value here)."`);
    expect(thrown(gateway({}, 42))).toMatchInlineSnapshot(`"test: invalid id: received 42. Give the construct a non-empty string id without "/", for example "edge"."`);
    expect(thrown(gateway({}, ''))).toMatchInlineSnapshot(`"test: invalid id: received "". Give the construct a non-empty string id without "/", for example "edge"."`);
  });

  it('a Quantity that cannot be rendered', () => {
    expect(thrown(gateway({ resources: { memory: { limit: Size.mebibytes(Number.NaN) } } }))).toMatchInlineSnapshot(`"test/edge: invalid resources.memory.limit: received NaN. Use a finite size, for example Size.mebibytes(256)."`);
    expect(thrown(gateway({ resources: { cpu: { request: '500m' } } }))).toMatchInlineSnapshot(`"test/edge: invalid resources.cpu.request: received "500m". Give a Cpu, for example Cpu.millis(250)."`);
  });
});

describe('rules Kubernetes, Istio and Envoy enforce', () => {
  it('int32 and uint32 bounds, integers', () => {
    expect(thrown(gateway({ replicas: 2 ** 31, autoscaling: undefined }))).toMatchInlineSnapshot(`"test/edge: invalid replicas: received 2147483648. Use an integer of at least 1 and at most 2147483647."`);
    expect(thrown(gateway({ rateLimits: [RateLimit.local({ maxTokens: 2 ** 32, fillInterval: Duration.seconds(1) })] }))).toMatchInlineSnapshot(`"test/edge: invalid rateLimits[0].maxTokens: received 4294967296. Use an integer of at least 1 and at most 4294967295."`);
    expect(thrown(service({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 50.5 } } }))).toMatchInlineSnapshot(`"test/api: invalid trafficPolicy.outlierDetection.maxEjectionPercent: received 50.5. Use a whole percentage between 0 and 100 (Istio reads an integer)."`);
  });

  it('retries: attempts 0 with other fields, retryOn values', () => {
    expect(thrown(route({ retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].retries.attempts: received 0. Attempts 0 disables retries, so perTryTimeout and retryOn would do nothing: remove them, or allow at least 1 attempt."`);
    expect(thrown(route({ retries: { attempts: 2, retryOn: ['5xx', 'teapot'] } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].retries.retryOn[1]: received "teapot". Use one of 5xx, gateway-error, reset, reset-before-request, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, http3-post-connect-failure, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, or an HTTP status code such as "503"."`);
    expect(() => route({ retries: { attempts: 0 } })()).not.toThrow();
    expect(() => route({ retries: { attempts: 2, retryOn: ['503', 'gateway-error', 'retriable-4xx'] } })()).not.toThrow();
  });

  it('header operations: no pseudo-headers (but ":authority"/host set on requests, as Istio), no control characters, no empty names', () => {
    expect(thrown(route({ headers: { request: { set: { ':path': '/x' } } } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].headers.request.set key: received ":path". Pseudo-headers other than ":authority" cannot be set or added (":authority" and "host" rewrite the host): use rewrite.uri for the path."`);
    expect(thrown(route({ headers: { request: { remove: ['host'] } } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].headers.request.remove[0]: received "host". Pseudo-headers (":path", ":authority", ...) and "host" cannot be removed, nor set on responses: use rewrite.uri or rewrite.authority instead."`);
    expect(thrown(route({ headers: { response: { add: { 'x-a': 'one\r\ntwo' } } } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].headers.response.add["x-a"]: received "one\\r\\ntwo". Use a header value without control characters (line breaks, NUL, DEL), at most 8192 characters."`);
    expect(thrown(route({ headers: { request: { set: { '': 'x' } } } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].headers.request.set key: received "". Use a header name of letters, digits and !#$%&'*+-.^_\`|~ (no spaces, colons or other characters), for example "x-request-id"."`);
  });

  it('header-match names: no spaces, no non-ASCII', () => {
    expect(thrown(route({ match: [{ headers: { 'x tenant': StringMatch.exact('a') } }] }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].match[0].headers: received "x tenant". Use a header name of letters, digits and !#$%&'*+-.^_\`|~ (no spaces, colons or other characters), for example "x-request-id"."`);
    expect(thrown(route({ match: [{ headers: { 'x-tënant': StringMatch.exact('a') } }] }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].match[0].headers: received "x-tënant". Use a header name of letters, digits and !#$%&'*+-.^_\`|~ (no spaces, colons or other characters), for example "x-request-id"."`);
  });

  it('regexes are RE2: no look-arounds, back-references, a{1001}, \\Z; (?i), (?P<name>...), (?s) accepted', () => {
    expect(thrown(() => PathMatch.regex('^/(?=api)'))).toMatchInlineSnapshot(`"PathMatch.regex: invalid pattern: received "^/(?=api)". Use a valid RE2 regular expression (RE2 says: invalid or unsupported Perl syntax: \`(?=\`); RE2 has no look-arounds, back-references or \\Z, and repeats at most 1000 times."`);
    expect(thrown(() => StringMatch.regex('(a)\\1'))).toMatchInlineSnapshot(`"StringMatch.regex: invalid pattern: received "(a)\\\\1". Use a valid RE2 regular expression (RE2 says: invalid escape sequence: \`\\1\`); RE2 has no look-arounds, back-references or \\Z, and repeats at most 1000 times."`);
    expect(thrown(() => PathMatch.regex('a{1001}'))).toMatchInlineSnapshot(`"PathMatch.regex: invalid pattern: received "a{1001}". Use a valid RE2 regular expression (RE2 says: invalid repeat count: \`{1001}\`); RE2 has no look-arounds, back-references or \\Z, and repeats at most 1000 times."`);
    expect(thrown(() => PathMatch.regex('/api\\Z'))).toMatchInlineSnapshot(`"PathMatch.regex: invalid pattern: received "/api\\\\Z". Use a valid RE2 regular expression (RE2 says: invalid escape sequence: \`\\Z\`); RE2 has no look-arounds, back-references or \\Z, and repeats at most 1000 times."`);
    for (const ok of ['(?i)^/api', '(?P<version>v[0-9]+)', '(?s)^/a.b', 'a{1000}']) expect(() => PathMatch.regex(ok)).not.toThrow();
  });

  it('an empty rewrite, a redirect to nowhere', () => {
    expect(thrown(route({ rewrite: {} }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].rewrite: received {}. A rewrite changes the path (uri or uriRegex), the host (authority) or both: give one, or remove rewrite."`);
    expect(thrown(route({ to: undefined, redirect: {} }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].redirect: received {}. A redirect to the same URL loops: give the new path (uri), host (authority), scheme or port."`);
  });

  it('names per kind: a gateway name is a DNS label; a Service name starts with a letter', () => {
    expect(thrown(gateway({ name: 'shop.gateway' }))).toMatchInlineSnapshot(`"test/edge: invalid name: received "shop.gateway". Use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit (for example "my-app")."`);
    expect(thrown(gateway({ name: 'g'.repeat(64) }))).toMatchInlineSnapshot(`"test/edge: invalid name: received "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg". Use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit (for example "my-app")."`);
    expect(thrown(service({ name: '9api' }))).toMatchInlineSnapshot(`"test/api: invalid name: received "9api". Use a Service name, a DNS-1035 label (a DNS-1123 label that starts with a letter): at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (for example "api")."`);
  });

  it('ports the Istio proxy reserves', () => {
    expect(thrown(gateway({ http: { port: 15021 } }))).toMatchInlineSnapshot(`"test/edge: invalid http.port: received 15021. Ports 15000, 15004, 15020, 15021, 15053, 15090 belong to the gateway's Istio proxy (15021 is the status port the load balancer probes): use another port, such as 8443."`);
    expect(thrown(gateway({ https: { certificate: Certificate.fromSecret('tls'), port: 15090 } }))).toMatchInlineSnapshot(`"test/edge: invalid https.port: received 15090. Ports 15000, 15004, 15020, 15021, 15053, 15090 belong to the gateway's Istio proxy (15021 is the status port the load balancer probes): use another port, such as 8443."`);
  });

  it('environment variable names', () => {
    expect(thrown(service({ versions: [{ name: 'v1', image: 'api:1', env: { 'MY-VAR=1': 'x' } }] }))).toMatchInlineSnapshot(`"test/api/v1: invalid env key: received "MY-VAR=1". Use an environment variable name of letters, digits, "_", "-" and ".", not starting with a digit (no "=" or spaces), for example "LOG_LEVEL"."`);
  });

  it('fault percentages at Envoy\'s precision, CORS maxAge in whole seconds', () => {
    expect(thrown(route({ fault: { abort: { httpStatus: 503, percent: 0.00001 } } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].fault.abort.percent: received 0.00001. Use a percentage between 0 and 100 with at most 4 decimals (0.0001 is the smallest step Envoy applies)."`);
    expect(thrown(route({ cors: { allowOrigins: [StringMatch.exact('https://a.example.com')], maxAge: Duration.millis(1500) } }))).toMatchInlineSnapshot(`"test/edge/r: invalid routes[0].cors.maxAge: received 1500ms. Use a whole number of seconds, at least 1, for example Duration.seconds(2)."`);
  });

  it('two rate limits with one EnvoyFilter name', () => {
    const limit = () => RateLimit.local({ maxTokens: 10, fillInterval: Duration.seconds(1), name: 'edge-limit' });
    expect(thrown(gateway({ rateLimits: [limit(), limit()] }))).toMatchInlineSnapshot(`"test/edge: invalid rateLimits[1].name: received "edge-limit". Another rate limit of this gateway already has this EnvoyFilter name, and the later would replace the earlier: give each its own name."`);
  });
});
