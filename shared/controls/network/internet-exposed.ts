import { listText } from '../../core/text.js';
import { describeRef } from '../../inventory/objects.js';
import { defineControl } from '../define.js';
import { judgeEntryPoints } from './exposure.js';

export const networkInternetExposed = defineControl(
  {
    id: 'network.internet-exposed',
    title: 'Workloads must not be exposed to the internet by accident',
    severity: 'medium',
    category: 'Network separation',
    scope: 'cluster',
    frameworks: { nsa: 'Network separation', kubescape: ['C-0256', 'C-0021', 'C-0266'] },
    match: [
      {
        ref: 'KS C-0256',
        match: 'related',
        note: 'it also fails internal LoadBalancers and NodePorts, and does not look at Gateways',
      },
      { ref: 'KS C-0021', match: 'related', note: 'only workloads named like known sensitive interfaces, NodePort included' },
      { ref: 'KS C-0266', match: 'related', note: 'Gateway API routes and Istio Gateways, internal or not' },
    ],
    rationale:
      'An internet-facing load balancer puts a workload in front of every scanner on the internet; it should be a decision, not a default. ' +
      'How the verdict is reached: a LoadBalancer Service handed to the AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb, ' +
      'or aws-load-balancer-type: external) or to EKS Auto Mode (eks.amazonaws.com/nlb) is internal unless aws-load-balancer-scheme: ' +
      'internet-facing; any other is provisioned by the legacy cloud provider, which reads only aws-load-balancer-internal and is ' +
      'internet-facing otherwise (it ignores aws-load-balancer-scheme). An Ingress served by an ALB (IngressClass controller ' +
      'ingress.k8s.aws/alb or eks.amazonaws.com/alb, or class alb) is internal unless its IngressClassParams or an Ingress of its ' +
      'IngressGroup says internet-facing. Other Ingress classes and Gateways are exposed through the LoadBalancer Service of their ' +
      'proxy (ingress-nginx, Istio, Envoy Gateway, …). An internet-facing load balancer whose loadBalancerSourceRanges ' +
      '(alb.ingress.kubernetes.io/inbound-cidrs for an ALB) exclude 0.0.0.0/0 and ::/0 passes. What hardline cannot see — an ' +
      'unknown load balancer class, an ingress controller or Gateway Service not in the inventory, an AWS Gateway ' +
      'LoadBalancerConfiguration — is UNKNOWN.',
    remediation:
      'Make the load balancer internal (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal` with the AWS Load Balancer ' +
      'Controller, `alb.ingress.kubernetes.io/scheme: internal`), or restrict it to known source ranges (`spec.loadBalancerSourceRanges`, ' +
      '`alb.ingress.kubernetes.io/inbound-cidrs`); where a workload must be public, exempt it with the reason so the exposure stays a recorded decision.',
  },
  judgeEntryPoints((e, ctx) => {
    const what = describeRef(e.ref);
    const evidence = { reach: e.reach, why: e.why, ...(e.reaches.length > 0 ? { reaches: e.reaches } : {}) };
    const exposes = e.reaches.length > 0 ? `; it exposes ${listText(e.reaches)}` : '';
    if (e.reach === 'internet') return ctx.outcome('FAIL', e.ref, `${what} is internet-facing: ${e.why}${exposes}`, evidence);
    if (e.reach === 'unknown') return ctx.outcome('UNKNOWN', e.ref, `whether ${what} is internet-facing is not known: ${e.why}`, evidence);
    if (e.reach === 'restricted') return ctx.outcome('PASS', e.ref, `${what} is internet-facing but restricted: ${e.why}`, evidence);
    return ctx.outcome('PASS', e.ref, `${what} is internal: ${e.why}`, evidence);
  }),
);
