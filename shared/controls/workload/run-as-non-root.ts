import { isFalse, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const verdicts = new KeptVerdicts<'false' | 'unset'>({
  container: (c, cause) => ({
    message:
      cause === 'false'
        ? `${c.type} '${c.name}' sets runAsNonRoot=false`
        : `${c.type} '${c.name}' may run as root: runAsNonRoot is not set to true on the container or the pod`,
    evidence: { field: containerField(c, 'securityContext.runAsNonRoot') },
  }),
});

export const runAsNonRoot = defineControl(
  {
    id: 'workload.run-as-non-root',
    title: 'Containers must run with runAsNonRoot: true',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security: non-root containers',
      kubescape: ['C-0013'],
      pss: { level: 'restricted', check: 'Running as Non-root', id: 'runAsNonRoot' },
    },
    match: [
      { ref: 'KS C-0013', match: 'related', note: 'C-0013 passes runAsUser > 0 without runAsNonRoot, and also requires runAsGroup > 0' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale:
      'runAsNonRoot makes the kubelet refuse to start a container whose image would run as uid 0, so a root process cannot reach a kernel or runtime escape.',
    remediation: 'Set securityContext.runAsNonRoot: true at pod level (or on every container) and build images with a non-root USER.',
  },
  judgeWorkloads({
    // PSS: an explicit runAsNonRoot=false at pod level is itself a violation, even if containers override it.
    pod: (w) =>
      isFalse(w.podSecurityContext['runAsNonRoot'])
        ? { message: 'pod sets securityContext.runAsNonRoot=false', evidence: { field: 'spec.securityContext.runAsNonRoot' } }
        : undefined,
    container: (c, w, ctx) => {
      const own = c.securityContext['runAsNonRoot'];
      if (isFalse(own)) return verdicts.container(ctx, c, 'false');
      if (isTrue(own) || isTrue(w.podSecurityContext['runAsNonRoot'])) return undefined;
      return verdicts.container(ctx, c, 'unset');
    },
    passMessage: 'runAsNonRoot is true',
  }),
);
