import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../infra/config.js';
import { buildService, flatten, stateMachineDefinition, type Json } from './support.js';

/**
 * Private clusters in more than one region: a scan-cluster function per configured network, items
 * routed to it by region. Two regions, two VPCs: the home function in `vpc`, a second one for
 * us-east-1 in the subnets routed to that region's cluster VPCs.
 */
const EU = { vpcId: 'vpc-0e1a1111', subnetIds: ['subnet-0e1aaaa1', 'subnet-0e1abbb1'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] };
const US = {
  vpcId: 'vpc-0ab22222',
  subnetIds: ['subnet-0ab2aaaa'],
  availabilityZones: ['eu-west-1a'],
  securityGroupIds: ['sg-0ab22222'],
  clusterVpcIds: ['vpc-0c333333', 'vpc-0c444444'],
};

let template: Template;
beforeAll(() => {
  template = buildService({
    regions: 'eu-west-1,us-east-1',
    vpc: JSON.stringify(EU),
    regionNetworks: JSON.stringify({ 'us-east-1': US }),
  }).template;
});

const scanClusters = () =>
  Object.entries(template.findResources('AWS::Lambda::Function'))
    .map(([id, r]) => ({ id, p: r['Properties'] as Json }))
    .filter(({ p }) => ((p['Environment'] as Json)['Variables'] as Json)['POWERTOOLS_SERVICE_NAME'] === 'hardline-scan-cluster');
const env = (p: Json) => (p['Environment'] as Json)['Variables'] as Json;

describe('scan-cluster per region', () => {
  it('two scan-cluster functions, each in its own subnets, under the one role member accounts trust, each with the reserved concurrency', () => {
    const fns = scanClusters();
    expect(fns).toHaveLength(2);
    const subnets = fns.map(({ p }) => (p['VpcConfig'] as Json)['SubnetIds']);
    expect(subnets).toEqual(expect.arrayContaining([EU.subnetIds, US.subnetIds]));
    expect(new Set(fns.map(({ p }) => flatten(p['Role']))).size).toBe(1);
    const roleId = (fns[0]!.p['Role'] as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    expect((template.findResources('AWS::IAM::Role')[roleId]!['Properties'] as Json)['RoleName']).toBe('hardline-scanner-cluster');
    for (const { p } of fns) expect(p['ReservedConcurrentExecutions']).toBe(20);
    const us = fns.find(({ p }) => flatten((p['VpcConfig'] as Json)['SubnetIds']).includes('subnet-0ab2aaaa'))!;
    expect((us.p['VpcConfig'] as Json)['SecurityGroupIds']).toEqual(['sg-0ab22222']);
    expect(env(us.p)).toMatchObject({ HARDLINE_REACH_PRIVATE_ENDPOINTS: 'true', HARDLINE_REACHABLE_VPCS: 'vpc-0c333333,vpc-0c444444' });
    const eu = fns.find((f) => f !== us)!;
    expect(env(eu.p)['HARDLINE_REACH_PRIVATE_ENDPOINTS']).toBe('true');
    expect(env(eu.p)['HARDLINE_REACHABLE_VPCS']).toBeUndefined();
  });

  it('the map routes clusters by $.item.target.region: us-east-1 to its function, every other region to the home one', () => {
    const map = (stateMachineDefinition(template)['States'] as Record<string, Json>)['ScanTargets']!;
    const inner = (map['ItemProcessor'] as Json)['States'] as Record<string, Json>;
    expect(inner['ByTargetKind']).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.item.failure', IsPresent: true, Next: 'CarryDiscoveryFailure' },
        { Variable: '$.item.target.kind', StringEquals: 'registry', Next: 'ScanRegistry' },
        { Variable: '$.item.target.region', StringEquals: 'us-east-1', Next: 'ScanCluster-us-east-1' },
      ],
      Default: 'ScanCluster',
    });
    const [euFn, usFn] = ['ScanCluster', 'ScanCluster-us-east-1'].map((state) => String(inner[state]!['Resource']));
    const ids = scanClusters().map(({ id }) => id);
    const usId = ids.find((id) => id.includes('UsEast1'))!;
    const euId = ids.find((id) => id !== usId)!;
    expect(usFn).toContain(usId);
    expect(euFn).toContain(euId);
    expect(inner['ScanCluster-us-east-1']).toMatchObject({
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RecordStepFailure' }],
      Retry: inner['ScanCluster']!['Retry'],
    });
  });

  it('a network for a region that is not scanned is refused (nothing would ever be routed to it)', () => {
    expect(() => parseSettings({ regions: 'eu-west-1', regionNetworks: { 'ap-south-1': US } })).toThrow(
      /regionNetworks\.ap-south-1: ap-south-1 is not in regions/,
    );
    expect(() => parseSettings({ regions: 'eu-west-1', regionNetworks: { 'eu-west-1': { ...US, extra: 1 } } })).toThrow(/regionNetworks/);
  });
});
