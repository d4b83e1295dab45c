import type { ResourceRef } from '../../core/types.js';
import { asRecord, asRecords, asString, asStrings, type JsonRecord } from '../../inventory/read.js';
import { roleGrants, type PolicyInput } from '../../policy/iam/actions.js';
import { defineControl } from '../define.js';
import { clusterRef, judgeEksCluster } from './cluster.js';

/**
 * ECR actions that change registry content or its protections. Pulling (BatchGetImage,
 * GetDownloadUrlForLayer, GetAuthorizationToken, BatchCheckLayerAvailability), describing, listing
 * and BatchImportUpstreamImage (a pull through cache filling itself from its upstream, granted by
 * AmazonEC2ContainerRegistryPullOnly) are reads.
 */
export const ECR_WRITE_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
  'ecr:CreateRepository',
  'ecr:DeleteRepository',
  'ecr:SetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutRegistryPolicy',
  'ecr:DeleteRegistryPolicy',
  'ecr:PutLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy',
  'ecr:PutImageTagMutability',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutRegistryScanningConfiguration',
  'ecr:PutReplicationConfiguration',
  'ecr:ReplicateImage',
  'ecr:CreatePullThroughCacheRule',
  'ecr:UpdatePullThroughCacheRule',
  'ecr:DeletePullThroughCacheRule',
  'ecr:CreateRepositoryCreationTemplate',
  'ecr:UpdateRepositoryCreationTemplate',
  'ecr:DeleteRepositoryCreationTemplate',
  'ecr:PutAccountSetting',
  'ecr:TagResource',
  'ecr:UntagResource',
] as const;

function roleRef(name: string): ResourceRef {
  return { apiVersion: 'iam.amazonaws.com/v1', kind: 'Role', name };
}

const policyInput = (p: JsonRecord): PolicyInput => ({
  name: asString(p['name']) ?? asString(p['arn']) ?? '(unnamed)',
  document: p['document'],
});

export const nodeRoleEcrReadonly = defineControl(
  {
    id: 'eks.node-role-ecr-readonly',
    title: 'Node roles must have read-only access to ECR',
    severity: 'high',
    category: 'Nodes',
    scope: 'eks',
    frameworks: {
      nsa: 'Protecting sensitive cloud infrastructure',
      kubescape: ['C-0223'],
      cis: ['5.1.3'],
    },
    match: [
      {
        ref: 'KS C-0223',
        match: 'related',
        note: 'it judges only roles whose name contains "NodeInstance" and fails any statement other than exactly the four ECR read actions on "*"',
      },
      { ref: 'CIS 5.1.3', match: 'related', note: '(as C-0223; same as the recommendation text)' },
    ],
    rationale:
      "Every pod that reaches the instance metadata service holds the node role's credentials. If that role can push, delete or " +
      "re-policy ECR images, one compromised pod can replace the images the whole organisation deploys. Each managed nodegroup's " +
      'role is judged on its attached managed policies (default version), inline policies and permissions boundary: an Allow of an ' +
      'ECR write action on some ECR resource fails it (also `ecr:*`, `ecr:Put*`, `*`, NotAction), unless an unconditional Deny on ' +
      'every ECR resource or the boundary takes it away. AmazonEC2ContainerRegistryReadOnly and …PullOnly pass; PowerUser and ' +
      'FullAccess fail. Repository policies naming the role are not read.',
    remediation:
      'Attach AmazonEC2ContainerRegistryPullOnly (or …ReadOnly) to the node role and detach policies granting ECR writes; give ' +
      'image pushing to CI roles, and pods that need AWS access IRSA or EKS Pod Identity roles of their own.',
  },
  judgeEksCluster({ reads: ['eks:nodegroups', 'iam:node-roles'] }, function* ({ ctx }) {
    const list = ctx.inventory.eks?.nodegroups;
    if (!Array.isArray(list)) {
      if (ctx.index.gaps('eks:nodegroups').length === 0) yield ctx.outcome('UNKNOWN', clusterRef(ctx), 'nodegroups were not collected');
      return;
    }
    const roleArns = [...new Set(asRecords(list).flatMap((ng) => asString(ng['nodeRole']) ?? []))].sort();
    if (roleArns.length === 0) {
      yield ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'the cluster has no managed nodegroups');
      return;
    }
    const collected = ctx.inventory.eks?.nodeRoles;
    const roles = new Map(asRecords(collected).map((r) => [asString(r['roleArn']) ?? '', r]));
    for (const arn of roleArns) {
      const role = roles.get(arn);
      const name = asString(role?.['roleName']) ?? arn.split('/').pop() ?? arn;
      const ref = roleRef(name);
      if (!role) {
        if (ctx.index.gaps('iam:node-roles').length === 0)
          yield ctx.outcome('UNKNOWN', ref, `the policies of node role ${name} were not collected`);
        continue;
      }
      const unread = asStrings(role['unread']);
      const boundary = asRecord(role['permissionsBoundary']);
      const { grants, unparsable, boundaryUnreadable } = roleGrants(
        { policies: asRecords(role['policies']).map(policyInput), ...(boundary ? { boundary: policyInput(boundary) } : {}) },
        'ecr',
        ECR_WRITE_ACTIONS,
      );
      const boundaryUnknown = boundaryUnreadable || unread.some((u) => u === 'GetRole' || u.startsWith('permissions boundary'));
      const evidence = {
        roleArn: arn,
        policies: asRecords(role['policies']).map((p) => policyInput(p).name),
        ...(boundary ? { permissionsBoundary: policyInput(boundary).name } : {}),
        writeActions: [...new Set(grants.map((g) => g.action))],
        grantedBy: [...new Set(grants.map((g) => `${g.policy}${g.sid ? `#${g.sid}` : ''}${g.conditional ? ' (conditional)' : ''}`))],
        ...(unread.length > 0 || unparsable.length > 0 ? { unread: [...unread, ...unparsable] } : {}),
      };
      if (grants.length > 0 && !boundaryUnknown) {
        const actions = evidence.writeActions.map((a) => a.replace(/^ecr:/, ''));
        const shown = actions.length > 6 ? `${actions.slice(0, 6).join(', ')} and ${actions.length - 6} more` : actions.join(', ');
        yield ctx.outcome('FAIL', ref, `node role ${name} can write to ECR (${shown}) through ${evidence.grantedBy.join(', ')}`, evidence);
        continue;
      }
      if (unread.length > 0 || unparsable.length > 0) {
        yield ctx.outcome('UNKNOWN', ref, `node role ${name}: ${[...unread, ...unparsable].join(', ')} could not be read`, evidence);
        continue;
      }
      yield ctx.outcome('PASS', ref, `node role ${name} grants no ECR write action`, evidence);
    }
  }),
);
