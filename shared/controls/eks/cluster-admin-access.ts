import { asRecord, asRecords, asString, isFalse, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import type { CheckContext, Outcome } from '../types.js';
import { parseAwsAuth } from './aws-auth.js';
import { judgeEksCluster, eksRef } from './cluster.js';

const CLUSTER_ADMIN_POLICY = /:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;
const AWS_AUTH_REF = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'aws-auth' };

export const clusterAdminAccess = defineControl(
  {
    id: 'eks.cluster-admin-access',
    title: 'IAM principals must not get cluster-admin through aws-auth, access entries or the creator bootstrap',
    severity: 'high',
    category: 'Identity and access',
    scope: 'eks',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0246', 'C-0285'], cis: ['4.1.7'] },
    rationale:
      'system:masters bypasses RBAC entirely and cannot be revoked by any Role; AmazonEKSClusterAdminPolicy is its access-entry ' +
      'equivalent; bootstrapClusterCreatorAdminPermissions gives the creating principal cluster-admin (invisibly and permanently in ' +
      'CONFIG_MAP mode). Each is a standing break-glass credential: grant least-privilege policies or RBAC groups instead.',
    remediation:
      'Replace system:masters mappings with RBAC groups bound to narrower roles; disassociate AmazonEKSClusterAdminPolicy from access ' +
      'entries that do not need it; create clusters with bootstrapClusterCreatorAdminPermissions=false.',
  },
  judgeEksCluster({ reads: ['eks:access-entries', 'ConfigMap'] }, function* ({ ctx, cluster, ref }) {
    const access = asRecord(cluster['accessConfig']);
    const mode = asString(access?.['authenticationMode']);
    const bootstrap = access?.['bootstrapClusterCreatorAdminPermissions'];
    if (isTrue(bootstrap)) {
      yield ctx.outcome(
        'FAIL',
        ref,
        mode === 'CONFIG_MAP'
          ? 'the cluster creator has permanent, invisible cluster-admin (bootstrapClusterCreatorAdminPermissions in CONFIG_MAP mode)'
          : 'the cluster was created with bootstrapClusterCreatorAdminPermissions: its creator received cluster-admin',
        { bootstrapClusterCreatorAdminPermissions: true, authenticationMode: mode },
      );
    } else if (isFalse(bootstrap)) {
      yield ctx.outcome('PASS', ref, 'no cluster-admin for the cluster creator', { authenticationMode: mode });
    } else {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no accessConfig.bootstrapClusterCreatorAdminPermissions');
    }
    if (mode !== 'CONFIG_MAP') yield* accessEntryOutcomes(ctx);
    // In API mode EKS ignores aws-auth; in the other two modes it is authoritative.
    if (mode !== 'API') yield* awsAuthOutcomes(ctx);
  }),
);

function* accessEntryOutcomes(ctx: CheckContext): Iterable<Outcome> {
  const entries = ctx.inventory.eks?.accessEntries;
  if (!Array.isArray(entries)) {
    if (ctx.index.gaps('eks:access-entries').length === 0) {
      yield ctx.outcome('UNKNOWN', eksRef('AccessEntry', '*'), 'access entries were not collected');
    }
    return;
  }
  for (const entry of asRecords(entries)) {
    const principal = asString(entry['principalArn']);
    if (!principal) continue;
    const ref = eksRef('AccessEntry', principal);
    const policies = entry['associatedAccessPolicies'];
    if (!Array.isArray(policies)) {
      yield ctx.outcome('UNKNOWN', ref, `the access policies of ${principal} could not be read`);
      continue;
    }
    const admin = asRecords(policies).filter((p) => CLUSTER_ADMIN_POLICY.test(asString(p['policyArn']) ?? ''));
    if (admin.length === 0) {
      yield ctx.outcome('PASS', ref, 'no AmazonEKSClusterAdminPolicy association');
      continue;
    }
    const scopes = admin.map((p) => {
      const scope = asRecord(p['accessScope']);
      const type = asString(scope?.['type']) ?? 'cluster';
      const namespaces = Array.isArray(scope?.['namespaces'])
        ? (scope['namespaces'] as unknown[]).filter((n) => typeof n === 'string')
        : [];
      return type === 'namespace' && namespaces.length > 0 ? `namespace:${namespaces.join('|')}` : type;
    });
    yield ctx.outcome('FAIL', ref, `${principal} is associated with AmazonEKSClusterAdminPolicy (scope ${scopes.join(', ')})`, {
      principalArn: principal,
      policy: 'AmazonEKSClusterAdminPolicy',
      scopes,
    });
  }
}

function* awsAuthOutcomes(ctx: CheckContext): Iterable<Outcome> {
  const cm = ctx.index.find('ConfigMap', 'kube-system', 'aws-auth');
  if (!cm) {
    if (ctx.index.gaps('ConfigMap').length > 0 || ctx.index.gaps('kubernetes').length > 0) return; // the engine reports those gaps
    // A live read always returns some ConfigMaps (kube-root-ca.crt in every namespace): none at all means none were read.
    if (ctx.index.byKind('ConfigMap').length === 0) {
      yield ctx.outcome('UNKNOWN', AWS_AUTH_REF, 'the aws-auth ConfigMap was not collected (the Kubernetes API was not read)');
    } else {
      yield ctx.outcome('PASS', AWS_AUTH_REF, 'no aws-auth ConfigMap: no IAM principal is mapped through it');
    }
    return;
  }
  const parsed = parseAwsAuth(cm);
  if (!parsed.ok) {
    yield ctx.outcome('UNKNOWN', AWS_AUTH_REF, `aws-auth cannot be read: ${parsed.error}`);
    return;
  }
  const masters = parsed.mappings.filter((m) => m.groups.includes('system:masters'));
  if (masters.length === 0) {
    yield ctx.outcome('PASS', AWS_AUTH_REF, `aws-auth maps ${parsed.mappings.length} principal(s), none to system:masters`);
    return;
  }
  yield ctx.outcome('FAIL', AWS_AUTH_REF, `aws-auth maps ${masters.map((m) => m.arn).join(', ')} to system:masters`, {
    systemMasters: masters.map((m) => m.arn),
    field: masters.some((m) => m.kind === 'user') ? 'data.mapRoles/mapUsers' : 'data.mapRoles',
  });
}
