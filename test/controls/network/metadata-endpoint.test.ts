import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { inventory, run } from '../../support/controls.js';

const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const node = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const nodeClass = (name: string, metadataOptions?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name },
  spec: metadataOptions ? { metadataOptions } : {},
});
const statusFor = (objects: KubeObject[], eks: Record<string, unknown>) =>
  run('network.metadata-endpoint-blocked', inventory(objects, { eks })).map((r) => r.status);

describe('network.metadata-endpoint-blocked through node IMDS settings', () => {
  it('passes a Karpenter-only cluster whose EC2NodeClass keeps the defaults (tokens required, hop limit 1)', () => {
    expect(statusFor([ns, node('k1', { 'karpenter.k8s.aws/ec2nodeclass': 'default' }), nodeClass('default')], { nodegroups: [] })).toEqual([
      'PASS',
    ]);
  });

  it('fails when an EC2NodeClass raises the hop limit and no policy blocks the address', () => {
    const objs = [
      ns,
      node('k1', { 'karpenter.k8s.aws/ec2nodeclass': 'gpu' }),
      nodeClass('gpu', { httpTokens: 'required', httpPutResponseHopLimit: 2 }),
    ];
    expect(statusFor(objs, { nodegroups: [] })).toEqual(['FAIL']);
  });

  it('is UNKNOWN, not FAIL, when a self-managed node has settings hardline cannot see', () => {
    const objs = [ns, node('self-1', {})];
    const eks = { nodegroups: [{ name: 'ng', imds: { httpTokens: 'required', httpPutResponseHopLimit: 1, source: 'launch-template' } }] };
    expect(statusFor(objs, eks)).toEqual(['UNKNOWN']);
  });

  it('counts an IMDS endpoint switched off as blocked', () => {
    const eks = { nodegroups: [{ name: 'ng', imds: { httpEndpoint: 'disabled', source: 'launch-template' } }] };
    expect(statusFor([ns], eks)).toEqual(['PASS']);
  });

  it('judges only the policies when there is no EKS data', () => {
    expect(
      run('network.metadata-endpoint-blocked', [ns]).map((r) => [r.status, r.message.includes('only network policies were checked')]),
    ).toEqual([['FAIL', true]]);
  });
});

describe('network.metadata-endpoint-blocked and host-network pods', () => {
  const policy = (name: string, podSelector: Record<string, unknown>, egress: unknown[]): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec: { podSelector, policyTypes: ['Egress'], egress },
  });
  const web = (hostNetwork: boolean): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { hostNetwork, containers: [{ name: 'app', image: 'web:1' }] } } },
  });
  // Egress denied namespace-wide; the web pods alone may reach anywhere.
  const objects = (hostNetwork: boolean) => [
    ns,
    policy('deny-egress', {}, []),
    policy('web-anywhere', { matchLabels: { app: 'web' } }, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]),
    web(hostNetwork),
  ];

  it('names a pod network workload a policy lets reach the endpoint', () => {
    const [result] = run('network.metadata-endpoint-blocked', objects(false));
    expect(result!.status).toBe('FAIL');
    expect(result!.evidence?.['reachableBy']).toEqual(['Deployment/web: NetworkPolicy/shop/web-anywhere egress[0] allows it']);
  });

  it('leaves host-network pods to workload.host-network: the same workload on the node network is not counted', () => {
    const [result] = run('network.metadata-endpoint-blocked', objects(true));
    expect(result!.status).toBe('PASS');
    expect(result!.evidence?.['reachableBy']).toEqual([]);
  });
});
