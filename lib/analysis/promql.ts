/**
 * PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of the
 * Prometheus UI), and checked against the metrics and labels the edge's Istio telemetry produces.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { ISTIO_METRIC_LABELS, ISTIO_METRICS, ISTIO_REPORTERS, SCRAPE_LABELS } from '../contract/istio-telemetry';

/** One problem of a PromQL expression. */
export interface PromqlProblem {
  /** Where in the expression (character offset). */
  readonly at: number;
  /** What is wrong. */
  readonly message: string;
}

/** What an expression reads: its metric names and the labels it names (in matchers, `by`, `on`, ...). */
export interface PromqlReferences {
  readonly metrics: readonly { readonly name: string; readonly at: number }[];
  readonly labels: readonly { readonly name: string; readonly at: number; readonly value?: string }[];
}

/**
 * What is known of an expression: its syntax tree (immutable), and its syntax errors and references
 * once asked for. The same queries are read many times (a Rollout's gate by its construct, then by
 * the analysis of each form of each environment, by the syntax, reference and metric checks): each
 * is parsed and walked once, for the last {@link EXPRESSIONS_KEPT} expressions.
 */
interface Parsed {
  readonly tree: ReturnType<typeof parser.parse>;
  syntax?: readonly PromqlProblem[];
  references?: PromqlReferences;
}

const EXPRESSIONS_KEPT = 256;
const parsed = new Map<string, Parsed>();

function parsedOf(expr: string): Parsed {
  let p = parsed.get(expr);
  if (p) return p;
  p = { tree: parser.parse(expr) };
  if (parsed.size >= EXPRESSIONS_KEPT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(expr, p);
  return p;
}

/** Syntax errors of `expr` by Prometheus' grammar (empty when it parses). */
export function promqlSyntaxErrors(expr: string): PromqlProblem[] {
  if (expr.trim() === '') return [{ at: 0, message: 'the expression is empty' }];
  const p = parsedOf(expr);
  if (!p.syntax) {
    const problems: PromqlProblem[] = [];
    p.tree.iterate({
      enter: (n) => {
        if (n.type.isError) problems.push({ at: n.from, message: `syntax error at character ${n.from + 1}: ${JSON.stringify(expr.slice(n.from, n.from + 20) || '(end)')}` });
      },
    });
    p.syntax = problems;
  }
  return [...p.syntax];
}

/** The metric names and labels `expr` names. */
export function promqlReferences(expr: string): PromqlReferences {
  const p = parsedOf(expr);
  if (!p.references) {
    const metrics: Array<{ name: string; at: number }> = [];
    const labels: Array<{ name: string; at: number; value?: string }> = [];
    p.tree.iterate({
      enter: (n) => {
        if (n.name === 'VectorSelector') {
          const id = n.node.getChild('Identifier');
          if (id) metrics.push({ name: expr.slice(id.from, id.to), at: id.from });
        } else if (n.name === 'LabelName') {
          const matcher = n.node.parent;
          const literal = matcher?.name === 'UnquotedLabelMatcher' ? matcher.getChild('StringLiteral') : null;
          const op = matcher?.getChild('MatchOp')?.firstChild?.name;
          labels.push({
            name: expr.slice(n.from, n.to),
            at: n.from,
            value: literal && op === 'EqlSingle' ? unquote(expr.slice(literal.from, literal.to)) : undefined,
          });
        }
      },
    });
    p.references = { metrics, labels };
  }
  return { metrics: [...p.references.metrics], labels: [...p.references.labels] };
}

function unquote(literal: string): string {
  try {
    return literal.startsWith('`') ? literal.slice(1, -1) : JSON.parse(literal.startsWith('\'') ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/** Options of {@link checkIstioPromql}. */
export interface IstioPromqlOptions {
  /** Labels the telemetry adds beyond Istio's standard ones (EdgeMonitoring's `metricTags`). */
  readonly extraLabels?: readonly string[];
}

/**
 * Problems of an expression meant to read the edge's Istio metrics: syntax (Prometheus' grammar),
 * metric names other than Istio's standard metrics, labels the telemetry does not produce, and
 * `reporter` values Istio does not write.
 */
export function checkIstioPromql(expr: string, options: IstioPromqlOptions = {}): PromqlProblem[] {
  const syntax = promqlSyntaxErrors(expr);
  if (syntax.length) return syntax;
  const problems: PromqlProblem[] = [];
  const refs = promqlReferences(expr);
  if (refs.metrics.length === 0) problems.push({ at: 0, message: 'the expression reads no metric' });
  for (const m of refs.metrics) {
    if (!ISTIO_METRICS.includes(m.name)) {
      problems.push({ at: m.at, message: `"${m.name}" is not a metric the edge's Istio telemetry produces (${ISTIO_METRICS.slice(0, 3).join(', ')}, ...)` });
    }
  }
  const known = new Set([...ISTIO_METRIC_LABELS, ...SCRAPE_LABELS, ...(options.extraLabels ?? [])]);
  for (const l of refs.labels) {
    if (!known.has(l.name)) {
      problems.push({ at: l.at, message: `"${l.name}" is not a label of the edge's Istio metrics (${['reporter', 'destination_service_name', 'destination_version', 'response_code'].join(', ')}, ...)` });
    } else if (l.name === 'reporter' && l.value !== undefined && !ISTIO_REPORTERS.includes(l.value)) {
      problems.push({ at: l.at, message: `reporter="${l.value}" is never written: Istio reports ${ISTIO_REPORTERS.map((r) => `"${r}"`).join(', ')}` });
    }
  }
  return problems;
}
