import { isFalse, isTrue } from '../../inventory/read.js';
import { serviceAccountOf } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { KeptVerdicts } from './verdicts.js';
import { judgeWorkloads } from './walk.js';

/** Kept by cause and service account name: every pod of a namespace mounting the default token says the same. */
const verdicts = new KeptVerdicts<'pod-true' | 'inherited' | 'no-service-account'>({
  pod: (cause, saName) => ({
    message:
      cause === 'pod-true'
        ? `pod sets automountServiceAccountToken=true (service account ${saName})`
        : `pod mounts the token of service account ${saName} (automountServiceAccountToken not false on the pod${cause === 'inherited' ? ' or the ServiceAccount' : ''})`,
    evidence: { field: 'spec.automountServiceAccountToken', serviceAccount: saName },
  }),
});

export const automountServiceAccountToken = defineControl(
  {
    id: 'workload.automount-service-account-token',
    title: 'Pods should not mount a service account token they do not need',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: protecting pod service account tokens', kubescape: ['C-0034', 'C-0190'], cis: ['4.1.6'] },
    match: [
      { ref: 'KS C-0034', match: 'same' },
      { ref: 'KS C-0190', match: 'same', note: '(C-0034 and C-0190 share one rule)' },
      { ref: 'CIS 4.1.6', match: 'same', note: '(as C-0190)' },
    ],
    rationale:
      'Every mounted token is an API credential an attacker inside the container can use. Most applications never talk to the API server.',
    remediation:
      'Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless the application calls the Kubernetes API.',
  },
  judgeWorkloads({
    pod: (w, ctx) => {
      const podSetting = w.podSpec['automountServiceAccountToken'];
      if (isFalse(podSetting)) return undefined;
      const saName = serviceAccountOf(w);
      if (isTrue(podSetting)) return verdicts.pod(ctx, 'pod-true', saName);
      // The pod inherits its ServiceAccount's setting when it does not set one itself.
      const sa = ctx.index.find('ServiceAccount', w.namespace, saName);
      if (sa && isFalse(sa['automountServiceAccountToken'])) return undefined;
      return verdicts.pod(ctx, sa ? 'inherited' : 'no-service-account', saName);
    },
    passMessage: 'service account token not mounted',
  }),
);
