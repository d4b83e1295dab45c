import { defineControl } from '../define.js';
import { judgeWorkloads } from './walk.js';

export const nakedPod = defineControl(
  {
    id: 'workload.naked-pod',
    title: 'Pods should be managed by a controller',
    severity: 'low',
    category: 'Workloads',
    scope: 'workload',
    frameworks: { kubescape: ['C-0073'] },
    rationale: 'A bare Pod is not rescheduled when its node fails and is often a sign of manual, untracked changes.',
    remediation: 'Run the pod through a Deployment, StatefulSet, DaemonSet or Job.',
  },
  judgeWorkloads({
    pod: (w) => {
      if (w.kind !== 'Pod') return undefined;
      const owners = w.object.metadata?.ownerReferences;
      const managed = Array.isArray(owners) && owners.some((o) => o && o.controller === true);
      return managed ? undefined : { message: 'pod is not managed by a controller', evidence: { field: 'metadata.ownerReferences' } };
    },
    passMessage: 'managed by a controller',
  }),
);
