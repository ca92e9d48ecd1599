/**
 * The diff for review: human text grouped by host, Markdown for a pull-request comment, and SARIF
 * 2.1.0 (each changed class a result located at the objects it comes from). `--json` prints the
 * {@link EdgeDiff} itself.
 */
import { ManifestLocation } from '../../model/read-manifests';
import { ExplainRequest } from '../explain';
import { DiffAspect, DiffCause, DiffChange, DiffClass, DiffObjectChange, EdgeDiff } from './diff';

const shortHost = (h: string) => h.replace(/\.svc\.cluster\.local$/, '');

function compact(value: unknown): string {
  return JSON.stringify(value);
}

/** A scalar as itself, anything else as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** One part of an outcome in words. */
export function describeAspect(aspect: DiffAspect, value: unknown, showPolicy = true): string {
  if (value === null || value === undefined) return '—';
  const v = value as Record<string, unknown>;
  switch (aspect) {
    case 'decision': return `${text(v.decision)}${v.status !== null && v.status !== undefined ? ` (${text(v.status)})` : ''}`;
    case 'gateway': return `${text(v.name)} ${text(v.port)}/${text(v.protocol)}`;
    case 'destinations': {
      const list = value as readonly { host: string; subset: string | null; port: number | null; percent: number; problems: readonly string[]; authorization: { decision: string; policy: string | null } | null; trafficPolicy: unknown }[];
      if (list.length === 0) return 'none';
      return list.map((d) => `${shortHost(d.host)}${d.port !== null ? `:${d.port}` : ''}${d.subset ? ` ${d.subset}` : ''} ${d.percent}%`
        + `${d.authorization && d.authorization.decision !== 'allow' ? ` (${d.authorization.decision}${d.authorization.policy ? ` by ${d.authorization.policy}` : ''})` : ''}`
        + `${d.problems.length ? ` [${d.problems.join('; ')}]` : ''}${showPolicy && d.trafficPolicy ? ` policy ${compact(d.trafficPolicy)}` : ''}`).join(', ');
    }
    case 'redirect': return `${text(v.status)} ${text(v.location)}`;
    case 'rewrite': return [v.path !== undefined ? `path ${text(v.path)}` : '', v.authority !== undefined ? `authority ${text(v.authority)}` : ''].filter(Boolean).join(', ');
    case 'timeout': return text(value);
    case 'rateLimits': {
      const list = value as readonly { name: string; kind: string; limits: readonly string[]; descriptors: readonly string[] }[];
      if (list.length === 0) return 'none';
      return list.map((r) => `${r.name} (${r.kind}${r.limits.length ? `: ${r.limits.join(', ')}` : r.kind === 'global' ? ': not limited' : ''})`).join(', ');
    }
    case 'authorization': return `${text(v.decision)}${v.policy ? ` by ${text(v.policy)}` : ''}`;
    case 'jwt': return `${v.required === true ? 'required' : v.required === false ? 'not required' : 'maybe required'}${(v.issuers as string[]).length ? ` (issuers: ${(v.issuers as string[]).join(', ')})` : ''}`;
    default: return compact(value);
  }
}

/** A change in words, before and after; destinations show their traffic policy only when it changed. */
export function describeChange(ch: DiffChange): [string, string] {
  const policies = (v: unknown) => (Array.isArray(v) ? compact(v.map((d: { trafficPolicy?: unknown }) => d.trafficPolicy ?? null)) : '');
  const showPolicy = ch.aspect === 'destinations' && policies(ch.before) !== policies(ch.after);
  return [describeAspect(ch.aspect, ch.before, showPolicy), describeAspect(ch.aspect, ch.after, showPolicy)];
}

const changeText = (ch: DiffChange) => {
  const [b, a] = describeChange(ch);
  return `${ch.aspect}: ${b} → ${a}`;
};

/** A request as one line: `GET https://shop.example.com/api -H 'x-canary: true' with a JWT`. */
export function describeExampleRequest(r: ExplainRequest): string {
  const scheme = r.scheme ?? (r.port === 443 ? 'https' : 'http');
  const port = r.port !== undefined && !((scheme === 'https' && r.port === 443) || (scheme === 'http' && r.port === 80)) ? `:${r.port}` : '';
  const query = Object.entries(r.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const parts = [`${r.method ?? 'GET'} ${scheme}://${r.host}${port}${r.path ?? '/'}${query ? `${(r.path ?? '').includes('?') ? '&' : '?'}${query}` : ''}`];
  for (const [k, v] of Object.entries(r.headers ?? {})) parts.push(`-H '${k}: ${v}'`);
  if (r.jwt) parts.push(`with a JWT${r.jwt.issuer ? ` from ${r.jwt.issuer}` : ''}${r.jwt.claims ? ` claims ${compact(r.jwt.claims)}` : ''}`);
  if (r.source) parts.push(`from ${r.source.namespace}${r.source.labels && Object.keys(r.source.labels).length ? ` (${Object.entries(r.source.labels).map(([k, v]) => `${k}=${v}`).join(',')})` : ''}`);
  if (r.sourceIp) parts.push(`client ${r.sourceIp}`);
  return parts.join(' ');
}

const where = (l: ManifestLocation | null) => (l ? ` (${l.file}#${l.document}${l.item !== undefined ? ` items[${l.item}]` : ''}, line ${l.line})` : '');
const objectName = (o: { kind: string; namespace: string | null; name: string }) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const causeText = (c: DiffCause) => `${objectName(c)}${c.side === 'old' ? ' (removed)' : ''}${where(c.location)}`;

function scopeText(c: DiffClass): string {
  if (c.listener) return `${c.listener.scheme}:${c.listener.port}`;
  const labels = Object.entries(c.source?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return `mesh, from ${c.source?.namespace ?? '?'}${labels ? ` (${labels})` : ''}`;
}

function hostTitle(c: DiffClass): string {
  return c.hostPattern !== c.host ? `${c.hostPattern} (example host ${c.host})` : c.host;
}

function byHost(d: EdgeDiff): Map<string, DiffClass[]> {
  const groups = new Map<string, DiffClass[]>();
  for (const c of d.classes) groups.set(hostTitle(c), [...(groups.get(hostTitle(c)) ?? []), c]);
  return groups;
}

const noEffect = (d: EdgeDiff): DiffObjectChange[] => d.objects.filter((o) => !o.routingEffect);

function headline(d: EdgeDiff): string {
  if (!d.changed) return `No routing change (${d.summary.requests} requests compared on both sides${d.summary.objectsChanged ? `; ${d.summary.objectsChanged} object(s) changed` : ''}).`;
  const unknown = d.summary.unknownClasses ? `, ${d.summary.unknownClasses} of them not decided by the manifests` : '';
  return `${d.summary.classes} request class(es) change on ${d.summary.hosts} host(s)${unknown} (${d.summary.requests} requests compared on both sides).`;
}

/** The diff as text, grouped by host. */
export function formatDiff(d: EdgeDiff): string {
  const lines = [headline(d)];
  for (const [host, classes] of byHost(d)) {
    lines.push('', host);
    for (const c of classes) {
      lines.push(`  [${c.id}] ${scopeText(c)}${c.status === 'unknown' ? ' (not decided by the manifests)' : ''}: ${c.where.join('; or ')}`);
      lines.push(`       e.g. ${describeExampleRequest(c.example)}`);
      for (const ch of c.changes) lines.push(`       ${changeText(ch)}`);
      for (const [side, o] of [['before', c.before], ['after', c.after]] as const) for (const u of o.unknowns) lines.push(`       unknown ${side}: ${u}`);
      if (c.causes.length) lines.push(`       from: ${c.causes.map(causeText).join('; ')}`);
    }
  }
  const quiet = noEffect(d);
  if (quiet.length) {
    lines.push('', 'No routing effect (changed, without changing any outcome):');
    for (const o of quiet) lines.push(`  ${o.change} ${objectName(o)}${where(o.newLocation ?? o.oldLocation)}`);
  }
  if (d.notes.length) {
    lines.push('', 'Not covered:');
    for (const n of d.notes) lines.push(`  ${n}`);
  }
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The diff as Markdown for a pull-request comment. */
export function formatDiffMarkdown(d: EdgeDiff): string {
  const lines = [`### Edge diff: ${d.changed ? `${d.summary.classes} request class${d.summary.classes === 1 ? '' : 'es'} change` : 'no routing change'}`, '', headline(d)];
  for (const [host, classes] of byHost(d)) {
    lines.push('', `#### ${host}`, '', '| | Requests | Before | After | From |', '|---|---|---|---|---|');
    for (const c of classes) {
      const before = c.changes.map((ch) => `${ch.aspect}: ${describeChange(ch)[0]}`).join('<br>');
      const after = c.changes.map((ch) => `${ch.aspect}: ${describeChange(ch)[1]}`).join('<br>');
      lines.push(`| ${c.id}${c.status === 'unknown' ? ' ⚠️ unknown' : ''} | ${cell(`${scopeText(c)}: ${c.where.join('; or ')}`)}<br>${code(describeExampleRequest(c.example))} | ${cell(before)} | ${cell(after)} | ${cell(c.causes.map(causeText).join('<br>'))} |`);
    }
  }
  const quiet = noEffect(d);
  if (quiet.length) {
    lines.push('', `<details><summary>No routing effect: ${quiet.length} object${quiet.length === 1 ? '' : 's'} changed without changing any outcome</summary>`, '');
    for (const o of quiet) lines.push(`- ${o.change} ${code(objectName(o))}${where(o.newLocation ?? o.oldLocation)}`);
    lines.push('', '</details>');
  }
  if (d.notes.length) {
    lines.push('', '<details><summary>Not covered</summary>', '');
    for (const n of d.notes) lines.push(`- ${cell(n)}`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

/** The SARIF rule ids of the diff's results. */
export const DIFF_SARIF_RULES = {
  change: 'EDGE-DIFF-CHANGE',
  unknown: 'EDGE-DIFF-UNKNOWN',
  noEffect: 'EDGE-DIFF-NO-EFFECT',
} as const;

function sarifLocation(o: { kind: string; namespace: string | null; name: string }, l: ManifestLocation | null): Record<string, unknown> {
  const logical = [{ fullyQualifiedName: `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`, name: o.name, kind: 'object' }];
  if (!l) return { logicalLocations: logical };
  const uri = l.file.split('\\').join('/').replace(/^\.\//, '');
  return {
    physicalLocation: { artifactLocation: { uri: uri.startsWith('/') ? `file://${encodeURI(uri)}` : encodeURI(uri) }, region: { startLine: l.line } },
    logicalLocations: logical,
    properties: { documentIndex: l.document, ...(l.item !== undefined ? { item: l.item } : {}) },
  };
}

/** The diff as a SARIF 2.1.0 log: a result per changed class (at its causes) and per object without routing effect. */
export function diffSarif(d: EdgeDiff, toolVersion?: string): Record<string, unknown> {
  const results: Record<string, unknown>[] = [];
  for (const c of d.classes) {
    const text = `${hostTitle(c)} ${scopeText(c)}: ${c.where.join('; or ')}. ${c.changes.map(changeText).join('; ')}. Example: ${describeExampleRequest(c.example)}`;
    const locations = c.causes.map((cause) => sarifLocation(cause, cause.location));
    results.push({
      ruleId: c.status === 'unknown' ? DIFF_SARIF_RULES.unknown : DIFF_SARIF_RULES.change,
      level: 'warning',
      message: { text },
      ...(locations.length ? { locations } : {}),
      partialFingerprints: { edgeDiffClass: `${c.host}|${scopeText(c)}|${c.where.join('|')}` },
      properties: { classId: c.id, host: c.host, aspects: c.changes.map((ch) => ch.aspect), example: c.example },
    });
  }
  for (const o of noEffect(d)) {
    results.push({
      ruleId: DIFF_SARIF_RULES.noEffect,
      level: 'note',
      message: { text: `${objectName(o)} ${o.change}: no request gets another outcome.` },
      locations: [sarifLocation(o, o.newLocation ?? o.oldLocation)],
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'istio-aks-edge diff',
          ...(toolVersion ? { version: toolVersion } : {}),
          rules: [
            { id: DIFF_SARIF_RULES.change, shortDescription: { text: 'Requests of this class get another outcome' }, defaultConfiguration: { level: 'warning' } },
            { id: DIFF_SARIF_RULES.unknown, shortDescription: { text: 'Requests of this class may get another outcome: the manifests do not decide it' }, defaultConfiguration: { level: 'warning' } },
            { id: DIFF_SARIF_RULES.noEffect, shortDescription: { text: 'The object changed without changing any outcome' }, defaultConfiguration: { level: 'note' } },
          ],
        },
      },
      results,
    }],
  };
}
