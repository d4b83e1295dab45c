import { asArray, asRecord, asRecords, asString, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

/** The EKS add-on GuardDuty's runtime agent ships as (installed by GuardDuty itself under automated agent management). */
const AGENT_ADDON = 'aws-guardduty-agent';
/** Cluster tag that excludes a cluster from (false) or includes it in (true) automated agent management. */
const MANAGED_TAG = 'GuardDutyManaged';

function feature(detector: JsonRecord, name: string): JsonRecord | undefined {
  return asRecords(detector['features']).find((f) => asString(f['name']) === name);
}

const isEnabled = (f: JsonRecord | undefined) => asString(f?.['status']) === 'ENABLED';

export const guarddutyProtection = defineControl(
  {
    id: 'eks.guardduty-protection',
    title: "GuardDuty must watch the cluster's audit logs and runtime",
    severity: 'medium',
    category: 'Audit logging and threat detection',
    scope: 'eks',
    frameworks: {
      nsa: 'Audit logging and threat detection: threat detection',
      securityHub: ['GuardDuty.5', 'GuardDuty.7'],
    },
    match: [
      {
        ref: 'SH GuardDuty.5 + GuardDuty.7',
        match: 'weaker',
        note: '(together): GuardDuty.7 also requires automated agent management; both judge the detector (multi-account: admin and every member); GuardDuty.11 (Runtime Monitoring) related',
      },
    ],
    rationale:
      'Logs nobody reads detect nothing. GuardDuty EKS Audit Log Monitoring flags anonymous access, credential abuse and known ' +
      'attack tooling in the API audit trail; Runtime Monitoring sees what runs on the nodes (reverse shells, miners, container escapes). ' +
      "Judged for the cluster's account and region: a detector must exist and be enabled with EKS_AUDIT_LOGS and RUNTIME_MONITORING " +
      '(or EKS_RUNTIME_MONITORING), and the runtime agent must reach this cluster: automated EKS agent management that does not exclude ' +
      'it (tag GuardDutyManaged=false), the tag GuardDutyManaged=true, or the aws-guardduty-agent add-on installed.',
    remediation:
      'aws guardduty update-detector --detector-id <id> --features \'[{"Name":"EKS_AUDIT_LOGS","Status":"ENABLED"},' +
      '{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"EKS_ADDON_MANAGEMENT","Status":"ENABLED"}]}]\' ' +
      '(in an organisation, from the GuardDuty administrator account with auto-enable for members).',
  },
  judgeEksCluster({ requires: ['guardduty:detector'] }, function* ({ ctx, cluster, ref }) {
    const detector = asRecord(ctx.inventory.eks?.guardDuty);
    if (!detector) {
      yield ctx.outcome('UNKNOWN', ref, 'GuardDuty was not collected for this account and region');
      return;
    }
    const detectorId = asString(detector['detectorId']);
    if (!detectorId) {
      yield ctx.outcome('FAIL', ref, "GuardDuty is off in the cluster's account and region (no detector)", { detector: null });
      return;
    }
    if (asString(detector['status']) === 'DISABLED') {
      yield ctx.outcome('FAIL', ref, `GuardDuty detector ${detectorId} is suspended`, { detectorId, status: 'DISABLED' });
      return;
    }
    const audit = asString(feature(detector, 'EKS_AUDIT_LOGS')?.['status']) ?? asString(detector['kubernetesAuditLogs']);
    const runtime = [feature(detector, 'RUNTIME_MONITORING'), feature(detector, 'EKS_RUNTIME_MONITORING')].find(isEnabled);
    const addonManagement = asRecords(runtime?.['additionalConfiguration']).find((c) => asString(c['name']) === 'EKS_ADDON_MANAGEMENT');
    const tag = asString(asRecord(cluster['tags'])?.[MANAGED_TAG]);
    const managed = isEnabled(addonManagement) ? tag !== 'false' : tag === 'true';
    const addons = ctx.inventory.eks?.addons;
    const agentAddon = Array.isArray(addons) ? asRecords(asArray(addons)).some((a) => asString(a['addonName']) === AGENT_ADDON) : undefined;
    const evidence = {
      detectorId,
      eksAuditLogs: audit ?? 'unknown',
      runtimeMonitoring: asString(runtime?.['name']) ?? 'DISABLED',
      eksAddonManagement: asString(addonManagement?.['status']) ?? 'unset',
      [MANAGED_TAG]: tag ?? null,
      agentAddon: agentAddon ?? 'unknown',
    };
    const problems: string[] = [];
    if (audit !== 'ENABLED') problems.push('EKS audit log monitoring is off');
    if (!runtime) problems.push('runtime monitoring is off');
    else if (!managed && agentAddon === false)
      problems.push(
        `runtime monitoring is on but no agent reaches this cluster (not under automated agent management, no ${AGENT_ADDON} add-on)`,
      );
    if (problems.length > 0) {
      yield ctx.outcome('FAIL', ref, `GuardDuty detector ${detectorId}: ${problems.join('; ')}`, evidence);
      return;
    }
    if (runtime && !managed && agentAddon === undefined) {
      yield ctx.outcome(
        'UNKNOWN',
        ref,
        `runtime monitoring is on without automated agent management, and the add-ons (${AGENT_ADDON}) could not be read`,
        evidence,
      );
      return;
    }
    yield ctx.outcome('PASS', ref, `GuardDuty detector ${detectorId} monitors EKS audit logs and the cluster's runtime`, evidence);
  }),
);
