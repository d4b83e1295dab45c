import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { inventory, run, verdicts } from '../../support/controls.js';

const cluster = (objects: KubeObject[]) => inventory(objects, { target: { kind: 'cluster', name: 'prod' }, origin: 'live' });
const policy: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny', namespace: 'shop' },
  spec: { podSelector: {} },
};
const awsNode = (agent: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'aws-node', namespace: 'kube-system' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'aws-node', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2' },
          {
            name: 'aws-eks-nodeagent',
            image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6',
            ...agent,
          },
        ],
      },
    },
  },
});

describe('network.policy-enforced', () => {
  it('reads the agent flag in each of its spellings', () => {
    for (const args of [['--enable-network-policy=true'], ['--enable-network-policy', 'true'], ['--enable-network-policy']])
      expect(verdicts(run('network.policy-enforced', cluster([awsNode({ args }), policy]))), args.join(' ')).toEqual(['PASS Cluster/prod']);
    expect(verdicts(run('network.policy-enforced', cluster([awsNode({ args: ['--enable-network-policy', 'false'] }), policy])))).toEqual([
      'FAIL Cluster/prod',
    ]);
  });

  it('the running agent wins over an add-on configuration that says otherwise', () => {
    const inv = cluster([awsNode({ args: ['--enable-network-policy=false'] }), policy]);
    inv.eks = { addons: [{ addonName: 'vpc-cni', configurationValues: '{"enableNetworkPolicy":"true"}' }] };
    expect(verdicts(run('network.policy-enforced', inv))).toEqual(['FAIL Cluster/prod']);
  });

  it('is not applicable without any policy (network.default-deny judges that), and not judged on manifests', () => {
    expect(verdicts(run('network.policy-enforced', cluster([awsNode({})])))).toEqual(['NOT_APPLICABLE Cluster/prod']);
    expect(run('network.policy-enforced', [awsNode({}), policy])).toEqual([]);
  });
});
