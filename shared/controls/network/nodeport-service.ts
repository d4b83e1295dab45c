import { describeRef, objectRef } from '../../inventory/objects.js';
import { asNumber, asRecord, asRecords, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { NamedMessages } from '../messages.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

export const networkNodeportService = defineControl(
  {
    id: 'network.nodeport-service',
    title: 'Services must not be exposed through NodePorts',
    severity: 'medium',
    category: 'Network separation',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation', kubescape: ['C-0256'] },
    match: [
      {
        ref: 'KS C-0256',
        match: 'related',
        note: 'it fails workloads behind NodePort or LoadBalancer Services or an Ingress; hardline fails NodePort Services (see network.internet-exposed)',
      },
    ],
    rationale:
      'A NodePort opens the same port on every node, bypassing the load balancer and its security groups, WAF and TLS. NSA/CISA: limit how services are exposed outside the cluster.',
    remediation:
      'Use a ClusterIP Service behind an Ingress or a LoadBalancer Service (AWS Load Balancer Controller, IP targets, `allocateLoadBalancerNodePorts: false`).',
  },
  {
    reads: ['Service'],
    requires: ['Service'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const services = ctx.index.byKind('Service');
      if (services.length === 0) {
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no Service in the inventory'));
        return out;
      }
      const ofType = new NamedMessages(describeRef, (type) => ` is of type ${type}`);
      for (let i = 0; i < services.length; i++) {
        const svc = services[i]!;
        const ref = objectRef(svc);
        const spec = asRecord(svc['spec']) ?? {};
        const type = asString(spec['type']) ?? 'ClusterIP';
        if (type !== 'NodePort') {
          out.push(ctx.outcome('PASS', ref, ofType.of(type)));
          continue;
        }
        const nodePorts = asRecords(spec['ports'])
          .map((p) => asNumber(p['nodePort']))
          .filter((p): p is number => p !== undefined);
        out.push(
          ctx.outcome(
            'FAIL',
            ref,
            `${describeRef(ref)} is of type NodePort: it listens on ${nodePorts.length > 0 ? `node port${nodePorts.length > 1 ? 's' : ''} ${nodePorts.join(', ')}` : 'an allocated node port'} of every node`,
            { field: 'spec.type', value: type, ...(nodePorts.length > 0 ? { nodePorts: nodePorts.map(String) } : {}) },
          ),
        );
      }
      return out;
    },
  },
);
