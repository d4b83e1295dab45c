import { labelsOf, nameOf } from '../inventory/objects.js';
import { asNumber, asRecord, asString, getPath } from '../inventory/read.js';
import type { PolicyContext } from './context.js';

/** What the node side says about pods reaching the instance metadata service. */
export interface NodeImdsVerdict {
  /** true: every node requires IMDSv2 tokens with hop limit 1 (or has IMDS off), so pods cannot get credentials. */
  blocked: boolean;
  /** Could the node side be judged at all (false when the data is partial)? */
  complete: boolean;
  reasons: string[];
}

const NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';
const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';
const KARPENTER_NODECLASS_LABEL = 'karpenter.k8s.aws/ec2nodeclass';

function imdsBlocks(httpTokens: unknown, hopLimit: unknown, endpoint: unknown): boolean {
  if (asString(endpoint) === 'disabled') return true;
  // Hop limit 1 stops the token PUT response at the pod's extra hop; with tokens required IMDSv1 is off too.
  return asString(httpTokens) === 'required' && asNumber(hopLimit) === 1;
}

/**
 * Node IMDS settings from the EKS data: managed nodegroups' launch templates, and every Node of the
 * inventory, which must belong to a judged nodegroup, run on Fargate (no IMDS), or come from a
 * Karpenter EC2NodeClass whose metadataOptions block it. Undefined when there is no EKS data (a
 * manifest scan, a non-EKS cluster): only network policies can then decide.
 */
export function nodeImdsVerdict(ctx: PolicyContext): NodeImdsVerdict | undefined {
  const eks = ctx.inventory.eks;
  if (!eks) return undefined;
  const nodegroups = Array.isArray(eks.nodegroups) ? eks.nodegroups : [];
  const nodes = ctx.index.byKind('Node');
  const dataGap = ctx.index.gaps('eks:nodegroups').length > 0 || ctx.index.gaps('eks:launch-templates').length > 0;
  if (nodegroups.length === 0 && nodes.length === 0) {
    return dataGap ? { blocked: false, complete: false, reasons: ['nodegroups could not be read'] } : undefined;
  }
  const reasons: string[] = [];
  let blocked = true;
  let complete = !dataGap;
  const judged = new Set<string>();
  for (const ng of nodegroups) {
    const name = asString(asRecord(ng)?.['name']) ?? '(unnamed)';
    judged.add(name);
    const imds = asRecord(asRecord(ng)?.['imds']);
    if (!imds) {
      complete = false;
      blocked = false;
      reasons.push(`nodegroup ${name}: IMDS settings unknown`);
      continue;
    }
    if (!imdsBlocks(imds['httpTokens'], imds['httpPutResponseHopLimit'], imds['httpEndpoint'])) {
      blocked = false;
      reasons.push(
        `nodegroup ${name}: httpTokens ${asString(imds['httpTokens']) ?? 'unset'}, hop limit ${asNumber(imds['httpPutResponseHopLimit']) ?? 'unset'}`,
      );
    }
  }
  const nodeClasses = new Map(ctx.index.byKind('EC2NodeClass').map((c) => [nameOf(c), c]));
  let otherNodes = 0;
  for (const node of nodes) {
    const labels = labelsOf(node.metadata?.labels);
    if (labels[COMPUTE_TYPE_LABEL] === 'fargate') continue; // Fargate pods have no instance metadata
    const ng = labels[NODEGROUP_LABEL];
    if (ng && judged.has(ng)) continue;
    otherNodes++;
    const nodeClassName = labels[KARPENTER_NODECLASS_LABEL];
    const nodeClass = nodeClassName ? nodeClasses.get(nodeClassName) : undefined;
    if (nodeClass) {
      const opts = asRecord(getPath(nodeClass, 'spec', 'metadataOptions')) ?? {};
      // Karpenter defaults: httpTokens required, hop limit 1.
      if (imdsBlocks(opts['httpTokens'] ?? 'required', opts['httpPutResponseHopLimit'] ?? 1, opts['httpEndpoint'])) continue;
      blocked = false;
      reasons.push(`node ${nameOf(node)}: EC2NodeClass ${nodeClassName} allows pods to reach IMDS`);
      continue;
    }
    // A self-managed node: its launch settings are not in the EKS data.
    blocked = false;
    complete = false;
    reasons.push(`node ${nameOf(node)} is not in a managed nodegroup with known IMDS settings`);
  }
  if (blocked) {
    reasons.push(
      [
        nodegroups.length > 0 ? `all ${nodegroups.length} nodegroup(s) require IMDSv2 tokens with hop limit 1` : '',
        otherNodes > 0 ? `${otherNodes} Karpenter node(s) do too` : '',
        nodegroups.length === 0 && otherNodes === 0 ? 'every node runs on Fargate (no instance metadata)' : '',
      ]
        .filter((s) => s !== '')
        .join('; '),
    );
  }
  return { blocked, complete, reasons };
}
