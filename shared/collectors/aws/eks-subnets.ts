import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EksSubnet } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';

/**
 * The subnets nodegroups launch into and whether they hand out public IPv4 addresses
 * (MapPublicIpOnLaunch). A subnet-id filter rather than SubnetIds: one deleted subnet must not
 * turn the whole answer into InvalidSubnetID.NotFound; a missing one is simply not in the list.
 */
export async function collectSubnets(
  ec2Client: () => Promise<EC2Client>,
  subnetIds: readonly string[],
): Promise<{ subnets?: EksSubnet[]; gaps: Gap[] }> {
  const ids = [...new Set(subnetIds)].sort();
  if (ids.length === 0) return { subnets: [], gaps: [] };
  const subnets: EksSubnet[] = [];
  try {
    // Loaded lazily like every EC2 use: the module is the Lambda runtime's, not in the bundle.
    const [ec2, { paginateDescribeSubnets }] = await Promise.all([ec2Client(), import('@aws-sdk/client-ec2')]);
    for await (const page of paginateDescribeSubnets({ client: ec2 }, { Filters: [{ Name: 'subnet-id', Values: ids }] })) {
      for (const s of page.Subnets ?? []) {
        if (!s.SubnetId) continue;
        const subnet: EksSubnet = { subnetId: s.SubnetId };
        if (typeof s.MapPublicIpOnLaunch === 'boolean') subnet.mapPublicIpOnLaunch = s.MapPublicIpOnLaunch;
        if (s.VpcId) subnet.vpcId = s.VpcId;
        if (s.AvailabilityZone) subnet.availabilityZone = s.AvailabilityZone;
        subnets.push(subnet);
      }
    }
  } catch (e) {
    return { gaps: [gapFrom('ec2:subnets', e, `DescribeSubnets (${ids.length} nodegroup subnets)`)] };
  }
  return { subnets: subnets.sort((a, b) => a.subnetId.localeCompare(b.subnetId)), gaps: [] };
}
