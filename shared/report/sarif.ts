import type { Log, ReportingDescriptor, Result as SarifResult } from 'sarif';
import type { FieldRequest } from '../collectors/field-lines.js';
import { locationKey } from '../collectors/source-locations.js';
import { matchSentence } from '../controls/match.js';
import type { ControlMeta } from '../controls/types.js';
import type { Severity, SourceLocation } from '../core/types.js';
import type { ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';
import { findingId } from '../findings/id.js';
import type { ReportContext } from './context.js';
import { type Rendered, StreamedJson } from './pieces.js';

const LEVEL: Record<Severity, SarifResult.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** The remediation, then how the verdict compares with each cited reference (a reader of the alert knows Kubescape or Security Hub). */
function helpText(c: ControlMeta): string {
  if (c.match.length === 0) return c.remediation;
  return `${c.remediation}\n\nCompared with other verdicts:\n${c.match.map((m) => `- ${matchSentence(m)}`).join('\n')}`;
}

function rule(c: ControlMeta): ReportingDescriptor {
  const tags = ['security', c.category];
  if (c.frameworks.nsa) tags.push('nsa-cisa');
  if (c.frameworks.cis) tags.push('cis-eks');
  if (c.frameworks.pss) tags.push(`pss-${c.frameworks.pss.level}`);
  return {
    id: c.id,
    name: c.id.replace(/[.-](\w)/g, (_, ch: string) => ch.toUpperCase()).replace(/^\w/, (ch) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: { text: helpText(c) },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags, severity: c.severity, 'security-severity': SECURITY_SEVERITY[c.severity], frameworks: c.frameworks },
  };
}

function locationOf(r: Result, ctx: ReportContext): SourceLocation | undefined {
  const res = r.resource;
  return (
    ctx.locations?.get(locationKey(res.kind, res.namespace, res.name)) ??
    (res.namespace === 'default' ? ctx.locations?.get(locationKey(res.kind, undefined, res.name)) : undefined)
  );
}

function sarifResult(r: Result, ruleIndex: number, location: SourceLocation | undefined, line: number | undefined): SarifResult {
  const res = r.resource;
  const fqn = [r.target.name, res.namespace, res.kind, res.name, res.container].filter(Boolean).join('/');
  const out: SarifResult = {
    ruleId: r.controlId,
    ruleIndex,
    kind: r.status === 'FAIL' ? 'fail' : 'review',
    level: r.status === 'FAIL' ? LEVEL[r.severity] : 'none',
    message: { text: `${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name}: ${r.message}` },
    locations: [
      {
        ...(location
          ? {
              physicalLocation: {
                artifactLocation: { uri: location.file.split('\\').join('/') },
                region: { startLine: Math.max(1, line ?? location.line) },
              },
            }
          : {}),
        logicalLocations: [{ fullyQualifiedName: fqn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'hardline/findingId': findingId(r.target, r.controlId, res) },
    properties: { status: r.status, severity: r.severity, target: r.target, ...(r.evidence ? { evidence: r.evidence } : {}) },
  };
  if (r.exempted) {
    out.suppressions = [{ kind: 'external', status: 'accepted', justification: r.exempted.reason }];
  }
  return out;
}

/**
 * The line of each SARIF result's offending field (the evidence's `field`), in result order: one
 * pass over the results first, so each manifest document is parsed once, not once per result.
 */
function fieldLines(results: Iterable<Result>, ctx: ReportContext): number[] | undefined {
  if (!ctx.sources || !ctx.locations) return undefined;
  const requests: FieldRequest[] = [];
  const order: number[] = [];
  let n = 0;
  for (const r of results) {
    const location = locationOf(r, ctx);
    const field = r.evidence?.['field'];
    if (location && typeof field === 'string') {
      order.push(n);
      requests.push({ location, kind: r.resource.kind, field });
    }
    n++;
  }
  const lines = ctx.sources.lines(requests);
  const out: number[] = [];
  order.forEach((at, i) => (out[at] = lines[i]!));
  return out;
}

/** SARIF 2.1.0: one rule per control, a result per FAIL/UNKNOWN/ERROR; exemptions become suppressions. */
export function formatSarif(report: ScanReport, controls: readonly ControlMeta[], ctx: ReportContext = {}): Rendered {
  const withResults = new Set(report.results.controlIds());
  const used = controls.filter((c) => withResults.has(c.id));
  const index = new Map(used.map((c, i) => [c.id, i]));
  function* reported(): Generator<Result> {
    for (const r of report.results.withStatus('FAIL', 'UNKNOWN', 'ERROR')) if (index.has(r.controlId)) yield r;
  }
  const lines = fieldLines(reported(), ctx);
  const json = new StreamedJson();
  const results = json.array(
    (function* () {
      let n = 0;
      for (const r of reported()) yield sarifResult(r, index.get(r.controlId)!, locationOf(r, ctx), lines?.[n++]);
    })(),
  );
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'hardline',
            version: report.tool.version,
            informationUri: 'https://github.com/hardline-dev/hardline',
            rules: used.map(rule),
          },
        },
        automationDetails: { id: `hardline/${report.scan.id}` },
        invocations: [
          {
            executionSuccessful: report.scan.targets.every((t) => t.status !== 'ERROR'),
            startTimeUtc: report.scan.startedAt,
            endTimeUtc: report.scan.finishedAt,
            toolExecutionNotifications: [
              ...report.scan.errors.map((e) => ({
                level: 'warning' as const,
                message: { text: e.message },
                locations: [
                  { physicalLocation: { artifactLocation: { uri: e.file }, ...(e.line ? { region: { startLine: e.line } } : {}) } },
                ],
              })),
              ...report.summary.incompleteTargets.map((t) => ({
                level: 'warning' as const,
                message: { text: `target ${t.name} ${t.status}: ${t.reason}` },
              })),
            ],
          },
        ],
        results,
        // An upload with no alerts is not an all-clear when the scan could not read or judge everything.
        properties: { complete: report.summary.complete, incompleteTargets: report.summary.incompleteTargets },
      },
    ],
  };
  return json.pieces(log);
}
