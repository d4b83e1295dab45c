import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';
import { ingressNginxControllers, versionText } from './ingress-nginx.js';

export const networkIngressNginxEol = defineControl(
  {
    id: 'network.ingress-nginx-eol',
    title: 'The retired ingress-nginx controller must be replaced',
    severity: 'high',
    category: 'Upgrading and application security practices',
    scope: 'cluster',
    frameworks: { nsa: 'Upgrading and application security practices', kubescape: ['C-0292'] },
    match: [
      {
        ref: 'KS C-0292',
        match: 'same',
        note: 'it flags every ingress-nginx controller image (project end of life March 2026, per its description); holds while hardline treats every version as EOL',
      },
    ],
    rationale:
      'The Kubernetes ingress-nginx project was retired in March 2026: no release, and no security fix, follows for any version, while ' +
      'the controller sits on the internet path and holds a service account that reads every Secret (the CVE-2025-1974 chain). Every ' +
      'container running its image (registry.k8s.io or k8s.gcr.io ingress-nginx/controller, the -chroot variant, mirrors, and the ' +
      'pre-1.0 nginx-ingress-controller) fails, whatever its version.',
    remediation:
      'Migrate to a maintained controller: the AWS Load Balancer Controller (ALB Ingress), a Gateway API implementation (Envoy Gateway, ' +
      'Istio, NGINX Gateway Fabric, Cilium) or F5 NGINX Ingress Controller; until then keep the last release and accept no new Ingress owners.',
  },
  {
    reads: POD_BEARING_KINDS,
    check(ctx): Outcome[] {
      const controllers = ingressNginxControllers(ctx);
      if (controllers.length === 0) {
        const unread = POD_BEARING_KINDS.filter((k) => ctx.index.gaps(k).length > 0);
        // With workload kinds unreadable the engine reports them UNKNOWN; "none runs" would be a false PASS.
        return unread.length > 0 ? [] : [ctx.outcome('PASS', clusterRef(ctx), 'no ingress-nginx controller image runs')];
      }
      return controllers.map((c) =>
        ctx.outcome(
          'FAIL',
          c.container.ref,
          `runs the ingress-nginx controller ${versionText(c.version)} (${c.image}): the project reached end of life in March 2026 and no version receives security fixes`,
          { image: c.image },
        ),
      );
    },
  },
);
