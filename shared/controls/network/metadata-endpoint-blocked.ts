import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { nodeImdsVerdict } from '../../policy/imds-nodes.js';
import { withSystemFlag } from '../../policy/namespaces.js';
import {
  isHostNetwork,
  NETWORK_CONTEXT_KINDS,
  NETWORK_POLICY_KINDS,
  namespaceEndpoint,
  networkModel,
  workloadEndpoint,
} from '../../policy/network/evaluate.js';
import { ipQuery } from '../../policy/network/model.js';
import { defineControl } from '../define.js';
import { networkNamespaces } from '../namespaces.js';
import type { Outcome } from '../types.js';

const IMDS_IP = '169.254.169.254';
/** One query for every scan: the network model keeps its answers per query. */
const IMDS_QUERY = ipQuery(IMDS_IP, 80);

export const networkMetadataEndpointBlocked = defineControl(
  {
    id: 'network.metadata-endpoint-blocked',
    title: 'Pods must not reach the cloud instance metadata endpoint',
    severity: 'high',
    category: 'Network separation',
    scope: 'namespace',
    frameworks: { nsa: 'Protecting sensitive cloud infrastructure', kubescape: ['C-0052'] },
    match: [
      {
        ref: 'KS C-0052',
        match: 'related',
        note: 'it reads the host sensor\'s "node can reach the metadata API"; hardline judges whether pods can (node IMDS hop limit, network policies)',
      },
    ],
    rationale:
      'The instance metadata service (169.254.169.254) hands out the node IAM role credentials; a pod that reaches it acts with the node role. NSA/CISA: block pod access to the metadata endpoint.',
    remediation:
      'Require IMDSv2 with a hop limit of 1 on every nodegroup launch template (or EC2NodeClass), or deny egress to 169.254.169.254/32 with a network policy (e.g. an ipBlock `except` or a cluster-wide Drop rule). Use IRSA or EKS Pod Identity for pod credentials.',
  },
  {
    reads: [
      ...NETWORK_CONTEXT_KINDS,
      ...NETWORK_POLICY_KINDS,
      ...POD_BEARING_KINDS,
      'Node',
      'EC2NodeClass',
      'eks:nodegroups',
      'eks:launch-templates',
    ],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const nodes = nodeImdsVerdict(ctx);
      const policyGaps = NETWORK_POLICY_KINDS.some((k) => ctx.index.gaps(k).length > 0);
      const model = networkModel(ctx);
      for (const ns of networkNamespaces(ctx)) {
        const ref = ns.ref;
        if (nodes?.blocked) {
          out.push(
            ctx.outcome(
              'PASS',
              ref,
              `pods of ${ns.name} cannot use the instance metadata endpoint: ${nodes.reasons.join('; ')}`,
              withSystemFlag(ns, { enforcedBy: 'node IMDS settings', nodes: nodes.reasons }),
            ),
          );
          continue;
        }
        if (ns.system && !ns.hasWorkloads) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, `system namespace ${ns.name} runs no pods`, { systemNamespace: true }));
          continue;
        }
        const reaching: string[] = [];
        const generic = model.decide(namespaceEndpoint(ns), 'egress', IMDS_QUERY);
        if (generic.verdict === 'allow') reaching.push(`any pod: ${generic.by}`);
        const inNamespace = ctx.index.workloadsIn(ns.name);
        for (let i = 0; i < inNamespace.length; i++) {
          const w = inNamespace[i]!;
          if (isHostNetwork(w)) continue; // the node's own access; workload.host-network reports these pods
          const d = model.decide(workloadEndpoint(ctx, w, ns), 'egress', IMDS_QUERY);
          if (d.verdict === 'allow' && d.by !== generic.by) reaching.push(`${w.kind}/${w.name}: ${d.by}`);
        }
        const nodeText = nodes
          ? `; nodes do not block it (${nodes.reasons.join('; ')})`
          : '; no EKS nodegroup data, so only network policies were checked';
        const evidence = withSystemFlag(ns, {
          reachableBy: reaching,
          ...(nodes ? { nodes: nodes.reasons } : {}),
          policyEngine: generic.family,
        });
        if (reaching.length === 0) {
          if (policyGaps) {
            out.push(
              ctx.outcome(
                'UNKNOWN',
                ref,
                `network policies could not all be read, so egress from ${ns.name} to ${IMDS_IP} cannot be confirmed as denied`,
                evidence,
              ),
            );
            continue;
          }
          out.push(
            ctx.outcome('PASS', ref, `egress from ${ns.name} to ${IMDS_IP} is denied by policy (${generic.by})`, {
              ...evidence,
              enforcedBy: 'network policy',
            }),
          );
          continue;
        }
        if (policyGaps || (nodes && !nodes.complete)) {
          out.push(
            ctx.outcome(
              'UNKNOWN',
              ref,
              `pods of ${ns.name} may reach ${IMDS_IP} (${reaching[0]}), and the ${policyGaps ? 'network policies' : 'node IMDS settings'} could not all be read`,
              evidence,
            ),
          );
          continue;
        }
        out.push(
          ctx.outcome(
            'FAIL',
            ref,
            `pods of ${ns.name} can reach the instance metadata endpoint ${IMDS_IP}: ${reaching.join('; ')}${nodeText}`,
            evidence,
          ),
        );
      }
      return out;
    },
  },
);
