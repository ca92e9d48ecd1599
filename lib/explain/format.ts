/** The explanation as text and as JSON. */
import { Explanation } from './explain';

/** A short, readable answer: the decision, the route, the destinations, then the steps and what is unknown. */
export function formatExplanation(e: Explanation): string {
  const lines: string[] = [];
  const status = e.status !== undefined ? ` (${e.status})` : '';
  if (e.rollout) {
    const r = e.rollout;
    lines.push(`Rollout:  ${r.rollout} at step ${r.step} of ${r.steps} (${r.current}): canary ${r.canaryWeight}, stable ${r.stableWeight}${r.maxWeight !== 100 ? ` out of ${r.maxWeight}` : ''}`
      + `${r.weightedRoutes.length ? ` on ${r.weightedRoutes.join(', ')}` : ''}`);
    for (const m of r.managedRoutes) lines.push(`          ${m.kind} route "${m.name}": ${m.match}${m.kind === 'mirror' ? `, ${m.percentage}% mirrored` : ''} → canary`);
  }
  lines.push(`Decision: ${e.decision}${status}`);
  if (e.gateway) lines.push(`Gateway:  ${e.gateway.name}, server ${e.gateway.server.name ?? ''} ${e.gateway.server.port}/${e.gateway.server.protocol}`);
  if (e.route) lines.push(`Route:    ${e.route.virtualService}${e.route.name ? ` "${e.route.name}"` : ''} (http[${e.route.index}]${e.route.match !== undefined ? `, match ${e.route.match}` : ''})`);
  if (e.redirect) lines.push(`Redirect: ${e.redirect.status} ${e.redirect.location}`);
  if (e.rewrite) lines.push(`Rewrite:  ${[e.rewrite.path ? `path ${e.rewrite.path}` : '', e.rewrite.authority ? `authority ${e.rewrite.authority}` : ''].filter(Boolean).join(', ')}`);
  for (const d of e.destinations) {
    lines.push(`To:       ${d.host}${d.subset ? ` subset ${d.subset}` : ''}${d.port !== undefined ? ` port ${d.port}` : ''} weight ${d.weight}`
      + `${d.authorization ? ` — authorization: ${d.authorization.decision}${d.authorization.policy ? ` (${d.authorization.policy})` : ''}` : ''}`);
    if (d.destinationRule) lines.push(`          DestinationRule ${d.destinationRule}${d.trafficPolicy ? `: ${JSON.stringify(d.trafficPolicy)}` : ''}`);
    for (const p of d.problems) lines.push(`          problem: ${p}`);
  }
  if (e.timeout !== undefined) lines.push(`Timeout:  ${e.timeout}`);
  if (e.retries) lines.push(`Retries:  ${JSON.stringify(e.retries)}`);
  if (e.fault !== undefined) lines.push(`Fault:    ${JSON.stringify(e.fault)}`);
  if (e.mirror !== undefined) lines.push(`Mirror:   ${JSON.stringify(e.mirror)}`);
  if (e.cors !== undefined) lines.push(`CORS:     ${JSON.stringify(e.cors)}`);
  for (const r of e.rateLimits) lines.push(`Limit:    ${r.name} (${r.kind}): ${r.detail}`);
  if (e.authorization) lines.push(`Authz:    ${e.authorization.decision}: ${e.authorization.reason}`);
  if (e.jwt.required !== false) lines.push(`JWT:      ${e.jwt.required === true ? 'required' : 'maybe required'} (issuers: ${e.jwt.issuers.join(', ')}; ${e.jwt.policies.join(', ')})`);
  lines.push('Steps:');
  for (const s of e.steps) lines.push(`  ${s}`);
  if (e.unknowns.length) {
    lines.push('Not decided by the manifests:');
    for (const u of e.unknowns) lines.push(`  ${u}`);
  }
  return lines.join('\n');
}

/**
 * What the chosen route does to the request besides sending it on (redirect, rewrite, timeout,
 * retries, fault, mirror, CORS, header changes), each null when the route has none: one list for
 * the JSON output and the semantic diff's outcome.
 */
export function routeActions(e: Explanation) {
  return {
    redirect: e.redirect ?? null,
    rewrite: e.rewrite ?? null,
    timeout: e.timeout ?? null,
    retries: e.retries ?? null,
    fault: e.fault ?? null,
    mirror: e.mirror ?? null,
    cors: e.cors ?? null,
    headers: e.headers ?? null,
  };
}

/** The explanation as plain JSON data (what `--json` prints). */
export function explanationJson(e: Explanation): Record<string, unknown> {
  return {
    decision: e.decision,
    status: e.status ?? null,
    gateway: e.gateway ?? null,
    route: e.route ?? null,
    destinations: e.destinations.map((d) => ({ host: d.host, subset: d.subset ?? null, port: d.port ?? null, weight: d.weight, destinationRule: d.destinationRule ?? null, trafficPolicy: d.trafficPolicy ?? null, authorization: d.authorization ?? null, problems: d.problems, pods: d.pods ?? null })),
    ...routeActions(e),
    rateLimits: e.rateLimits,
    authorization: e.authorization ?? null,
    jwt: e.jwt,
    steps: e.steps,
    unknowns: e.unknowns,
    ...(e.rollout ? { rollout: e.rollout } : {}),
  };
}
