// Route shapes Istio 1.30.3 accepts (its VirtualService reference and validation,
// pkg/config/validation/validation.go, and the route translation, pilot/pkg/networking/core/route)
// that the constructs used to refuse: a header-presence match, pseudo-header matches, a gRPC status
// in a fault abort, and ":authority"/"host" in request header changes (Istio's host rewrite).
import { describe, expect, it } from 'vitest';
import { AppRoute, HttpMethod, StringMatch, Traffic } from '../../lib';
import { expectProblem, newChart } from '../support/synth';
import { sampleService, specOf, synthClean } from './support';

describe('route matches and changes as Istio accepts them', () => {
  it('a header-presence match and an absence match (withoutHeaders with presence), and pseudo-header matches', async () => {
    const chart = newChart('default');
    const reviews = sampleService(chart, 'reviews', ['v1', 'v2']);
    new AppRoute(chart, 'reviews-vs', {
      name: 'reviews',
      routes: [
        { name: 'logged-in', match: [{ headers: { 'end-user': StringMatch.present() } }], to: Traffic.to(reviews.version('v2')) },
        { name: 'anonymous-post', match: [{ headers: { ':method': StringMatch.exact('POST') }, withoutHeaders: { cookie: StringMatch.present() } }], to: Traffic.to(reviews.version('v1')) },
        { name: 'scheme', match: [{ headers: { ':scheme': StringMatch.exact('https'), ':authority': StringMatch.prefix('reviews') } }], to: Traffic.to(reviews.version('v1')) },
        { name: 'others', match: [{ method: HttpMethod.GET }], to: Traffic.to(reviews.version('v1')) },
      ],
    });
    const http = specOf(await synthClean(chart), 'VirtualService', 'reviews').http;
    expect(http.map((r: any) => r.match)).toEqual([
      [{ headers: { 'end-user': {} } }],
      [{ headers: { ':method': { exact: 'POST' } }, withoutHeaders: { cookie: {} } }],
      [{ headers: { ':scheme': { exact: 'https' }, ':authority': { prefix: 'reviews' } } }],
      [{ method: { exact: 'GET' } }],
    ]);
  });

  it('other names starting with ":" and upper-case names are still refused in matches', () => {
    const chart = newChart('default');
    const reviews = sampleService(chart, 'reviews', ['v1']);
    expectProblem(() => new AppRoute(chart, 'a', { routes: [{ name: 'x', match: [{ headers: { ':protocol': StringMatch.exact('websocket') } }], to: Traffic.to(reviews) }] }),
      'test/a', 'routes[0].match[0].headers', '":protocol"', /header name of letters/);
    expectProblem(() => new AppRoute(chart, 'b', { routes: [{ name: 'x', match: [{ headers: { 'End-User': StringMatch.present() } }], to: Traffic.to(reviews) }] }),
      'test/b', 'routes[0].match[0].headers', '"End-User"', /lower case/);
  });

  it('a fault abort with a gRPC status (samples/grpc-echo served as gRPC)', async () => {
    const chart = newChart('default');
    const echo = sampleService(chart, 'grpc-echo', ['v1'], 7070);
    new AppRoute(chart, 'echo-vs', { name: 'grpc-echo', routes: [{ name: 'faulty', fault: { abort: { grpcStatus: 'UNAVAILABLE', percent: 50 } }, to: Traffic.to(echo) }] });
    const http = specOf(await synthClean(chart), 'VirtualService', 'grpc-echo').http;
    expect(http[0].fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 50 } } });
  });

  it('a gRPC status Istio does not know, or both statuses, are refused', () => {
    const chart = newChart('default');
    const echo = sampleService(chart, 'grpc-echo', ['v1'], 7070);
    expectProblem(() => new AppRoute(chart, 'a', { routes: [{ name: 'x', fault: { abort: { grpcStatus: 'UNAVAILABLE_NOW', percent: 50 } }, to: Traffic.to(echo) }] }),
      'test/a', 'routes[0].fault.abort.grpcStatus', '"UNAVAILABLE_NOW"', /UNAVAILABLE, DATA_LOSS/);
    expectProblem(() => new AppRoute(chart, 'b', { routes: [{ name: 'x', fault: { abort: { grpcStatus: 'UNAVAILABLE', httpStatus: 503, percent: 50 } }, to: Traffic.to(echo) }] }),
      'test/b', 'routes[0].fault.abort', '{"grpcStatus":"UNAVAILABLE","httpStatus":503,"percent":50}', /either httpStatus .* or grpcStatus/);
  });

  it('":authority" and "host" in request header changes (Istio rewrites the host); still refused on responses and in remove', async () => {
    const chart = newChart('default');
    const httpbin = sampleService(chart, 'httpbin', ['v1'], 8000);
    new AppRoute(chart, 'httpbin-vs', { name: 'httpbin', routes: [
      { name: 'a', match: [{ headers: { 'x-a': StringMatch.present() } }], headers: { request: { set: { ':authority': 'httpbin.example.com' } } }, to: Traffic.to(httpbin) },
      { name: 'b', headers: { request: { add: { Host: 'httpbin.example.com' } } }, to: Traffic.to(httpbin) },
    ] });
    const http = specOf(await synthClean(chart), 'VirtualService', 'httpbin').http;
    expect(http.map((r: any) => r.headers.request)).toEqual([{ set: { ':authority': 'httpbin.example.com' } }, { add: { Host: 'httpbin.example.com' } }]);
    expectProblem(() => new AppRoute(chart, 'c', { routes: [{ name: 'c', headers: { response: { set: { host: 'x' } } }, to: Traffic.to(httpbin) }] }),
      'test/c', 'routes[0].headers.response.set key', '"host"', /cannot be removed, nor set on responses/);
    expectProblem(() => new AppRoute(chart, 'd', { routes: [{ name: 'd', headers: { request: { remove: [':authority'] } }, to: Traffic.to(httpbin) }] }),
      'test/d', 'routes[0].headers.request.remove[0]', '":authority"', /cannot be removed/);
    expectProblem(() => new AppRoute(chart, 'e', { routes: [{ name: 'e', headers: { request: { set: { ':path': '/x' } } }, to: Traffic.to(httpbin) }] }),
      'test/e', 'routes[0].headers.request.set key', '":path"', /other than ":authority"/);
  });
});
