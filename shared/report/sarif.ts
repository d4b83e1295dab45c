import type { Log, ReportingDescriptor, Result as SarifResult } from 'sarif';
import { locationKey } from '../collectors/manifests.js';
import type { ControlMeta } from '../controls/types.js';
import type { Severity } from '../core/types.js';
import type { ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';
import { findingId } from '../findings/id.js';
import type { ReportContext } from './context.js';

const LEVEL: Record<Severity, SarifResult.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

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
    help: { text: c.remediation },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags, severity: c.severity, 'security-severity': SECURITY_SEVERITY[c.severity], frameworks: c.frameworks },
  };
}

function sarifResult(r: Result, ruleIndex: number, ctx: ReportContext): SarifResult {
  const res = r.resource;
  const location =
    ctx.locations?.get(locationKey(res.kind, res.namespace, res.name)) ??
    (res.namespace === 'default' ? ctx.locations?.get(locationKey(res.kind, undefined, res.name)) : undefined);
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
                region: { startLine: Math.max(1, location.line) },
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

/** SARIF 2.1.0: one rule per control, a result per FAIL/UNKNOWN/ERROR; exemptions become suppressions. */
export function formatSarif(report: ScanReport, controls: readonly ControlMeta[], ctx: ReportContext = {}): string {
  const used = controls.filter((c) => report.results.some((r) => r.controlId === c.id));
  const index = new Map(used.map((c, i) => [c.id, i]));
  const results = report.results
    .filter((r) => r.status === 'FAIL' || r.status === 'UNKNOWN' || r.status === 'ERROR')
    .filter((r) => index.has(r.controlId))
    .map((r) => sarifResult(r, index.get(r.controlId)!, ctx));
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
  return JSON.stringify(log, null, 2) + '\n';
}
