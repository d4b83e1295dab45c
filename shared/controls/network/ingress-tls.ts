import { describeRef } from '../../inventory/objects.js';
import { defineControl } from '../define.js';
import { judgeEntryPoints } from './exposure.js';
import { plainHttp } from './plain-http.js';

export const networkIngressTls = defineControl(
  {
    id: 'network.ingress-tls',
    title: 'Internet-facing load balancers, Ingresses and Gateways must not serve plain HTTP',
    severity: 'high',
    category: 'Network separation: encryption',
    scope: 'cluster',
    frameworks: { nsa: 'Network separation: encryption', kubescape: ['C-0263', 'C-0231'], cis: ['5.4.5'] },
    match: [
      {
        ref: 'KS C-0263',
        match: 'related',
        note: 'it fails any Ingress without spec.tls, internal or not, and no Gateways/LoadBalancers',
      },
      { ref: 'KS C-0231', match: 'related', note: 'LoadBalancer Services on port 443 without the aws-load-balancer-ssl-cert annotation' },
      { ref: 'CIS 5.4.5', match: 'related', note: '(as C-0231)' },
    ],
    rationale:
      'Plain HTTP across the internet exposes sessions, tokens and data to anyone on the path. Judged only where network.internet-exposed ' +
      'finds the entry internet-facing (or cannot tell): a LoadBalancer Service fails for an HTTP port (appProtocol http, a port named ' +
      'http*, or 80/8080) the load balancer does not terminate TLS on (aws-load-balancer-ssl-cert, aws-load-balancer-ssl-ports); an ALB ' +
      'Ingress for an HTTP listener (listen-ports, else HTTP 80 unless a certificate-arn or spec.tls is given) without ssl-redirect; an ' +
      'Ingress of an in-cluster controller for rule hosts spec.tls does not cover (ingress-nginx redirects the covered ones unless ' +
      'ssl-redirect is "false"); a Gateway for an HTTP listener that serves an HTTPRoute other than a redirect to https. A load ' +
      'balancer terminating TLS on every port in front of the controller passes what is behind it.',
    remediation:
      'Serve HTTPS only: `alb.ingress.kubernetes.io/certificate-arn` with `listen-ports: [{"HTTPS":443}]` (or add ' +
      '`alb.ingress.kubernetes.io/ssl-redirect: "443"` when HTTP must redirect), spec.tls for every host of an ingress-nginx Ingress, ' +
      '`service.beta.kubernetes.io/aws-load-balancer-ssl-cert` on the LoadBalancer Service, HTTPS listeners on Gateways (an HTTP listener ' +
      'only with a RequestRedirect to https).',
  },
  judgeEntryPoints((e, ctx) => {
    const what = describeRef(e.ref);
    if (e.reach === 'internal') return ctx.outcome('NOT_APPLICABLE', e.ref, `${what} is internal: ${e.why}`);
    if (e.proxyFront)
      return ctx.outcome(
        'NOT_APPLICABLE',
        e.ref,
        `${what} fronts an ingress or Gateway proxy: its traffic is judged per Ingress or Gateway`,
      );
    const http = plainHttp(ctx, e);
    const evidence = { reach: e.reach, why: e.why, ...(http.plain.length > 0 ? { plainHttp: http.plain } : {}) };
    if (http.unreadable) return ctx.outcome('UNKNOWN', e.ref, `${what}: ${http.unreadable}`, evidence);
    if (http.plain.length === 0) return ctx.outcome('PASS', e.ref, `${what}: ${http.tls}`, evidence);
    const plain = http.plain.join('; ');
    if (e.reach === 'unknown')
      return ctx.outcome(
        'UNKNOWN',
        e.ref,
        `${what} serves plain HTTP (${plain}) but whether it is internet-facing is not known: ${e.why}`,
        evidence,
      );
    return ctx.outcome('FAIL', e.ref, `${what} serves plain HTTP to the internet: ${plain}`, evidence);
  }),
);
