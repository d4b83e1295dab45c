import { asRecord, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

const ACCESS_ENTRY_MODES = new Set(['API', 'API_AND_CONFIG_MAP']);

export const authenticationMode = defineControl(
  {
    id: 'eks.authentication-mode',
    title: 'The cluster must use EKS access entries (authentication mode API or API_AND_CONFIG_MAP)',
    severity: 'medium',
    category: 'Authentication and authorization',
    scope: 'eks',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0285'],
      cis: ['4.1.7'],
    },
    match: [
      { ref: 'KS C-0285', match: 'same' },
      { ref: 'CIS 4.1.7', match: 'same', note: '4.1.7 as numbered since v1.7.0' },
    ],
    rationale:
      'In CONFIG_MAP mode the only map from IAM principals to Kubernetes identities is the aws-auth ConfigMap: anyone who can edit ' +
      'one object in kube-system can grant cluster access, a typo can lock everyone out, and the mapping is invisible to IAM and ' +
      'CloudTrail. Access entries are managed through the EKS API, audited in CloudTrail and governed by IAM policy. ' +
      'API_AND_CONFIG_MAP passes as the migration step; API alone retires aws-auth.',
    remediation:
      'aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API_AND_CONFIG_MAP, recreate the aws-auth ' +
      'mappings as access entries (aws eks create-access-entry …), then move to authenticationMode=API.',
  },
  judgeEksCluster({}, function* ({ ctx, cluster, ref }) {
    const mode = asString(asRecord(cluster['accessConfig'])?.['authenticationMode']);
    if (!mode) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no accessConfig.authenticationMode');
      return;
    }
    const evidence = { authenticationMode: mode };
    if (ACCESS_ENTRY_MODES.has(mode)) {
      yield ctx.outcome('PASS', ref, `authentication mode ${mode}: access entries are in use`, evidence);
      return;
    }
    if (mode === 'CONFIG_MAP') {
      yield ctx.outcome(
        'FAIL',
        ref,
        'authentication mode CONFIG_MAP: cluster access is granted only through the aws-auth ConfigMap',
        evidence,
      );
      return;
    }
    yield ctx.outcome('UNKNOWN', ref, `authentication mode ${mode} is not one hardline knows`, evidence);
  }),
);
