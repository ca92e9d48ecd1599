/**
 * The diff's property (issue 27): for random edges and a random single change, every request on
 * which explain differs between the two sides falls in a reported class (same scope, same routes
 * and decisions on each side as one of the class's examples), and every reported example differs.
 * Run with a few cases in npm test (test/explain/diff-property.test.ts) and many in test:e2e.
 */
import { compareOutcomes, diffEdges, diffOutcome, requestClassKey } from '../../lib/explain/diff/diff';
import { LoadedEdge } from '../../lib/explain/edge';
import { mostSpecificDomain } from '../../lib/explain/match';
import { KubernetesObject } from '../../lib/model/kubernetes-object';
import { mutate, randomEdge, randomRequest, rng } from './diff-edges';

/** The host patterns of both sides (servers, routes): a request's scope is its most specific one. */
function patterns(...edges: KubernetesObject[][]): string[] {
  const out = new Set<string>(['*']);
  for (const o of edges.flat()) {
    if (o.kind === 'Gateway') for (const s of (o.spec as any).servers) for (const h of s.hosts) out.add(h);
    if (o.kind === 'VirtualService') for (const h of (o.spec as any).hosts) out.add(h);
  }
  return [...out];
}

/** Runs `cases` cases from `seed`; returns the failures in words (empty when the property holds) and counts. */
export function runDiffProperty(seed: number, cases: number, requestsPerCase: number): { failures: string[]; changedCases: number; differing: number; classes: number } {
  const failures: string[] = [];
  let changedCases = 0;
  let differing = 0;
  let classes = 0;
  for (let i = 0; i < cases; i++) {
    const before = randomEdge(seed + i);
    const { name, objects: after } = mutate(before, seed + i);
    const d = diffEdges(before, after);
    const oldEdge = LoadedEdge.load(before);
    const newEdge = LoadedEdge.load(after);
    if (d.changed) changedCases++;
    classes += d.classes.length;
    const keys = new Set<string>();
    const hostPatterns = patterns(before, after);
    for (const c of d.classes) {
      for (const ex of c.examples) {
        const a = oldEdge.explain(ex);
        const b = newEdge.explain(ex);
        if (compareOutcomes(diffOutcome(a), diffOutcome(b)).length === 0) failures.push(`case ${seed + i} (${name}): class ${c.id}'s example ${JSON.stringify(ex)} does not differ`);
        if (c.entry === 'gateway') keys.add(requestClassKey(`gateway ${ex.scheme}:${ex.port} ${c.hostPattern}`, a, b));
      }
    }
    const r = rng((seed + i) * 31 + 7);
    for (let k = 0; k < requestsPerCase; k++) {
      const req = randomRequest(r);
      const a = oldEdge.explain(req);
      const b = newEdge.explain(req);
      if (compareOutcomes(diffOutcome(a), diffOutcome(b)).length === 0) continue;
      differing++;
      const pattern = mostSpecificDomain(hostPatterns, req.host);
      if (!keys.has(requestClassKey(`gateway ${req.scheme}:${req.port} ${pattern}`, a, b))) {
        failures.push(`case ${seed + i} (${name}): ${JSON.stringify(req)} differs (${compareOutcomes(diffOutcome(a), diffOutcome(b)).map((x) => x.aspect).join(', ')}) and falls in no reported class`);
      }
    }
  }
  return { failures, changedCases, differing, classes };
}
