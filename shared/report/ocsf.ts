import type { ControlFacts } from '../controls/types.js';
import type { Target } from '../core/types.js';
import type { ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';
import {
  COMPLIANCE_FINDING,
  OCSF_ACTIVITY_NAME,
  OCSF_COMPLIANCE_STATUS_NAME,
  OCSF_FINDING_STATUS_NAME,
  OCSF_SCHEMA_VERSION,
  ocsfComplianceStatusId,
  ocsfFindingStatusId,
  ocsfSeverityId,
  ocsfSeverityName,
  ocsfTypeUid,
  stateOfResult,
  type OcsfActivityId,
} from '../events/ocsf-codes.js';
import { findingId } from '../findings/id.js';
import { frameworks } from '../frameworks/index.js';
import { redactDeep } from '../redaction/redact.js';
import { type Rendered, StreamedJson } from './pieces.js';

/**
 * `--format ocsf`: one JSON array of OCSF 1.x Compliance Findings (class 2003), one per judged
 * result (PASS, FAIL, UNKNOWN, ERROR; NOT_APPLICABLE is left out). The subset of OCSF fields
 * hardline fills is pinned by shared/events/schemas/ocsf-compliance-finding.json. The `cloud` profile is present only when the
 * target has an AWS account (a manifest scan has none, and inventing one would mislead).
 */
export interface OcsfComplianceFinding {
  activity_id: OcsfActivityId;
  activity_name: string;
  category_uid: 2;
  category_name: string;
  class_uid: 2003;
  class_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  message: string;
  metadata: { version: string; product: { name: string; vendor_name: string; version: string }; uid: string; profiles: string[] };
  finding_info: { uid: string; title: string; desc: string; last_seen_time: number; types: string[] };
  compliance: { control: string; standards: string[]; requirements: string[]; status_id: number; status: string; status_detail: string };
  resources: { uid: string; name: string; type: string; namespace?: string; region?: string; data: Record<string, string> }[];
  remediation?: { desc: string };
  cloud?: { provider: 'AWS'; account?: { uid: string }; region?: string };
  unmapped: Record<string, unknown>;
}

/** The frameworks (from shared/frameworks) that list a control, as "title version". */
export function standardsOf(controlId: string): string[] {
  return frameworks.filter((f) => f.controls.includes(controlId)).map((f) => `${f.title} ${f.version}`);
}

/** The control's cross-references as requirement strings (never invented: they come from the catalog). */
export function requirementsOf(control: ControlFacts | undefined): string[] {
  if (!control) return [];
  const f = control.frameworks;
  const out: string[] = [];
  if (f.nsa) out.push(`NSA/CISA Kubernetes Hardening Guidance v1.2: ${f.nsa}`);
  for (const c of f.cis ?? []) out.push(`CIS Amazon EKS Benchmark v1.8.0 ${c}`);
  if (f.pss) out.push(`Pod Security Standards ${f.pss.level}: ${f.pss.check}`);
  return out;
}

/** A stable, human-readable identifier of the subject resource within its target. */
export function resourceUid(target: Target, r: Result['resource']): string {
  const base = target.arn ?? (target.accountId ? `${target.accountId}/${target.region ?? ''}/${target.name}` : target.name);
  return [base, r.kind, r.namespace ?? '', r.name, r.container ?? ''].filter((p, i) => i < 4 || p !== '').join('/');
}

const ms = (iso: string) => new Date(iso).getTime();

function ocsfFinding(report: ScanReport, r: Result, control: ControlFacts | undefined): OcsfComplianceFinding {
  const state = stateOfResult(r);
  const activity: OcsfActivityId = state === 'RESOLVED' ? 3 : 1;
  const statusId = ocsfFindingStatusId(state);
  const complianceId = ocsfComplianceStatusId(r.status);
  const uid = findingId(r.target, r.controlId, r.resource);
  const time = ms(report.scan.finishedAt);
  const res = r.resource;
  const finding: OcsfComplianceFinding = {
    activity_id: activity,
    activity_name: OCSF_ACTIVITY_NAME[activity],
    category_uid: COMPLIANCE_FINDING.category_uid,
    category_name: COMPLIANCE_FINDING.category_name,
    class_uid: COMPLIANCE_FINDING.class_uid,
    class_name: COMPLIANCE_FINDING.class_name,
    type_uid: ocsfTypeUid(activity),
    type_name: `${COMPLIANCE_FINDING.class_name}: ${OCSF_ACTIVITY_NAME[activity]}`,
    time,
    severity_id: ocsfSeverityId(r.severity),
    severity: ocsfSeverityName(r.severity),
    status_id: statusId,
    status: OCSF_FINDING_STATUS_NAME[statusId],
    message: `${res.kind} ${res.namespace ? `${res.namespace}/` : ''}${res.name}: ${r.message}`,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'hardline', vendor_name: 'hardline', version: report.tool.version },
      uid: `${report.scan.id}/${uid}`,
      profiles: r.target.accountId ? ['cloud'] : [],
    },
    finding_info: {
      uid,
      title: control?.title ?? r.controlId,
      desc: r.message,
      last_seen_time: time,
      types: control ? [control.category] : [],
    },
    compliance: {
      control: r.controlId,
      standards: standardsOf(r.controlId),
      requirements: requirementsOf(control),
      status_id: complianceId,
      status: OCSF_COMPLIANCE_STATUS_NAME[complianceId],
      status_detail: r.status,
    },
    resources: [
      {
        uid: resourceUid(r.target, res),
        name: res.name,
        type: res.kind,
        ...(res.namespace ? { namespace: res.namespace } : {}),
        ...(r.target.region ? { region: r.target.region } : {}),
        data: {
          apiVersion: res.apiVersion,
          target: r.target.name,
          targetKind: r.target.kind,
          ...(res.container ? { container: res.container } : {}),
        },
      },
    ],
    ...(control ? { remediation: { desc: control.remediation } } : {}),
    ...(r.target.accountId
      ? {
          cloud: {
            provider: 'AWS' as const,
            account: { uid: r.target.accountId },
            ...(r.target.region ? { region: r.target.region } : {}),
          },
        }
      : {}),
    unmapped: {
      hardline_status: r.status,
      ...(r.evidence ? { evidence: r.evidence } : {}),
      ...(r.exempted ? { exemption: r.exempted } : {}),
    },
  };
  return redactDeep(finding);
}

/** Every judged result (NOT_APPLICABLE left out) as an OCSF finding, one at a time. */
export function* ocsfFindings(report: ScanReport, controls: readonly ControlFacts[]): Generator<OcsfComplianceFinding> {
  const byId = new Map(controls.map((c) => [c.id, c]));
  for (const r of report.results.withStatus('PASS', 'FAIL', 'UNKNOWN', 'ERROR')) yield ocsfFinding(report, r, byId.get(r.controlId));
}

export function formatOcsf(report: ScanReport, controls: readonly ControlFacts[]): Rendered {
  const json = new StreamedJson();
  return json.pieces(json.array(ocsfFindings(report, controls)));
}
