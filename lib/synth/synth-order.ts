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

/**
 * Caches `findAll()` per construct for one synthesis (as cdk8s's SynthRequestCache does), for a
 * tree nothing adds constructs to meanwhile. The first construct asked for is walked; any
 * construct under it is then a slice of that walk (a subtree is contiguous in pre-order, children
 * in the same order), found with one pass over the walk instead of a walk of its own.
 */
export class FindAllCache {
  private readonly cache = new Map<IConstruct, IConstruct[]>();
  private root?: IConstruct;
  /** Where each construct's subtree starts and ends in the root's walk (computed when first needed). */
  private ranges?: Map<IConstruct, { start: number; end: number }>;

  /** `c.node.findAll()`, computed once. */
  public findAll(c: IConstruct): IConstruct[] {
    let all = this.cache.get(c);
    if (all) return all;
    if (this.root === undefined) {
      this.root = c;
      all = c.node.findAll();
    } else if (c.node.children.length === 0) {
      // A leaf (most constructs a dependency names: objects) is its own walk.
      all = [c];
    } else {
      const range = this.subtrees().get(c);
      all = range ? this.cache.get(this.root)!.slice(range.start, range.end) : c.node.findAll();
    }
    this.cache.set(c, all);
    return all;
  }

  private subtrees(): Map<IConstruct, { start: number; end: number }> {
    if (this.ranges) return this.ranges;
    const walk = this.cache.get(this.root!)!;
    const ranges = new Map<IConstruct, { start: number; end: number }>();
    // Pre-order: a construct's subtree ends where the walk reaches a construct whose parent is not
    // in it (the open subtrees are the stack of the current construct's ancestors).
    const open: Array<{ c: IConstruct; start: number }> = [];
    for (let i = 0; i < walk.length; i++) {
      const c = walk[i];
      const parent = c.node.scope;
      while (open.length > 0 && open[open.length - 1].c !== parent) {
        const done = open.pop()!;
        ranges.set(done.c, { start: done.start, end: i });
      }
      open.push({ c, start: i });
    }
    for (const done of open) ranges.set(done.c, { start: done.start, end: walk.length });
    return (this.ranges = ranges);
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
  const charts = all.filter((c) => c instanceof Chart);
  for (const parent of charts) {
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        dependantCharts = true;
      }
    }
  }
  // Each construct's dependencies, read once: between the two passes below only charts gain
  // dependencies, so only theirs are read again (the edges are the same, in the same order).
  const edges = dependencyEdges(all);
  let chartsGained = false;
  for (const [source, target] of edges) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependantCharts = true;
      chartsGained = true;
    }
  }
  // When no chart gained a dependency above (objects within one chart), the pairs are those read.
  for (const [source, target] of chartsGained ? dependencyEdges(all, edges, new Set(charts)) : edges) {
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

/**
 * Every (construct, dependency) pair, in the order of `all` and of each construct's dependencies.
 * With `previous` (the pairs read before only `charts` gained dependencies), the other constructs'
 * pairs are taken from it and only the charts' are read again.
 */
function dependencyEdges(all: readonly IConstruct[], previous?: ReadonlyArray<[IConstruct, IConstruct]>, charts?: ReadonlySet<IConstruct>): Array<[IConstruct, IConstruct]> {
  const edges: Array<[IConstruct, IConstruct]> = [];
  let p = 0;
  for (const source of all) {
    // The previous pairs of this construct (they are grouped by construct, in the same order).
    const from = p;
    if (previous) while (p < previous.length && previous[p][0] === source) p++;
    if (previous && !charts?.has(source)) {
      for (let i = from; i < p; i++) edges.push(previous[i]);
      continue;
    }
    for (const target of source.node.dependencies) edges.push([source, target]);
  }
  return edges;
}

/** A path that a plain object lists before the others: a canonical array index (no "/" in it). */
function isArrayIndex(path: string): boolean {
  return path.length > 0 && path.length <= 10 && /^(0|[1-9][0-9]*)$/.test(path) && Number(path) < 2 ** 32 - 1;
}

/**
 * The charts of `app` in the order of `topology(app, cache)` (cdk8s's `App.charts`), without
 * ordering every construct when nothing depends on a chart and no chart depends on anything (the
 * usual case: one chart, or charts apart): each chart is then a root of the graph without edges,
 * taken in the walk's order of roots (array-index paths first, in numeric order, then the others in
 * pre-order). Ordering every construct of an app of 100,000 objects holds sets of all of them.
 * @param dependsOnChart whether some construct depends on a chart
 */
export function chartOrder(app: IConstruct, cache: FindAllCache, dependsOnChart: boolean): Chart[] {
  const charts = cache.findAll(app).filter((c): c is Chart => c instanceof Chart);
  if (dependsOnChart || charts.some((c) => c.node.dependencies.length > 0)) {
    return topology(app, cache).filter((c): c is Chart => c instanceof Chart);
  }
  const indexed = charts.filter((c) => isArrayIndex(c.node.path)).sort((a, b) => Number(a.node.path) - Number(b.node.path));
  return [...indexed, ...charts.filter((c) => !isArrayIndex(c.node.path))];
}

/**
 * `new DependencyGraph(root.node).topology()`: `root` and the constructs under it, each after the
 * constructs it depends on (dependencies outside `root` are left out, as cdk8s does).
 */
export function topology(root: IConstruct, cache: FindAllCache): IConstruct[] {
  const all = cache.findAll(root);
  // cdk8s keys vertices by path (unique in a tree) in a plain object, whose values list
  // array-index keys first, in numeric order: roots are adopted in that order.
  const children = new Map<IConstruct, IConstruct[]>();
  const hasParent = new Set<IConstruct>();
  for (const source of all) {
    const deps = source.node.dependencies;
    if (deps.length === 0) continue;
    for (const target of deps) {
      if (!isWithin(target, root)) continue;
      let list = children.get(source);
      if (!list) children.set(source, (list = []));
      if (!list.includes(target)) list.push(target);
      hasParent.add(target);
    }
  }
  const indexed: IConstruct[] = [];
  const roots: IConstruct[] = [];
  for (const c of all) {
    if (hasParent.has(c)) continue;
    (isArrayIndex(c.node.path) ? indexed : roots).push(c);
  }
  indexed.sort((a, b) => Number(a.node.path) - Number(b.node.path));

  const out: IConstruct[] = [];
  // The vertices the walk reached (a root, which nothing depends on, is reached only as a root).
  const done = new Set<IConstruct>();
  const active = new Set<IConstruct>();
  const none: IConstruct[] = [];
  // Iterative post-order walk (deep dependency chains must not overflow the stack).
  for (const list of [indexed, roots]) {
    for (const r of list) {
      const kids = children.get(r);
      if (!kids) {
        out.push(r);
        continue;
      }
      const stack: Array<{ c: IConstruct; kids: IConstruct[]; i: number }> = [{ c: r, kids, i: 0 }];
      active.add(r);
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.i === top.kids.length) {
          stack.pop();
          active.delete(top.c);
          done.add(top.c);
          out.push(top.c);
          continue;
        }
        const next = top.kids[top.i++];
        // A cycle: cdk8s throws its own error.
        if (active.has(next)) return new DependencyGraph(root.node).topology();
        if (!done.has(next)) {
          active.add(next);
          stack.push({ c: next, kids: children.get(next) ?? none, i: 0 });
        }
      }
    }
  }
  // Vertices only reachable through a cycle: cdk8s throws its own error.
  if (out.length !== all.length) return new DependencyGraph(root.node).topology();
  return out;
}

/** Whether `c` is `root` or under it (one of `root.node.findAll()`). */
function isWithin(c: IConstruct, root: IConstruct): boolean {
  for (let s: IConstruct | undefined = c; s !== undefined; s = s.node.scope) {
    if (s === root) return true;
  }
  return false;
}
