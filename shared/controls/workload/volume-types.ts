import { asString, type JsonRecord, recordsWhere } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeWorkloads } from './walk.js';

/**
 * PSS restricted volume sources. A volume with no source at all is defaulted to emptyDir by the API
 * server. `image` (read-only OCI artifact volumes, Kubernetes 1.33+) carries no host access.
 */
const ALLOWED_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'image',
]);

/** Whether `key` of a volume is a source outside the allowed ones. */
function isDisallowedSource(v: JsonRecord, key: string): boolean {
  return key !== 'name' && v[key] !== undefined && v[key] !== null && !ALLOWED_SOURCES.has(key);
}

/** Whether a volume names any source outside the allowed ones, read without building anything (most do not). */
function usesDisallowedSource(v: JsonRecord): boolean {
  for (const k in v) if (isDisallowedSource(v, k)) return true;
  return false;
}

export const volumeTypes = defineControl(
  {
    id: 'workload.volume-types',
    title: 'Pods may use only the restricted volume types',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', pss: { level: 'restricted', check: 'Volume Types', id: 'restrictedVolumes' } },
    match: [{ ref: 'PSS', match: 'same' }],
    rationale:
      'Network and node-backed volume types (nfs, iscsi, hostPath, flexVolume, …) let a pod reach storage outside what its PersistentVolumeClaims grant.',
    remediation: `Use only ${[...ALLOWED_SOURCES].join(', ')} volumes; reach other storage through a PersistentVolumeClaim.`,
  },
  judgeWorkloads({
    pod: (w) => {
      const offending = recordsWhere(w.podSpec['volumes'], usesDisallowedSource);
      if (!offending) return undefined;
      const bad = offending.map((v) => asString(v['name']) ?? '?');
      const types = new Set<string>();
      for (const v of offending) for (const k in v) if (isDisallowedSource(v, k)) types.add(k);
      return {
        message: `pod uses restricted volume type${types.size > 1 ? 's' : ''} ${[...types].join(', ')} (volume${bad.length > 1 ? 's' : ''} ${bad.join(', ')})`,
        evidence: { field: 'spec.volumes', volumes: bad, types: [...types] },
      };
    },
    passMessage: 'only restricted volume types',
  }),
);
