import { locationKey } from '../collectors/source-locations.js';
import type { ControlFacts } from '../controls/types.js';
import type { Severity, Target } from '../core/types.js';
import type { ScanReport, TargetReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';
import { findingId } from '../findings/id.js';
import { isFindingResult } from '../findings/lifecycle.js';
import { isClusterScoped } from '../inventory/indexed.js';
import { redactDocument } from '../redaction/redact.js';
import type { ReportContext } from './context.js';
import { reportName } from './policyreport-names.js';
import { toYamlDocument } from './yaml-block.js';

/** The version Kyverno and Policy Reporter read. */
export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/**
 * `kubectl apply` keeps the whole object in an annotation limited to 256 KiB: a scope with more
 * results is split into several reports (`-2`, `-3`, …) below this size.
 */
export const MAX_REPORT_BYTES = 200_000;
/** Results about the scan itself (a target that could not be read, a file that did not load), not a control. */
export const SCAN_POLICY = 'hardline';

export type PolicyResultValue = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface PolicyReportResult {
  source: 'hardline';
  policy: string;
  rule?: string;
  category?: string;
  result: PolicyResultValue;
  scored: boolean;
  severity?: Severity;
  message: string;
  resources?: ObjectReference[];
  properties?: Record<string, string>;
  timestamp: { seconds: number; nanos: number };
}

export interface PolicyReport {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> };
  summary: Record<PolicyResultValue, number>;
  results: PolicyReportResult[];
}

/**
 * hardline's verdicts in the CRD's words. `warn` counts "non-scored policies whose requirements
 * were not met" — an exempted FAIL exactly; `error` those "that could not be evaluated" — UNKNOWN
 * and ERROR, so neither can ever read as a pass; `skip` those "not selected for evaluation".
 */
export function policyResultOf(r: Pick<Result, 'status' | 'exempted'>): { result: PolicyResultValue; scored: boolean } {
  switch (r.status) {
    case 'PASS':
      return { result: 'pass', scored: true };
    case 'FAIL':
      return r.exempted ? { result: 'warn', scored: false } : { result: 'fail', scored: true };
    case 'UNKNOWN':
    case 'ERROR':
      return { result: 'error', scored: !r.exempted };
    case 'NOT_APPLICABLE':
      return { result: 'skip', scored: false };
  }
}

const targetKey = (t: Target) => [t.kind, t.accountId ?? '', t.region ?? '', t.name].join('|');

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Namespaced Kubernetes objects go into their namespace's PolicyReport; the rest (cluster-scoped,
 * EKS, ECR) into the ClusterPolicyReport — and so does a manifest's namespace no cluster would
 * accept, which no PolicyReport could live in.
 */
function namespaceOf(r: Result): string | undefined {
  const res = r.resource;
  if (!res.namespace || !NAMESPACE_NAME.test(res.namespace)) return undefined;
  return isClusterScoped({ apiVersion: res.apiVersion, kind: res.kind }) ? undefined : res.namespace;
}

interface Group {
  /** The scan's own entry for the target (status, reason) when it has one. */
  target: Target & Partial<Pick<TargetReport, 'status' | 'reason'>>;
  cluster: PolicyReportResult[];
  namespaces: Map<string, PolicyReportResult[]>;
}

/** One result as the CRD has it; hardline's own fields that have no place there go into `properties` (strings only). */
function toPolicyResult(r: Result, facts: Map<string, ControlFacts>, ctx: ReportContext, timestamp: PolicyReportResult['timestamp']) {
  const res = r.resource;
  const control = facts.get(r.controlId);
  const properties: Record<string, string> = { status: r.status };
  if (isFindingResult(r)) properties['findingId'] = findingId(r.target, r.controlId, res);
  if (res.container) properties['container'] = res.container;
  const location =
    ctx.locations?.get(locationKey(res.kind, res.namespace, res.name)) ??
    (res.namespace === 'default' ? ctx.locations?.get(locationKey(res.kind, undefined, res.name)) : undefined);
  if (location) Object.assign(properties, { file: location.file, line: String(location.line) });
  const evidence = Object.fromEntries(Object.entries(r.evidence ?? {}).filter(([, v]) => v !== undefined));
  if (Object.keys(evidence).length > 0) properties['evidence'] = JSON.stringify(evidence);
  if (r.exempted) {
    Object.assign(properties, { exemptedBy: r.exempted.by, exemptionReason: r.exempted.reason, exemptionSource: r.exempted.source });
    if (r.exempted.expires) properties['exemptionExpires'] = r.exempted.expires;
  }
  const out: PolicyReportResult = {
    source: 'hardline',
    policy: r.controlId,
    ...(control ? { rule: control.title, category: control.category } : {}),
    ...policyResultOf(r),
    severity: r.severity,
    message: r.message,
    resources: [
      {
        apiVersion: res.apiVersion,
        kind: res.kind,
        ...(res.namespace && res.kind !== 'Namespace' ? { namespace: res.namespace } : {}),
        name: res.name,
      },
    ],
    properties,
    timestamp,
  };
  return out;
}

function scanResult(rule: string, message: string, properties: Record<string, string>, timestamp: PolicyReportResult['timestamp']) {
  const out: PolicyReportResult = {
    source: 'hardline',
    policy: SCAN_POLICY,
    rule,
    result: 'error',
    scored: true,
    message,
    properties,
    timestamp,
  };
  return out;
}

function sortKey(p: PolicyReportResult): string {
  const r = p.resources?.[0];
  return [p.policy, r?.kind ?? '', r?.namespace ?? '', r?.name ?? '', p.properties?.['container'] ?? ''].join('\u0000');
}

/** Splits one scope's results into chunks that each stay below `maxBytes` as JSON. */
function chunks(results: PolicyReportResult[], maxBytes: number): PolicyReportResult[][] {
  const out: PolicyReportResult[][] = [[]];
  let size = 0;
  for (const r of results) {
    const bytes = Buffer.byteLength(JSON.stringify(r)) + 1;
    if (size + bytes > maxBytes && out[out.length - 1]!.length > 0) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(r);
    size += bytes;
  }
  return out;
}

function document(
  report: ScanReport,
  target: Group['target'],
  namespace: string | undefined,
  chunk: number,
  results: PolicyReportResult[],
) {
  const summary: Record<PolicyResultValue, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result]++;
  const annotations: Record<string, string> = {
    'hardline.dev/scan-id': report.scan.id,
    'hardline.dev/scanned-at': report.scan.finishedAt,
    'hardline.dev/framework': report.scan.framework,
    'hardline.dev/target': target.name,
    'hardline.dev/target-kind': target.kind,
    ...(target.status ? { 'hardline.dev/target-status': target.status } : {}),
    ...(target.reason ? { 'hardline.dev/target-reason': target.reason } : {}),
    ...(target.accountId ? { 'hardline.dev/account': target.accountId } : {}),
    ...(target.region ? { 'hardline.dev/region': target.region } : {}),
  };
  const doc: PolicyReport = {
    apiVersion: POLICY_REPORT_API_VERSION,
    kind: namespace === undefined ? 'ClusterPolicyReport' : 'PolicyReport',
    metadata: {
      name: reportName(target, chunk),
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { [MANAGED_BY_LABEL]: 'hardline' },
      annotations,
    },
    summary,
    results,
  };
  return doc;
}

/**
 * The scan as wg-policy reports: per target, a ClusterPolicyReport for cluster-scoped and
 * non-Kubernetes resources (EKS, ECR, the cluster itself) and a PolicyReport per namespace.
 * A target that could not be read, and a file that did not load, become `error` results of the
 * `hardline` policy: a report is never emptier than the scan was.
 */
export function buildPolicyReports(
  report: ScanReport,
  controls: readonly ControlFacts[],
  ctx: ReportContext = {},
  maxBytes = MAX_REPORT_BYTES,
): PolicyReport[] {
  const finished = Date.parse(report.scan.finishedAt);
  const timestamp = { seconds: Math.floor(finished / 1000), nanos: (finished % 1000) * 1_000_000 };
  const facts = new Map(controls.map((c) => [c.id, c]));
  const groups = new Map<string, Group>();
  const groupOf = (target: Group['target']) => {
    const key = targetKey(target);
    return groups.get(key) ?? groups.set(key, { target, cluster: [], namespaces: new Map() }).get(key)!;
  };
  for (const target of report.scan.targets) groupOf(target);
  for (const r of report.results) {
    const group = groupOf(r.target);
    const ns = namespaceOf(r);
    const list = ns === undefined ? group.cluster : (group.namespaces.get(ns) ?? group.namespaces.set(ns, []).get(ns)!);
    list.push(toPolicyResult(r, facts, ctx, timestamp));
  }
  for (const e of report.scan.errors) {
    // Files that did not load belong to the manifests target; with nothing loaded there is none.
    const manifests = [...groups.values()].find((g) => g.target.kind === 'manifests') ?? groupOf({ kind: 'manifests', name: 'not-loaded' });
    const where = { file: e.file, ...(e.line ? { line: String(e.line) } : {}) };
    manifests.cluster.push(scanResult('load', `not loaded: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`, where, timestamp));
  }
  for (const g of groups.values()) {
    const empty = g.cluster.length === 0 && g.namespaces.size === 0;
    if (empty && (g.target.status === 'UNKNOWN' || g.target.status === 'ERROR')) {
      g.cluster.push(scanResult('target', `${g.target.status}: ${g.target.reason ?? 'the target could not be read'}`, {}, timestamp));
    }
  }
  const out: PolicyReport[] = [];
  for (const g of groups.values()) {
    const scopes: [string | undefined, PolicyReportResult[]][] = [
      [undefined, g.cluster],
      ...[...g.namespaces].sort(([a], [b]) => a.localeCompare(b)),
    ];
    for (const [ns, results] of scopes) {
      if (results.length === 0) continue;
      const sorted = results.map((r) => [sortKey(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      chunks(
        sorted.map(([, r]) => r),
        maxBytes,
      ).forEach((c, i) => out.push(document(report, g.target, ns, i + 1, c)));
    }
  }
  return out;
}

export interface PolicyReportFile {
  /** `clusterpolicyreport-<name>.yaml` or `policyreport-<namespace>-<name>.yaml`. */
  fileName: string;
  text: string;
}

/** One YAML file per report (redacted), for `--output DIR/` and `kubectl apply -f DIR/`. */
export function policyReportFiles(report: ScanReport, controls: readonly ControlFacts[], ctx: ReportContext = {}): PolicyReportFile[] {
  return buildPolicyReports(report, controls, ctx).map((doc) => ({
    fileName: `${doc.kind.toLowerCase()}-${doc.metadata.namespace ? `${doc.metadata.namespace}-` : ''}${doc.metadata.name}.yaml`,
    text: redactDocument(toYamlDocument(doc)),
  }));
}

/** Every report as one multi-document YAML stream (`kubectl apply -f -`). */
export function formatPolicyReports(report: ScanReport, controls: readonly ControlFacts[], ctx: ReportContext = {}): string {
  return buildPolicyReports(report, controls, ctx)
    .map((doc) => toYamlDocument(doc))
    .join('---\n');
}
