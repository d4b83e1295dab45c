import { asRecord, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { Workload } from '../../inventory/workloads.js';
import type { CheckContext } from '../types.js';

/** The network plugins whose node agents hardline recognises, and whether they enforce Kubernetes NetworkPolicies. */
export type CniAgent = 'vpc-cni' | 'calico' | 'cilium' | 'antrea' | 'kube-router' | 'weave' | 'flannel';

/** Node agents by DaemonSet name or image (the image survives renames; the name survives mirrored registries). */
const AGENTS: [agent: CniAgent, name: RegExp, image: RegExp][] = [
  ['vpc-cni', /^aws-node$/, /amazon-k8s-cni:/],
  ['calico', /^(calico-node|canal)$/, /(calico|tigera)\/(cnx-)?node[:@]/],
  ['cilium', /^cilium$/, /cilium\/cilium[:@]/],
  ['antrea', /^antrea-agent$/, /antrea\/antrea-(agent-)?ubuntu[:@]|antrea\/antrea-agent/],
  ['kube-router', /^kube-router$/, /kube-router[:@]/],
  ['weave', /^weave-net$/, /weave-kube[:@]|weaveworks\/weave[:@]/],
  ['flannel', /flannel/, /flannel[:@]/],
];

export interface RunningAgent {
  agent: CniAgent;
  daemonSet: string;
  workload: Workload;
}

/** CNI node agents among the DaemonSets of every namespace (Calico's operator installs into calico-system). */
export function runningAgents(ctx: CheckContext): RunningAgent[] {
  const out: RunningAgent[] = [];
  const workloads = ctx.index.workloads();
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i]!;
    if (w.kind !== 'DaemonSet') continue;
    const images = w.containers.map((c) => asString(c.spec['image']) ?? '');
    const hit = AGENTS.find(([, name, image]) => name.test(w.name) || images.some((i) => image.test(i)));
    if (hit) out.push({ agent: hit[0], daemonSet: `${w.namespace}/${w.name}`, workload: w });
  }
  return out;
}

/** `--enable-network-policy=true`, `--enable-network-policy true` or the bare flag; undefined when not given. */
function flagValue(args: readonly string[]): boolean | undefined {
  for (let i = 0; i < args.length; i++) {
    const m = /^--?enable-network-policy(?:=(.*))?$/.exec(args[i]!);
    if (!m) continue;
    const value = m[1] ?? (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-') ? args[i + 1] : 'true');
    return value === 'true';
  }
  return undefined;
}

export interface VpcCniPolicy {
  enabled: boolean;
  /** Read from the running DaemonSet (a flag or env var): what the nodes do, whatever the add-on configuration says. */
  explicit: boolean;
  why: string;
}

/**
 * Whether the VPC CNI enforces NetworkPolicies: its network policy agent (`aws-eks-nodeagent`
 * container, image aws-network-policy-agent) runs with --enable-network-policy=true, the aws-node
 * container has ENABLE_NETWORK_POLICY=true, or the vpc-cni add-on configuration says
 * enableNetworkPolicy "true". The agent's own default is off.
 */
export function vpcCniPolicy(ctx: CheckContext, awsNode: Workload | undefined): VpcCniPolicy {
  if (awsNode) {
    for (const c of awsNode.containers) {
      const agent = c.name === 'aws-eks-nodeagent' || /aws-network-policy-agent/.test(asString(c.spec['image']) ?? '');
      const flag = agent ? flagValue([...asStrings(c.spec['args']), ...asStrings(c.spec['command'])]) : undefined;
      if (flag !== undefined)
        return { enabled: flag, explicit: true, why: `container ${c.name} of aws-node runs with --enable-network-policy=${String(flag)}` };
      const env = asRecords(c.spec['env']).find((e) => asString(e['name']) === 'ENABLE_NETWORK_POLICY');
      if (env && asString(env['value']) !== undefined)
        return {
          enabled: asString(env['value']) === 'true',
          explicit: true,
          why: `container ${c.name} of aws-node has ENABLE_NETWORK_POLICY=${asString(env['value'])}`,
        };
    }
  }
  const addon = (ctx.inventory.eks?.addons ?? []).find((a) => a.addonName === 'vpc-cni');
  const raw = asString(addon?.['configurationValues']);
  if (raw !== undefined && raw.trim() !== '') {
    let config: unknown;
    try {
      config = JSON.parse(raw);
    } catch {
      config = undefined;
    }
    const value = asRecord(config)?.['enableNetworkPolicy'];
    if (value === 'true' || value === true)
      return { enabled: true, explicit: false, why: 'the vpc-cni add-on configuration sets enableNetworkPolicy: "true"' };
  }
  const agent = awsNode?.containers.find(
    (c) => c.name === 'aws-eks-nodeagent' || /aws-network-policy-agent/.test(asString(c.spec['image']) ?? ''),
  );
  const why = !awsNode
    ? 'no aws-node DaemonSet'
    : agent
      ? `aws-node's network policy agent (container ${agent.name}) runs without --enable-network-policy=true (its default is false)`
      : 'aws-node has no network policy agent container (aws-eks-nodeagent, VPC CNI v1.14 and later)';
  return { enabled: false, explicit: false, why };
}

/** EKS Auto Mode nodes carry the VPC CNI themselves; NetworkPolicies are enforced once the amazon-vpc-cni ConfigMap enables the controller. */
export function autoModePolicy(ctx: CheckContext): VpcCniPolicy | undefined {
  if (getPath(ctx.inventory.eks?.cluster, 'computeConfig', 'enabled') !== true) return undefined;
  const cm = ctx.index.find('ConfigMap', 'kube-system', 'amazon-vpc-cni');
  const value = asString(getPath(cm, 'data', 'enable-network-policy-controller'));
  return value === 'true'
    ? {
        enabled: true,
        explicit: true,
        why: 'EKS Auto Mode with enable-network-policy-controller: "true" in ConfigMap kube-system/amazon-vpc-cni',
      }
    : {
        enabled: false,
        explicit: cm !== undefined,
        why: `EKS Auto Mode without enable-network-policy-controller: "true" in ConfigMap kube-system/amazon-vpc-cni${cm ? '' : ' (no such ConfigMap)'}`,
      };
}
