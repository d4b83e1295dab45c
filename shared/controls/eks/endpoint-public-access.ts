import { asRecord, asStrings, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

/** A CIDR with prefix length 0 is the whole address space (0.0.0.0/0, ::/0, or an odd 10.0.0.0/0). */
function isOpenCidr(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

export const endpointPublicAccess = defineControl(
  {
    id: 'eks.endpoint-public-access',
    title: 'The cluster API endpoint must not be reachable from the whole internet',
    severity: 'high',
    category: 'Control plane',
    scope: 'eks',
    frameworks: { nsa: 'Control plane hardening', kubescape: ['C-0227', 'C-0228'], cis: ['5.4.1', '5.4.2'], securityHub: ['EKS.1'] },
    rationale:
      'A public endpoint open to 0.0.0.0/0 exposes the Kubernetes API (and every future authentication or API-server vulnerability) to anyone. ' +
      'A private endpoint, or a public one limited to known CIDRs, keeps it to the networks that need it. EKS treats a public endpoint with no CIDR list as 0.0.0.0/0.',
    remediation:
      'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false ' +
      '(or publicAccessCidrs=<office/CI ranges>).',
  },
  judgeEksCluster({ requires: [] }, function* ({ ctx, cluster, ref }) {
    const vpc = asRecord(cluster['resourcesVpcConfig']);
    if (!vpc) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no resourcesVpcConfig');
      return;
    }
    const isPublic = isTrue(vpc['endpointPublicAccess']);
    const isPrivate = isTrue(vpc['endpointPrivateAccess']);
    const cidrs = asStrings(vpc['publicAccessCidrs']);
    const evidence = { endpointPublicAccess: isPublic, endpointPrivateAccess: isPrivate, publicAccessCidrs: cidrs };
    if (!isPublic) {
      yield ctx.outcome('PASS', ref, 'the API endpoint is private only', evidence);
      return;
    }
    const open = cidrs.length === 0 ? ['0.0.0.0/0 (default)'] : cidrs.filter(isOpenCidr);
    if (open.length > 0) {
      yield ctx.outcome('FAIL', ref, `the API endpoint is public and open to ${open.join(', ')}`, evidence);
      return;
    }
    yield ctx.outcome('PASS', ref, `the public API endpoint is limited to ${cidrs.length} CIDR range(s)`, evidence);
  }),
);
