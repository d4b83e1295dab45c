import { Annotations, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HardlineSettings, VpcSettings } from '../config.js';
import { ScannerFunction } from './scanner-function.js';

export interface ClusterScanners {
  /** Serves every region without a network of its own (in `vpc` when configured). */
  home: ScannerFunction;
  /** One per `regionNetworks` entry; the state machine routes that region's clusters to it. */
  byRegion: { region: string; fn: ScannerFunction }[];
}

/**
 * The scan-cluster functions. Lambda can only sit in VPCs of its own region, so "a function per
 * region" is a function in the stack's region per configured network, each attached to subnets
 * with a route (peering or Transit Gateway) to that region's cluster VPCs. They share one role —
 * the `<prefix>-cluster` name member accounts trust — and each gets the reserved concurrency,
 * since the Map may send all of its items to any one of them.
 */
export function clusterScanners(
  scope: Construct,
  s: HardlineSettings,
  common: { logRetention: logs.RetentionDays; environment: Record<string, string> },
): ClusterScanners {
  const scanner = (id: string, net: VpcSettings | undefined, sharedRole?: iam.Role) =>
    new ScannerFunction(scope, id, {
      ...common,
      entryName: 'scan-cluster',
      roleName: `${s.scannerRolePrefix}-cluster`,
      ...(sharedRole ? { sharedRole } : {}),
      // 1769 MB = one full vCPU: evaluation of a large cluster is CPU-bound.
      memorySize: 1769,
      timeout: Duration.minutes(10),
      // At least the Map's concurrency, so Lambda never throttles a map item for want of concurrency.
      reservedConcurrentExecutions: s.scanClusterReservedConcurrency,
      ...(net ? vpcPlacement(scope, net, id === 'ScanCluster' ? '' : id) : {}),
      environment: {
        ...common.environment,
        HARDLINE_REACH_PRIVATE_ENDPOINTS: net ? 'true' : 'false',
        ...(net?.clusterVpcIds ? { HARDLINE_REACHABLE_VPCS: net.clusterVpcIds.join(',') } : {}),
      },
    });
  const home = scanner('ScanCluster', s.vpc);
  const byRegion = Object.entries(s.regionNetworks).map(([region, net]) => ({
    region,
    fn: scanner(`ScanCluster${regionId(region)}`, net, home.executionRole),
  }));
  // Lambda needs subnet ids only; route tables are the network's business, not read here.
  Annotations.of(scope).acknowledgeWarning(
    '@aws-cdk/aws-ec2:noSubnetRouteTableId',
    'imported subnets are only handed to Lambda; their route tables are never read',
  );
  return { home, byRegion };
}

/** `us-east-1` → `UsEast1`, for construct ids. */
export function regionId(region: string): string {
  return region
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** scan-cluster inside a VPC (private API endpoints): HTTPS out to the API servers and AWS endpoints only. */
function vpcPlacement(
  scope: Construct,
  v: VpcSettings,
  prefix: string,
): { vpc: ec2.IVpc; vpcSubnets: ec2.SubnetSelection; securityGroups: ec2.ISecurityGroup[] } {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, `${prefix}ClusterVpc`, {
    vpcId: v.vpcId,
    availabilityZones: v.availabilityZones,
    privateSubnetIds: v.subnetIds,
  });
  let securityGroups: ec2.ISecurityGroup[];
  if (v.securityGroupIds) {
    securityGroups = v.securityGroupIds.map((sg, i) =>
      ec2.SecurityGroup.fromSecurityGroupId(scope, `${prefix}ScanClusterSecurityGroup${i}`, sg, { mutable: false }),
    );
  } else {
    const sg = new ec2.SecurityGroup(scope, `${prefix}ScanClusterSecurityGroup`, {
      vpc,
      description: 'hardline scan-cluster: HTTPS to EKS API servers and AWS endpoints',
      allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the EKS API servers and AWS service endpoints');
    securityGroups = [sg];
  }
  const subnets = v.subnetIds.map((id, i) =>
    ec2.Subnet.fromSubnetAttributes(scope, `${prefix}Subnet${i}`, {
      subnetId: id,
      availabilityZone: v.availabilityZones[i % v.availabilityZones.length]!,
    }),
  );
  return { vpc, vpcSubnets: { subnets }, securityGroups };
}
