import { asRecords, asString, getPath } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeWorkloads } from './walk.js';

export const hostPath = defineControl(
  {
    id: 'workload.host-path',
    title: 'Pods must not mount hostPath volumes',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0048', 'C-0045'],
      pss: { level: 'baseline', check: 'HostPath Volumes', id: 'hostPathVolumes' },
    },
    rationale: 'A hostPath volume gives the pod the node filesystem: container runtime sockets, kubelet credentials, other pods’ data.',
    remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  },
  judgeWorkloads({
    pod: (w) => {
      const mounts = asRecords(w.podSpec['volumes']).filter((v) => v['hostPath'] !== undefined && v['hostPath'] !== null);
      if (mounts.length === 0) return undefined;
      const paths = mounts.map((v) => asString(getPath(v, 'hostPath', 'path')) ?? '?');
      return {
        message: `pod mounts host path${paths.length > 1 ? 's' : ''} ${paths.join(', ')}`,
        evidence: { field: 'spec.volumes[].hostPath', volumes: mounts.map((v) => asString(v['name']) ?? '?'), paths },
      };
    },
    passMessage: 'no hostPath volumes',
  }),
);
