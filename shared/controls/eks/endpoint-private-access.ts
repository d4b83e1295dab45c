import { asRecord, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

export const endpointPrivateAccess = defineControl(
  {
    id: 'eks.endpoint-private-access',
    title: 'The cluster API endpoint must be reachable privately from the VPC',
    severity: 'medium',
    category: 'Control plane',
    scope: 'eks',
    frameworks: {
      nsa: 'Control plane hardening',
      kubescape: ['C-0227', 'C-0228'],
      cis: ['5.4.1', '5.4.2'],
    },
    match: [
      { ref: 'KS C-0227', match: 'same' },
      { ref: 'KS C-0228', match: 'weaker', note: 'it also fails a public endpoint (hardline: eks.endpoint-public-access)' },
      { ref: 'CIS 5.4.1', match: 'same', note: '(as C-0227)' },
      { ref: 'CIS 5.4.2', match: 'weaker', note: '(as C-0228)' },
      { ref: 'Prowler eks_cluster_private_nodes_enabled', match: 'same', note: 'despite its name it tests endpointPrivateAccess' },
    ],
    rationale:
      'With private endpoint access off, nodes and everything in the VPC reach the API server over its public endpoint: traffic ' +
      'leaves the VPC, the public endpoint cannot be closed without cutting the nodes off, and its CIDR allow-list must include the ' +
      "nodes' NAT addresses. Private access keeps node-to-control-plane traffic inside the VPC and is the precondition for turning " +
      'the public endpoint off (eks.endpoint-public-access judges that part).',
    remediation: 'aws eks update-cluster-config --name <cluster> --resources-vpc-config endpointPrivateAccess=true',
  },
  judgeEksCluster({}, function* ({ ctx, cluster, ref }) {
    const vpc = asRecord(cluster['resourcesVpcConfig']);
    if (!vpc) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no resourcesVpcConfig');
      return;
    }
    const evidence = {
      endpointPrivateAccess: isTrue(vpc['endpointPrivateAccess']),
      endpointPublicAccess: isTrue(vpc['endpointPublicAccess']),
    };
    if (evidence.endpointPrivateAccess) {
      yield ctx.outcome('PASS', ref, 'private endpoint access is on', evidence);
      return;
    }
    yield ctx.outcome('FAIL', ref, 'private endpoint access is off: nodes reach the API server over the public endpoint', evidence);
  }),
);
