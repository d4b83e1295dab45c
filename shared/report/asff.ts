import type { AwsSecurityFinding, Partition } from '@aws-sdk/client-securityhub';
import type { ControlFacts } from '../controls/types.js';
import type { Severity } from '../core/types.js';
import type { ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';
import { stateOfResult } from '../events/ocsf-codes.js';
import { findingId } from '../findings/id.js';
import type { FindingState } from '../findings/types.js';
import { redactDeep } from '../redaction/redact.js';
import { type Rendered, StreamedJson } from './pieces.js';
import { requirementsOf, resourceUid, standardsOf } from './ocsf.js';

/**
 * `--format asff`: the AWS Security Finding Format as BatchImportFindings takes it (a JSON array,
 * usable as `aws securityhub batch-import-findings --findings file://…`).
 *
 * A manifest scan has no account or region; ASFF requires both, so the documented placeholders
 * below are used (and `--to-securityhub` replaces them with the caller's account and region).
 */
export const ASFF_PLACEHOLDER_ACCOUNT = '000000000000';
export const ASFF_PLACEHOLDER_REGION = 'us-east-1';
export const ASFF_LIMITS = {
  title: 256,
  description: 1024,
  recommendation: 512,
  productFieldValue: 2048,
  relatedRequirements: 32,
} as const;

export interface AsffOptions {
  controls: readonly ControlFacts[];
  /** Account/region to use where a target has none (default: the placeholders). */
  account?: string;
  region?: string;
  /** The Security Hub the findings go to; defaults to each finding's own account/region. */
  productAccount?: string;
  productRegion?: string;
}

const LABEL: Record<Severity, NonNullable<AwsSecurityFinding['Severity']>['Label']> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** PASS → PASSED, FAIL → FAILED, UNKNOWN (data not readable) → WARNING, ERROR (check threw) → NOT_AVAILABLE. */
const COMPLIANCE: Record<Result['status'], 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE'> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  UNKNOWN: 'WARNING',
  ERROR: 'NOT_AVAILABLE',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

/**
 * The lifecycle in Security Hub terms: an open finding is NEW and ACTIVE, an exempted one
 * SUPPRESSED (still ACTIVE: the risk exists, it was accepted), a resolved one RESOLVED and ARCHIVED.
 */
const LIFECYCLE: Record<FindingState, { workflow: 'NEW' | 'SUPPRESSED' | 'RESOLVED'; record: 'ACTIVE' | 'ARCHIVED' }> = {
  OPEN: { workflow: 'NEW', record: 'ACTIVE' },
  EXEMPTED: { workflow: 'SUPPRESSED', record: 'ACTIVE' },
  RESOLVED: { workflow: 'RESOLVED', record: 'ARCHIVED' },
};

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function subject(r: Result, control: ControlFacts | undefined, account: string, region: string): { Type: string; Id: string } {
  const partition = partitionOf(region);
  if (control?.scope === 'eks' && r.target.kind === 'cluster') {
    return { Type: 'AwsEksCluster', Id: r.target.arn ?? `arn:${partition}:eks:${region}:${account}:cluster/${r.target.name}` };
  }
  if (control?.scope === 'ecr') {
    return { Type: 'AwsEcrRepository', Id: `arn:${partition}:ecr:${region}:${account}:repository/${r.resource.name}` };
  }
  return { Type: 'Other', Id: resourceUid(r.target, r.resource) };
}

/** One result (with its lifecycle state when known, e.g. from the store) as an ASFF finding. */
export function asffFinding(
  report: { scan: Pick<ScanReport['scan'], 'id' | 'startedAt' | 'finishedAt'> },
  r: Result,
  opts: AsffOptions & { state?: FindingState; control?: ControlFacts },
): AwsSecurityFinding {
  const control = opts.control;
  const account = r.target.accountId ?? opts.account ?? ASFF_PLACEHOLDER_ACCOUNT;
  const region = r.target.region ?? opts.region ?? ASFF_PLACEHOLDER_REGION;
  const productAccount = opts.productAccount ?? account;
  const productRegion = opts.productRegion ?? region;
  const state = opts.state ?? stateOfResult(r);
  const lifecycle = LIFECYCLE[state];
  const res = r.resource;
  const where = `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name}${res.container ? ` (container ${res.container})` : ''} in ${r.target.name}`;
  const standards = standardsOf(r.controlId);
  const details: Record<string, string> = {
    apiVersion: res.apiVersion,
    kind: res.kind,
    name: res.name,
    target: r.target.name,
    targetKind: r.target.kind,
  };
  if (res.namespace) details['namespace'] = res.namespace;
  if (res.container) details['container'] = res.container;
  const productFields: Record<string, string> = {
    'hardline/controlId': r.controlId,
    'hardline/status': r.status,
    'hardline/scanId': report.scan.id,
  };
  if (r.exempted) {
    productFields['hardline/exemptedBy'] = clip(r.exempted.by, ASFF_LIMITS.productFieldValue);
    productFields['hardline/exemptionReason'] = clip(r.exempted.reason, ASFF_LIMITS.productFieldValue);
    if (r.exempted.expires) productFields['hardline/exemptionExpires'] = r.exempted.expires;
  }
  const finding: AwsSecurityFinding = {
    SchemaVersion: '2018-10-08',
    Id: `hardline/${findingId(r.target, r.controlId, res)}`,
    ProductArn: `arn:${partitionOf(productRegion)}:securityhub:${productRegion}:${productAccount}:product/${productAccount}/default`,
    ProductName: 'hardline',
    CompanyName: 'hardline',
    GeneratorId: `hardline/${r.controlId}`,
    AwsAccountId: account,
    Region: region,
    Types: (standards.length > 0 ? standards : ['Kubernetes Hardening']).map(
      (s) => `Software and Configuration Checks/Industry and Regulatory Standards/${s}`,
    ),
    CreatedAt: report.scan.startedAt,
    UpdatedAt: report.scan.finishedAt,
    FirstObservedAt: report.scan.startedAt,
    LastObservedAt: report.scan.finishedAt,
    Severity: { Label: LABEL[r.severity], Original: r.severity },
    Title: clip(control?.title ?? r.controlId, ASFF_LIMITS.title),
    Description: clip(`${where}: ${r.message}`, ASFF_LIMITS.description),
    ...(control ? { Remediation: { Recommendation: { Text: clip(control.remediation, ASFF_LIMITS.recommendation) } } } : {}),
    Resources: [{ ...subject(r, control, account, region), Partition: partitionOf(region), Region: region, Details: { Other: details } }],
    Compliance: {
      Status: COMPLIANCE[r.status],
      RelatedRequirements: requirementsOf(control).slice(0, ASFF_LIMITS.relatedRequirements),
    },
    Workflow: { Status: lifecycle.workflow },
    RecordState: lifecycle.record,
    ProductFields: productFields,
  };
  return redactDeep(finding);
}

/** Every judged result of the report (NOT_APPLICABLE left out) as ASFF. PASS results close earlier FAILs. */
export function* asffFindings(report: ScanReport, opts: AsffOptions): Generator<AwsSecurityFinding> {
  const byId = new Map(opts.controls.map((c) => [c.id, c]));
  for (const r of report.results.withStatus('PASS', 'FAIL', 'UNKNOWN', 'ERROR')) {
    const control = byId.get(r.controlId);
    yield asffFinding(report, r, { ...opts, ...(control ? { control } : {}) });
  }
}

export function formatAsff(report: ScanReport, controls: readonly ControlFacts[]): Rendered {
  const json = new StreamedJson();
  return json.pieces(json.array(asffFindings(report, { controls })));
}
