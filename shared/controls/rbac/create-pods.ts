import { grantsCreatePods } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacCreatePods = defineControl(
  {
    id: 'rbac.create-pods',
    title: 'Roles should not grant create on pods or pod-creating workloads',
    severity: 'medium',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0188'],
      cis: ['4.1.4'],
      match:
        'KS C-0188 stricter: C-0188 counts only create on pods; hardline also Deployments, DaemonSets, StatefulSets, Jobs, CronJobs, ReplicaSets, ReplicationControllers; CIS 4.1.4 stricter (as C-0188)',
    },
    rationale:
      'Whoever creates a pod — directly or through a Deployment, DaemonSet, StatefulSet, Job, CronJob, ReplicaSet or ReplicationController — chooses its image, its service account (and so that account’s token and permissions) and, where admission allows, host access. CIS 4.1.4: minimize access to create pods.',
    remediation:
      'Remove create on pods and on deployments, daemonsets, statefulsets, replicasets (apps), jobs, cronjobs (batch) and replicationcontrollers from the role, or grant it only to the CI/CD identity that deploys the namespace; give people view instead of edit/admin where they do not deploy.',
  },
  judgeRolePermission({
    grants: grantsCreatePods,
    permission: 'create on pods or pod-creating workloads',
    judgeBuiltInRoleBindings: true,
  }),
);
