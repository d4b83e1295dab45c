import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { describeBinding, RBAC_KINDS, rbacModel, type BindingInfo } from '../../policy/rbac/model.js';
import { takeoverGrants } from '../../policy/rbac/permissions.js';
import { serviceAccountBindings, workloadAccounts, type ServiceAccountGrant } from '../../policy/rbac/service-accounts.js';
import { defineControl } from '../define.js';
import { named, workloadName } from '../messages.js';
import type { Evidence, ResourceMessage } from '../../core/types.js';
import type { CheckContext, Outcome } from '../types.js';

interface Judged {
  /** `read Secrets, create pods or workloads (RoleBinding shop/x → ClusterRole edit, in namespace shop)` */
  takeover: string[];
  bindings: BindingInfo[];
  /** Bindings whose role could not be read. */
  unknown: BindingInfo[];
}

/** A missing role grants nothing — unless the kind it would be listed under could not be read. */
function roleUnreadable(ctx: CheckContext, b: BindingInfo): boolean {
  if (b.roleRef.kind === 'ClusterRole') return ctx.index.gaps('ClusterRole').length > 0;
  return b.roleRef.kind === 'Role' && ctx.index.gaps('Role').some((g) => g.namespace === undefined || g.namespace === b.namespace);
}

function judgeGrants(ctx: CheckContext, grants: readonly ServiceAccountGrant[]): Judged {
  const judged: Judged = { takeover: [], bindings: [], unknown: [] };
  for (const b of new Set(grants.map((g) => g.binding))) {
    const via = grants.filter((g) => g.binding === b && g.subject.kind === 'Group').map((g) => `, via ${g.subject.text}`)[0] ?? '';
    const where = `${describeBinding(b)} → ${b.roleRef.kind} ${b.roleRef.name}, ${b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'cluster-wide'}${via}`;
    // cluster-admin by name: its rules need not be readable to know what it grants.
    const isClusterAdmin = b.roleRef.kind === 'ClusterRole' && b.roleRef.name === 'cluster-admin';
    const permissions = isClusterAdmin ? ['cluster-admin'] : b.role ? takeoverGrants(b.role).map((g) => g.permission) : [];
    if (permissions.length > 0) {
      judged.takeover.push(`${permissions.join(', ')} (${where})`);
      judged.bindings.push(b);
    } else if (!b.role && !isClusterAdmin && roleUnreadable(ctx, b)) judged.unknown.push(b);
  }
  return judged;
}

/**
 * The verdict every workload of one account shares: the message (the workload's name, then what it
 * runs as) and the evidence. No message when the account itself is unknown: each such workload
 * says why its pod spec could not be read.
 */
interface AccountVerdict {
  status: 'FAIL' | 'UNKNOWN' | 'PASS';
  message?: ResourceMessage;
  evidence?: Evidence;
}

/** An account that holds no takeover permission; its text written when read. */
function holdsNoTakeover(namespace: string, sa: string): AccountVerdict {
  return {
    status: 'PASS',
    message: (ref) => `${workloadName(ref)} runs as ServiceAccount ${namespace}/${sa}, which holds no cluster-takeover permission`,
  };
}

/** Judges one account (`sa` undefined: every account of the namespace, for a workload whose pod spec is unreadable). */
function accountVerdict(
  ctx: CheckContext,
  namespace: string,
  sa: string | undefined,
  grants: readonly ServiceAccountGrant[],
): AccountVerdict {
  // Most accounts of a large cluster have no binding at all: nothing to judge.
  if (grants.length === 0 && sa) return holdsNoTakeover(namespace, sa);
  const judged = judgeGrants(ctx, grants);
  const account = sa ? `ServiceAccount ${namespace}/${sa}` : `every service account of namespace ${namespace}`;
  if (judged.takeover.length > 0) {
    return {
      status: 'FAIL',
      message: named(workloadName, ` runs as ${account}, which can take over: ${judged.takeover.join('; ')}`),
      evidence: {
        serviceAccount: sa ? `${namespace}/${sa}` : `${namespace}/*`,
        grants: judged.takeover,
        boundBy: judged.bindings.map(describeBinding),
      },
    };
  }
  // Without the account's name only a takeover grant to every account decides; the message names the unread pod spec.
  if (!sa) return { status: 'UNKNOWN' };
  if (judged.unknown.length > 0) {
    return {
      status: 'UNKNOWN',
      message: named(
        workloadName,
        ` runs as ${account}, bound by ${judged.unknown.map(describeBinding).join(', ')} to roles that could not be read`,
      ),
    };
  }
  return holdsNoTakeover(namespace, sa);
}

export const privilegedServiceAccount = defineControl(
  {
    id: 'workload.privileged-service-account',
    title: 'Workloads must not run as a service account that can take over the cluster',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'workload',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0267', 'C-0272', 'C-0053'],
    },
    match: [
      {
        ref: 'KS C-0267',
        match: 'related',
        note: 'it counts create/update/patch on pods and read on secrets, only for workloads that mount the token',
      },
      { ref: 'KS C-0272', match: 'stricter', note: 'it counts only `*`/`*` roles (also only with a mounted token)' },
      { ref: 'KS C-0053', match: 'weaker', note: 'it lists every ServiceAccount with any binding' },
    ],
    rationale:
      'Whoever compromises the pod holds its service account: with cluster-admin, `*` on `*`, read on Secrets, escalate/bind/impersonate, create on pods or workloads, or nodes/proxy, one vulnerable container becomes the cluster (or its namespace). Judged through every binding that names the account — also as `system:serviceaccount:<ns>:<name>` and through the groups system:serviceaccounts[:<ns>] and system:authenticated — whether or not the token is mounted today: a mount is one edit of the pod template away.',
    remediation:
      'Give the workload its own ServiceAccount bound to a Role with only the verbs and resources it uses (resourceNames where possible); move controller-grade permissions to a dedicated operator whose pods run nothing else; set automountServiceAccountToken: false where it never calls the API.',
  },
  {
    reads: [...RBAC_KINDS, ...POD_BEARING_KINDS],
    requires: ['ClusterRoleBinding', 'RoleBinding'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const accounts = serviceAccountBindings(rbacModel(ctx));
      // namespace → account ('' for every account of it) → verdict: workloads of one account share its grants.
      const verdicts = new Map<string, Map<string, AccountVerdict>>();
      const workloads = ctx.index.workloads();
      const { accounts: accountOf } = workloadAccounts(ctx.index);
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        // Without a pod spec the account is unknown, but bindings to every account of the namespace still apply.
        const sa = w.unreadParts?.podSpec ? undefined : accountOf[i];
        let inNamespace = verdicts.get(w.namespace);
        if (!inNamespace) verdicts.set(w.namespace, (inNamespace = new Map()));
        let verdict = inNamespace.get(sa ?? '');
        if (!verdict) {
          verdict = accountVerdict(ctx, w.namespace, sa, sa ? accounts.of(w.namespace, sa) : accounts.ofEveryAccountIn(w.namespace));
          inNamespace.set(sa ?? '', verdict);
        }
        if (verdict.message) out.push(ctx.outcome(verdict.status, w.ref, verdict.message, verdict.evidence));
        else
          out.push(
            ctx.outcome('UNKNOWN', w.ref, `${workloadName(w.ref)}: ${w.unreadable ?? 'no pod spec'}, so its service account is unknown`),
          );
      }
      return out;
    },
  },
);
