import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { profileType } from './security-context.js';
import { containerField, judgeWorkloads } from './walk.js';

const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Most pods carry no AppArmor annotation: their few annotation keys are looked at, no key is built. */
function hasAppArmorAnnotation(annotations: Record<string, unknown> | undefined): boolean {
  for (const key in annotations) if (key.startsWith(ANNOTATION_PREFIX)) return true;
  return false;
}

function annotationAllowed(value: string): boolean {
  return value === 'runtime/default' || value.startsWith('localhost/');
}

export const apparmor = defineControl(
  {
    id: 'workload.apparmor',
    title: 'Pods must not override AppArmor to unconfined',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security: hardening container environments',
      kubescape: ['C-0055'],
      pss: { level: 'baseline', check: 'AppArmor', id: 'appArmorProfile' },
    },
    match: [
      { ref: 'KS C-0055', match: 'related', note: 'AppArmor is in its description, not its rule (which checks only seccompProfile)' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale: 'The runtime’s default AppArmor profile confines file and mount access; Unconfined removes it.',
    remediation:
      'Remove appArmorProfile.type: Unconfined and container.apparmor.security.beta.kubernetes.io annotations other than runtime/default or localhost/<profile>.',
  },
  judgeWorkloads({
    pod: (w) => {
      const type = profileType(w.podSecurityContext, 'appArmorProfile');
      if (type !== undefined && !ALLOWED_TYPES.has(type)) {
        return {
          message: `pod sets appArmorProfile.type=${type || '(empty)'}`,
          evidence: { field: 'spec.securityContext.appArmorProfile.type' },
        };
      }
      // PSS checks every annotation with the prefix, also those naming no container of the pod.
      const annotations = w.podMeta.annotations;
      if (!hasAppArmorAnnotation(annotations)) return undefined;
      const names = new Set(w.containers.map((c) => c.name));
      for (const [key, value] of Object.entries(annotations ?? {})) {
        if (!key.startsWith(ANNOTATION_PREFIX) || names.has(key.slice(ANNOTATION_PREFIX.length))) continue;
        const v = asString(value) ?? '';
        if (!annotationAllowed(v)) {
          return {
            message: `pod has AppArmor annotation ${key}=${v || '(empty)'}`,
            evidence: { field: `metadata.annotations[${key}]`, value: v },
          };
        }
      }
      return undefined;
    },
    container: (c, w) => {
      const type = profileType(c.securityContext, 'appArmorProfile');
      if (type !== undefined && !ALLOWED_TYPES.has(type)) {
        return {
          message: `${c.type} '${c.name}' sets appArmorProfile.type=${type || '(empty)'}`,
          evidence: { field: containerField(c, 'securityContext.appArmorProfile.type') },
        };
      }
      // The beta annotations sit on the pod (template) metadata, keyed by container name.
      const annotations = w.podMeta.annotations;
      if (!hasAppArmorAnnotation(annotations)) return undefined;
      const annotation = asString(annotations?.[ANNOTATION_PREFIX + c.name]);
      if (annotation !== undefined && !annotationAllowed(annotation)) {
        return {
          message: `${c.type} '${c.name}' has AppArmor annotation ${annotation || '(empty)'}`,
          evidence: { field: `metadata.annotations[${ANNOTATION_PREFIX}${c.name}]`, value: annotation },
        };
      }
      return undefined;
    },
    passMessage: 'AppArmor not overridden',
  }),
);
