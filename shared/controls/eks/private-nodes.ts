import { labelsOf, nameOf, objectRef } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings, getPath, type JsonRecord } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { defineControl } from '../define.js';
import type { CheckContext, Outcome } from '../types.js';
import { clusterRef, judgeEksCluster } from './cluster.js';
import { nodegroupName, nodegroupRef } from './nodegroups.js';

const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';
const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';

/** A managed nodegroup's verdict: its custom launch template's primary interface decides, else every subnet it launches into. */
function judgeNodegroup(ctx: CheckContext, ng: JsonRecord, subnets: Map<string, JsonRecord> | undefined): Outcome {
  const name = nodegroupName(ng);
  const ref = nodegroupRef(ng);
  const subnetIds = asStrings(ng['subnets']);
  const custom = asRecord(ng['launchTemplate']);
  const templateRead = !custom || asString(getPath(ng, 'imds', 'source')) === 'launch-template';
  const templatePublicIp = ng['launchTemplatePublicIp'];
  if (templatePublicIp === true)
    return ctx.outcome('FAIL', ref, `nodegroup ${name}: its launch template gives the nodes public IP addresses`, {
      associatePublicIpAddress: true,
    });
  if (templatePublicIp === false)
    return ctx.outcome('PASS', ref, `nodegroup ${name}: its launch template gives the nodes no public IP address`, {
      associatePublicIpAddress: false,
    });
  const publicSubnets = subnetIds.filter((id) => subnets?.get(id)?.['mapPublicIpOnLaunch'] === true);
  const unknownSubnets = subnetIds.filter((id) => !subnets?.has(id));
  const evidence = { subnets: subnetIds, publicSubnets, unknownSubnets };
  if (!templateRead) {
    const why = publicSubnets.length > 0 ? `; subnets ${publicSubnets.join(', ')} assign public IPs unless it says otherwise` : '';
    return ctx.outcome('UNKNOWN', ref, `nodegroup ${name}: its launch template could not be read${why}`, evidence);
  }
  if (publicSubnets.length > 0)
    return ctx.outcome('FAIL', ref, `nodegroup ${name}: subnets ${publicSubnets.join(', ')} assign public IPs to the nodes`, evidence);
  if (subnetIds.length === 0 || unknownSubnets.length > 0)
    return ctx.outcome(
      'UNKNOWN',
      ref,
      `nodegroup ${name}: subnets ${unknownSubnets.join(', ') || '(none listed)'} could not be read`,
      evidence,
    );
  return ctx.outcome('PASS', ref, `nodegroup ${name}: every subnet keeps the nodes private`, evidence);
}

function externalIps(node: KubeObject): string[] | undefined {
  const addresses = getPath(node, 'status', 'addresses');
  if (!Array.isArray(addresses)) return undefined;
  return asRecords(addresses)
    .filter((a) => asString(a['type']) === 'ExternalIP')
    .map((a) => asString(a['address']) ?? '?');
}

export const privateNodes = defineControl(
  {
    id: 'eks.private-nodes',
    title: 'Nodes must have private IP addresses only',
    severity: 'medium',
    category: 'Nodes',
    scope: 'eks',
    frameworks: {
      nsa: 'Network separation: worker node segmentation',
      kubescape: ['C-0229'],
      cis: ['5.4.3'],
    },
    match: [
      {
        ref: 'CIS 5.4.3',
        match: 'same',
        note: "(recommendation text, quoted in C-0229's description: nodes with private IP addresses only)",
      },
      {
        ref: 'KS C-0229',
        match: 'related',
        note: 'its rule tests the API endpoint (public with 0.0.0.0/0), not node IPs (see eks.endpoint-public-access)',
      },
    ],
    rationale:
      'A node with a public IP is one security-group mistake away from exposing the kubelet, NodePorts and SSH to the internet, ' +
      "and it bypasses the VPC's egress controls. Managed nodegroups are judged by their custom launch template's primary network " +
      'interface (AssociatePublicIpAddress wins) or else every subnet they launch into (MapPublicIpOnLaunch); every Node the API ' +
      'lists is judged by its addresses (an ExternalIP fails it), which also covers Karpenter and self-managed nodes.',
    remediation:
      'Run nodes in private subnets (aws ec2 modify-subnet-attribute --subnet-id <id> --no-map-public-ip-on-launch, or new ' +
      'nodegroups with private subnets) with egress through a NAT gateway or VPC endpoints; remove AssociatePublicIpAddress from ' +
      'launch templates.',
  },
  judgeEksCluster({ reads: ['eks:nodegroups', 'ec2:subnets', 'Node'] }, function* ({ ctx }) {
    const list = ctx.inventory.eks?.nodegroups;
    const nodegroups = Array.isArray(list) ? asRecords(list) : [];
    if (!Array.isArray(list) && ctx.index.gaps('eks:nodegroups').length === 0)
      yield ctx.outcome('UNKNOWN', clusterRef(ctx), 'nodegroups were not collected');
    const collected = ctx.inventory.eks?.subnets;
    const subnets = Array.isArray(collected) ? new Map(asRecords(collected).map((s) => [asString(s['subnetId']) ?? '', s])) : undefined;
    for (const ng of nodegroups) yield judgeNodegroup(ctx, ng, subnets);

    const judged = new Set(nodegroups.map(nodegroupName));
    const nodes = ctx.index.byKind('Node');
    const unknown: string[] = [];
    let failed = 0;
    for (const node of nodes) {
      const external = externalIps(node);
      if (external && external.length > 0) {
        failed++;
        yield ctx.outcome('FAIL', objectRef(node), `node ${nameOf(node)} has a public address: ${external.join(', ')}`, {
          externalIPs: external,
        });
        continue;
      }
      const labels = labelsOf(node.metadata?.labels);
      // Fargate pods never get public addresses; nodes of a judged nodegroup are covered by its verdict.
      if (!external && labels[COMPUTE_TYPE_LABEL] !== 'fargate' && !judged.has(labels[NODEGROUP_LABEL] ?? '')) unknown.push(nameOf(node));
    }
    if (unknown.length > 0) {
      yield ctx.outcome('UNKNOWN', clusterRef(ctx), `${unknown.length} node(s) outside managed nodegroups report no addresses`, {
        nodes: unknown.slice(0, 10),
      });
    } else if (nodes.length > 0 && failed === 0) {
      yield ctx.outcome('PASS', clusterRef(ctx), `none of the ${nodes.length} node(s) has a public address`);
    }
    if (nodegroups.length === 0 && nodes.length === 0 && Array.isArray(list) && ctx.index.gaps('Node').length === 0)
      yield ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'the cluster has no managed nodegroups and no nodes');
  }),
);
