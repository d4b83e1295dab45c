import { objectRef } from '../../inventory/objects.js';
import { asRecord, isFalse, isTrue } from '../../inventory/read.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { describeBinding, RBAC_KINDS, rbacModel, type BindingInfo, type Subject } from '../../policy/rbac/model.js';
import { workloadAccounts } from '../../policy/rbac/service-accounts.js';
import { serviceAccountsCovered } from '../../policy/rbac/subjects.js';
import { defineControl } from '../define.js';
import { named, NamedMessages, workloadName } from '../messages.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

const ALL = '*';
const DEFAULT_WITHOUT_TOKEN = named(workloadName, ' runs as the default service account without its token mounted');
const DEFAULT_WITHOUT_PERMISSIONS = named(workloadName, ' runs as the default service account, which has no permissions bound');

/** Namespaces whose `default` service account a subject covers (`*` = every namespace). */
function defaultAccountNamespaces(s: Subject): string | undefined {
  if (s.builtIn) return undefined;
  const covered = serviceAccountsCovered(s);
  return covered && (covered.name === '*' || covered.name === 'default') ? covered.namespace : undefined;
}

export const rbacDefaultServiceAccount = defineControl(
  {
    id: 'rbac.default-service-account',
    title: 'The default service account must not have permissions bound',
    severity: 'medium',
    category: 'Authentication and authorization',
    scope: 'namespace',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0189'], cis: ['4.1.5'] },
    match: [
      {
        ref: 'KS C-0189',
        match: 'related',
        note: 'it fails a default ServiceAccount without automountServiceAccountToken: false, or a namespace with no other ServiceAccount; hardline fails permissions bound to `default` and pods that run as it with a mounted token',
      },
      { ref: 'CIS 4.1.5', match: 'related', note: '(as C-0189)' },
    ],
    rationale:
      'Every pod that names no service account runs as `default`. Permissions bound to it are silently given to all such pods. CIS 4.1.5: do not actively use default service accounts.',
    remediation:
      'Create a dedicated ServiceAccount per workload, bind permissions to it, and set serviceAccountName; remove bindings to `default` (and to system:serviceaccounts groups).',
  },
  {
    reads: [...RBAC_KINDS, 'ServiceAccount', ...POD_BEARING_KINDS],
    requires: ['ClusterRoleBinding', 'RoleBinding'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const model = rbacModel(ctx);
      const grants = new Map<string, BindingInfo[]>();
      for (const b of model.bindings) {
        // A binding to a role known to be empty grants nothing.
        if (b.role && b.role.rules.length === 0) continue;
        const hits = b.subjects
          .map((s) => ({ s, ns: defaultAccountNamespaces(s) }))
          .filter((h): h is { s: Subject; ns: string } => h.ns !== undefined);
        const namespaces = new Set(hits.map((h) => h.ns));
        if (namespaces.size === 0) continue;
        for (const ns of namespaces) grants.set(ns, [...(grants.get(ns) ?? []), b]);
        const who = hits.map(({ s, ns }) =>
          s.kind !== 'Group' ? s.text : `${s.text} (every service account${ns === ALL ? '' : ` of ${ns}`}, default included)`,
        );
        out.push(
          ctx.outcome(
            'FAIL',
            objectRef(b.object),
            `${describeBinding(b)} grants ${b.roleRef.kind} ${b.roleRef.name} to ${who.join(', ')}: every pod without a serviceAccountName receives it`,
            {
              roleRef: `${b.roleRef.kind}/${b.roleRef.name}`,
              defaultAccountsOf: [...namespaces],
            },
          ),
        );
      }
      const workloads = ctx.index.workloads();
      if (workloads.length === 0 && grants.size === 0) {
        out.push(
          ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no workload and no binding to a default service account in the inventory'),
        );
        return out;
      }
      const { accounts } = workloadAccounts(ctx.index);
      // The message after the workload's name, per named account: most workloads of a cluster run as a few.
      const runsAs = new NamedMessages(workloadName, (sa) => ` runs as ServiceAccount ${sa}`);
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        const ref = w.ref;
        if (w.unreadable) {
          out.push(ctx.outcome('UNKNOWN', ref, `${workloadName(ref)}: ${w.unreadable}, so its service account is unknown`));
          continue;
        }
        const sa = accounts[i]!;
        if (sa !== 'default') {
          out.push(ctx.outcome('PASS', ref, runsAs.of(sa)));
          continue;
        }
        const account = asRecord(ctx.index.find('ServiceAccount', w.namespace, 'default'));
        const podSetting = w.podSpec['automountServiceAccountToken'];
        if (isFalse(podSetting) || (!isTrue(podSetting) && isFalse(account?.['automountServiceAccountToken']))) {
          out.push(ctx.outcome('PASS', ref, DEFAULT_WITHOUT_TOKEN));
          continue;
        }
        const bindings = [...(grants.get(w.namespace) ?? []), ...(grants.get(ALL) ?? [])];
        if (bindings.length === 0) {
          out.push(ctx.outcome('PASS', ref, DEFAULT_WITHOUT_PERMISSIONS));
          continue;
        }
        out.push(
          ctx.outcome(
            'FAIL',
            ref,
            `${workloadName(ref)} runs as the default service account with permissions bound by ${bindings.map(describeBinding).join(', ')}`,
            {
              serviceAccount: `${w.namespace}/default`,
              boundBy: bindings.map(describeBinding),
              roles: bindings.map((b) => `${b.roleRef.kind}/${b.roleRef.name}`),
            },
          ),
        );
      }
      return out;
    },
  },
);
