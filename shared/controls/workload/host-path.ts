import { asString, getPath, type JsonRecord, recordsWhere } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeWorkloads } from './walk.js';

const mountsHostPath = (v: JsonRecord) => v['hostPath'] !== undefined && v['hostPath'] !== null;

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
    match: [
      { ref: 'KS C-0048', match: 'same' },
      { ref: 'KS C-0045', match: 'stricter', note: 'C-0045 fails only hostPath mounts not marked readOnly' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale: 'A hostPath volume gives the pod the node filesystem: container runtime sockets, kubelet credentials, other pods’ data.',
    remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  },
  judgeWorkloads({
    pod: (w) => {
      const mounts = recordsWhere(w.podSpec['volumes'], mountsHostPath);
      if (!mounts) return undefined;
      const paths = mounts.map((v) => asString(getPath(v, 'hostPath', 'path')) ?? '?');
      return {
        message: `pod mounts host path${paths.length > 1 ? 's' : ''} ${paths.join(', ')}`,
        evidence: { field: 'spec.volumes[].hostPath', volumes: mounts.map((v) => asString(v['name']) ?? '?'), paths },
      };
    },
    passMessage: 'no hostPath volumes',
  }),
);
