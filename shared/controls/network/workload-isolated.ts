import type { Evidence, ResourceMessage } from '../../core/types.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { namespaceInfo } from '../../policy/namespaces.js';
import {
  type DirectionVerdict,
  isHostNetwork,
  NETWORK_CONTEXT_KINDS,
  NETWORK_POLICY_KINDS,
  networkModel,
  workloadEndpoint,
} from '../../policy/network/evaluate.js';
import { defineControl } from '../define.js';
import { named, workloadName } from '../messages.js';
import { skippedSystemNamespace } from '../namespaces.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

const ISOLATED = named(workloadName, ' is isolated for ingress and egress');

interface Openness {
  /** The FAIL message: the workload's name, then what is open and why. */
  message: ResourceMessage;
  evidence: Evidence;
}

/** Verdicts are shared by every pod the same policies select: so is the text of their FAIL. */
const opennessOf = new WeakMap<DirectionVerdict, WeakMap<DirectionVerdict, Openness>>();

function openness(ingress: DirectionVerdict, egress: DirectionVerdict): Openness {
  let byEgress = opennessOf.get(ingress);
  if (!byEgress) opennessOf.set(ingress, (byEgress = new WeakMap()));
  let found = byEgress.get(egress);
  if (!found) {
    const open = [!ingress.denied ? 'ingress' : undefined, !egress.denied ? 'egress' : undefined].filter((d) => d !== undefined);
    const why = [...(!ingress.denied ? ingress.reasons : []), ...(!egress.denied ? egress.reasons : [])];
    found = {
      message: named(workloadName, ` is not isolated for ${open.join(' and ')}: ${why.join('; ')}`),
      evidence: { ingress: ingress.reasons, egress: egress.reasons },
    };
    byEgress.set(egress, found);
  }
  return found;
}

export const networkWorkloadIsolated = defineControl(
  {
    id: 'network.workload-isolated',
    title: 'Every workload must be selected by ingress and egress network policies',
    severity: 'medium',
    category: 'Network separation',
    scope: 'workload',
    frameworks: { nsa: 'Network separation: network policies', kubescape: ['C-0030', 'C-0260'] },
    match: [
      {
        ref: 'KS C-0030',
        match: 'stricter',
        note: 'C-0030 passes a workload selected by any policy with an Ingress or an Egress type; hardline needs both directions denied by default',
      },
      { ref: 'KS C-0260', match: 'stricter', note: 'it only needs a selecting policy' },
    ],
    rationale:
      'A pod no policy selects accepts connections from anywhere and can connect anywhere. NSA/CISA: select every pod with policies for both directions so only required traffic flows.',
    remediation:
      'Cover the pod with a default deny (namespace-wide or cluster-wide) for both directions, plus policies allowing only the traffic it needs; remove rules that allow all sources or destinations.',
  },
  {
    reads: [...NETWORK_CONTEXT_KINDS, ...POD_BEARING_KINDS],
    requires: NETWORK_POLICY_KINDS,
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const model = networkModel(ctx);
      if (ctx.index.workloads().length === 0) {
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no workload in the inventory'));
        return out;
      }
      const workloads = ctx.index.workloads();
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        const ref = w.ref;
        const ns = namespaceInfo(ctx, w.namespace);
        const skipped = skippedSystemNamespace(ctx, ns, ref);
        if (skipped !== undefined) {
          out.push(skipped);
          continue;
        }
        if (w.unreadable) {
          // hostNetwork lives in the pod spec: without it, whether policies apply at all is unknown.
          out.push(ctx.outcome('UNKNOWN', ref, `${w.kind} ${w.namespace}/${w.name}: ${w.unreadable}`));
          continue;
        }
        if (isHostNetwork(w)) {
          out.push(
            ctx.outcome(
              'NOT_APPLICABLE',
              ref,
              `${w.kind} ${w.namespace}/${w.name} uses the host network: pod network policies do not apply (see workload.host-network)`,
            ),
          );
          continue;
        }
        const ep = workloadEndpoint(ctx, w, ns);
        const ingress = model.defaultDeny(ep, 'ingress');
        const egress = model.defaultDeny(ep, 'egress');
        if (ingress.denied && egress.denied) {
          out.push(ctx.outcome('PASS', ref, ISOLATED));
          continue;
        }
        const open = openness(ingress, egress);
        out.push(ctx.outcome('FAIL', ref, open.message, open.evidence));
      }
      return out;
    },
  },
);
