/**
 * The order in which cdk8s synthesizes charts and objects, computed once per app instead of once
 * per chart and per call.
 *
 * cdk8s's `Chart.toJson()` (which `App.synth()` calls for every chart) resolves the app's
 * dependencies, validates the whole app, and builds a `DependencyGraph` of the chart to order its
 * objects; `App.charts` builds one of the whole app. `DependencyGraph` keys its vertices by
 * construct path in a plain object, checks each edge for a cycle with a search, and walks the
 * graph without remembering what it visited: at 8,000 objects these graphs cost as much as
 * rendering the objects. The functions here give the same orders (cdk8s 2.70's algorithm: vertices
 * in `findAll()` pre-order, roots adopted in the order of the object's keys, post-order depth-first
 * walk with children in the order their edges were added) in linear time, and fall back to
 * cdk8s's own `DependencyGraph` when the graph has a cycle, so that the error is cdk8s's.
 */
import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Caches `findAll()` per construct for one synthesis (as cdk8s's SynthRequestCache does). */
export class FindAllCache {
  private readonly cache = new Map<IConstruct, IConstruct[]>();

  /** `c.node.findAll()`, computed once. */
  public findAll(c: IConstruct): IConstruct[] {
    let all = this.cache.get(c);
    if (!all) {
      all = c.node.findAll();
      this.cache.set(c, all);
    }
    return all;
  }
}

/**
 * Adds the dependencies cdk8s's `App._synthChart` adds before rendering (cdk8s 2.70,
 * `resolveDependencies` in lib/app.js): a parent chart depends on its nested charts, a chart on
 * the charts its constructs depend on, and each object on the objects of the constructs its
 * construct depends on. Idempotent. Returns whether some chart depends on another.
 */
export function resolveDependencies(app: IConstruct, cache: FindAllCache): boolean {
  let dependantCharts = false;
  const all = cache.findAll(app);
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        dependantCharts = true;
      }
    }
  }
  for (const [source, target] of dependencyEdges(all)) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependantCharts = true;
    }
  }
  for (const [source, target] of dependencyEdges(all)) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = cache.findAll(target).filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = cache.findAll(source).filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) {
      for (const s of sources) {
        if (t !== s) s.node.addDependency(t);
      }
    }
  }
  return dependantCharts;
}

function dependencyEdges(all: readonly IConstruct[]): Array<[IConstruct, IConstruct]> {
  const edges: Array<[IConstruct, IConstruct]> = [];
  for (const source of all) {
    for (const target of source.node.dependencies) edges.push([source, target]);
  }
  return edges;
}

/** A key that JavaScript orders before the others in an object: a canonical array index. */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * `new DependencyGraph(root.node).topology()`: `root` and the constructs under it, each after the
 * constructs it depends on (dependencies outside `root` are left out, as cdk8s does).
 */
export function topology(root: IConstruct, cache: FindAllCache): IConstruct[] {
  const all = cache.findAll(root);
  // cdk8s keys vertices by path in a plain object: a later construct with the same path replaces
  // an earlier one in its place, and Object.values() lists array-index keys first, in numeric order.
  const byPath = new Map<string, IConstruct>();
  for (const c of all) byPath.set(c.node.path, c);
  const vertices = new Set(byPath.values());
  const children = new Map<IConstruct, Set<IConstruct>>();
  const hasParent = new Set<IConstruct>();
  for (const source of all) {
    for (const target of source.node.dependencies) {
      const t = byPath.get(target.node.path);
      if (!t) continue;
      const s = byPath.get(source.node.path)!;
      let set = children.get(s);
      if (!set) children.set(s, (set = new Set()));
      set.add(t);
      hasParent.add(t);
    }
  }
  const keys = [...byPath.keys()];
  const ordered = [...keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))];
  const roots = ordered.map((k) => byPath.get(k)!).filter((c) => !hasParent.has(c));

  const out: IConstruct[] = [];
  const done = new Set<IConstruct>();
  const active = new Set<IConstruct>();
  let cycle = false;
  // Iterative post-order walk (deep dependency chains must not overflow the stack).
  for (const r of roots) {
    if (done.has(r)) continue;
    const stack: Array<[IConstruct, Iterator<IConstruct>]> = [[r, (children.get(r) ?? new Set<IConstruct>()).values()]];
    active.add(r);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = top[1].next();
      if (next.done) {
        stack.pop();
        active.delete(top[0]);
        done.add(top[0]);
        out.push(top[0]);
      } else if (active.has(next.value)) {
        cycle = true;
      } else if (!done.has(next.value)) {
        active.add(next.value);
        stack.push([next.value, (children.get(next.value) ?? new Set<IConstruct>()).values()]);
      }
    }
  }
  // A cycle, or vertices only reachable through one: cdk8s throws its own error (or orders them its way).
  if (cycle || out.length !== vertices.size) return new DependencyGraph(root.node).topology();
  return out;
}
