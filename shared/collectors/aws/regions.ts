import { paginateListRegions, type AccountClient } from '@aws-sdk/client-account';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { classifyAwsError } from './errors.js';

export type RegionEnablement =
  { known: true; enabled: Set<string>; source: 'account:ListRegions' | 'ec2:DescribeRegions' } | { known: false; reason: string };

/**
 * Regions enabled in the account the clients' credentials belong to: account:ListRegions
 * (ENABLED / ENABLED_BY_DEFAULT), else EC2 DescribeRegions (which lists only enabled regions).
 * When neither is allowed the answer is "unknown" and every requested region is tried. The EC2
 * client is asked for only then (it is loaded on first use).
 */
export async function enabledRegions(clients: { account?: AccountClient; ec2?: () => Promise<EC2Client> }): Promise<RegionEnablement> {
  const reasons: string[] = [];
  if (clients.account) {
    try {
      const enabled = new Set<string>();
      for await (const page of paginateListRegions(
        { client: clients.account },
        { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
      )) {
        for (const r of page.Regions ?? []) if (r.RegionName) enabled.add(r.RegionName);
      }
      return { known: true, enabled, source: 'account:ListRegions' };
    } catch (e) {
      reasons.push(classifyAwsError(e, 'account:ListRegions').message);
    }
  }
  if (clients.ec2) {
    try {
      const [ec2, { DescribeRegionsCommand }] = await Promise.all([clients.ec2(), import('@aws-sdk/client-ec2')]);
      const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
      return {
        known: true,
        enabled: new Set((out.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : []))),
        source: 'ec2:DescribeRegions',
      };
    } catch (e) {
      reasons.push(classifyAwsError(e, 'ec2:DescribeRegions').message);
    }
  }
  return { known: false, reason: reasons.join('; ') || 'no client to ask' };
}
