import { asRecord, asString } from '../../inventory/read.js';
import { constraintGaps, GATEKEEPER_CONSTRAINT_SOURCE, gatekeeperConstraints } from '../../policy/admission/gatekeeper.js';
import { KYVERNO_KINDS, kyvernoRules, ruleValidate, type KyvernoRule } from '../../policy/admission/kyverno.js';
import { withSystemFlag } from '../../policy/namespaces.js';
import { defineControl } from '../define.js';
import { judgeNamespaces } from '../namespaces.js';
import type { Outcome } from '../types.js';

const PSA = 'pod-security.kubernetes.io/';
const PSA_ENFORCE = `${PSA}enforce`;
const PSA_AUDIT = `${PSA}audit`;
const PSA_WARN = `${PSA}warn`;
const NO_ENFORCE_LABEL = `no ${PSA_ENFORCE} label`;
const ENFORCING_LEVELS = ['baseline', 'restricted'];
const NONE: readonly never[] = [];
/** The Gatekeeper library's pod security policies (K8sPSPPrivilegedContainer, K8sPSPHostNamespace, …). */
const isPodSecurityConstraint = (kind: string) => kind.startsWith('K8sPSP');
/** Kyverno's pod-security policy set (kyverno/policies pod-security/baseline and restricted). */
const KYVERNO_PSS_POLICIES = new Set([
  'disallow-privileged-containers',
  'disallow-host-namespaces',
  'disallow-host-path',
  'disallow-host-ports',
  'disallow-host-process',
  'disallow-capabilities',
  'disallow-capabilities-strict',
  'disallow-privilege-escalation',
  'disallow-proc-mount',
  'disallow-selinux',
  'restrict-apparmor-profiles',
  'restrict-seccomp',
  'restrict-seccomp-strict',
  'restrict-sysctls',
  'restrict-volume-types',
  'require-run-as-nonroot',
  'require-run-as-non-root-user',
  'podsecurity-subrule-baseline',
  'podsecurity-subrule-restricted',
]);

function isKyvernoPodSecurity(r: KyvernoRule): boolean {
  const level = asString(asRecord(ruleValidate(r.rule)['podSecurity'])?.['level']);
  if (level !== undefined) return ENFORCING_LEVELS.includes(level);
  const category = asString(r.policy.metadata?.annotations?.['policies.kyverno.io/category']) ?? '';
  const validates = Object.keys(ruleValidate(r.rule)).length > 0;
  return validates && (/pod security/i.test(category) || KYVERNO_PSS_POLICIES.has(asString(r.policy.metadata?.name) ?? ''));
}

export const admissionPodSecurity = defineControl(
  {
    id: 'admission.pod-security',
    title: 'Every namespace must enforce pod security at admission',
    severity: 'high',
    category: 'Pod security enforcement',
    scope: 'namespace',
    frameworks: {
      nsa: 'Pod security enforcement',
      kubescape: ['C-0192', 'C-0193', 'C-0194', 'C-0195', 'C-0196', 'C-0197', 'C-0068'],
      cis: ['4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5'],
    },
    match: [
      {
        ref: 'KS C-0192',
        match: 'stricter',
        note: 'C-0192 passes any enforce label (privileged too) and every namespace once any namespaced webhook exists',
      },
      {
        ref: 'KS C-0193–C-0196',
        match: 'weaker',
        note: 'they need enforce=baseline/restricted, hardline also accepts enforcing Gatekeeper K8sPSP* or Kyverno pod-security policies',
      },
      { ref: 'KS C-0197', match: 'weaker', note: 'needs enforce=restricted, hardline accepts baseline' },
      { ref: 'KS C-0068', match: 'related', note: 'PodSecurityPolicy, removed in Kubernetes 1.25' },
      { ref: 'CIS 4.2.1–4.2.4', match: 'weaker', note: '(as C-0193–C-0196)' },
      { ref: 'CIS 4.2.5', match: 'weaker', note: '(as C-0197)' },
    ],
    rationale:
      'Without admission enforcement nothing stops a privileged or host-namespace pod from being created; workload checks only find it afterwards. NSA/CISA: enforce pod security with Pod Security Admission or a policy engine.',
    remediation:
      'Label the namespace `pod-security.kubernetes.io/enforce: baseline` (or restricted), or enforce the Gatekeeper library K8sPSP* constraints (enforcementAction deny) or Kyverno pod-security policies (failure action Enforce) on it.',
  },
  {
    reads: [...KYVERNO_KINDS, GATEKEEPER_CONSTRAINT_SOURCE, 'ConstraintTemplate'],
    requires: ['Namespace'],
    check(ctx): Outcome[] {
      const constraints = gatekeeperConstraints(ctx).filter((c) => isPodSecurityConstraint(c.kind));
      const rules = kyvernoRules(ctx).filter(isKyvernoPodSecurity);
      const policyGaps = [...constraintGaps(ctx, isPodSecurityConstraint), ...KYVERNO_KINDS.filter((k) => ctx.index.gaps(k).length > 0)];
      return judgeNamespaces(ctx, (ns) => {
        const ref = ns.ref;
        const enforce = ns.labels[PSA_ENFORCE];
        if (enforce !== undefined && ENFORCING_LEVELS.includes(enforce)) {
          return ctx.outcome(
            'PASS',
            ref,
            `namespace ${ns.name} enforces the ${enforce} Pod Security Standard (Pod Security Admission)`,
            withSystemFlag(ns, { mechanism: 'pod-security-admission', level: enforce }),
          );
        }
        // Most clusters have neither Gatekeeper nor Kyverno: no list is filtered for them.
        const gk = constraints.length > 0 ? constraints.filter((c) => c.enforcing && c.match.covers(ns)) : NONE;
        if (gk.length > 0) {
          return ctx.outcome(
            'PASS',
            ref,
            `namespace ${ns.name} is covered by enforcing Gatekeeper constraints ${gk.map((c) => `${c.kind}/${c.name}`).join(', ')}`,
            withSystemFlag(ns, { mechanism: 'gatekeeper', constraints: gk.map((c) => `${c.kind}/${c.name}`) }),
          );
        }
        const ky = rules.length > 0 ? rules.filter((r) => r.covers(ns) && r.enforcedIn(ns)) : NONE;
        if (ky.length > 0) {
          return ctx.outcome(
            'PASS',
            ref,
            `namespace ${ns.name} is covered by enforcing Kyverno rules ${ky.map((r) => r.label).join(', ')}`,
            withSystemFlag(ns, { mechanism: 'kyverno', rules: ky.map((r) => r.label) }),
          );
        }
        const why: string[] = [];
        if (!ns.object) why.push('no Namespace object in the inventory, so no Pod Security Admission label');
        else if (enforce === undefined) why.push(NO_ENFORCE_LABEL);
        else why.push(`${PSA_ENFORCE} is '${enforce}'`);
        const audit = ns.labels[PSA_AUDIT];
        const warn = ns.labels[PSA_WARN];
        if (audit !== undefined || warn !== undefined) {
          const auditOnly = [...(audit !== undefined ? [`audit=${audit}`] : []), ...(warn !== undefined ? [`warn=${warn}`] : [])];
          why.push(`${auditOnly.join(', ')} only report violations`);
        }
        if (constraints.length > 0) {
          for (const c of constraints.filter((c) => c.match.covers(ns) && !c.enforcing))
            why.push(`${c.kind}/${c.name} has enforcementAction ${c.action}`);
          for (const c of constraints.filter((c) => c.enforcing && !c.match.covers(ns)))
            why.push(`${c.kind}/${c.name} does not cover it (${c.match.describe.join('; ') || 'kinds'})`);
        }
        if (rules.length > 0) {
          for (const r of rules.filter((r) => r.covers(ns) && !r.enforcedIn(ns))) why.push(`${r.label} is ${r.action}`);
          for (const r of rules.filter((r) => !r.covers(ns) && r.enforcedIn(ns))) why.push(`${r.label} does not match it`);
        }
        const evidence = withSystemFlag(ns, { reasons: why });
        if (policyGaps.length > 0) {
          return ctx.outcome(
            'UNKNOWN',
            ref,
            `namespace ${ns.name} has no enforcing Pod Security Admission label and ${policyGaps.join(', ')} could not be read: ${why.join('; ')}`,
            evidence,
          );
        }
        return ctx.outcome('FAIL', ref, `namespace ${ns.name} does not enforce pod security: ${why.join('; ')}`, evidence);
      });
    },
  },
);
