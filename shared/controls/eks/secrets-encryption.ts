import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

export const secretsEncryption = defineControl(
  {
    id: 'eks.secrets-encryption',
    title: 'Kubernetes Secrets must be envelope-encrypted with a KMS key',
    severity: 'medium',
    category: 'Secrets',
    scope: 'eks',
    frameworks: { nsa: 'Network separation: secrets / etcd', kubescape: ['C-0066'], cis: ['5.3.1'], securityHub: ['EKS.3'] },
    rationale:
      'Envelope encryption with a customer KMS key (encryptionConfig for "secrets") means a copy of etcd is useless without the key, ' +
      'and key use is logged and revocable. EKS default encryption with an AWS-owned key gives neither control nor audit, so only a key ARN in encryptionConfig passes.',
    remediation:
      'aws eks associate-encryption-config --cluster-name <cluster> --encryption-config resources=secrets,provider={keyArn=<kms key arn>}',
  },
  judgeEksCluster({}, function* ({ ctx, cluster, ref }) {
    const configs = asRecords(cluster['encryptionConfig']);
    const forSecrets = configs.find(
      (c) => asStrings(c['resources']).includes('secrets') && (asString(asRecord(c['provider'])?.['keyArn']) ?? '') !== '',
    );
    if (forSecrets) {
      const keyArn = asString(asRecord(forSecrets['provider'])?.['keyArn']);
      yield ctx.outcome('PASS', ref, 'Secrets are envelope-encrypted with a KMS key', { keyArn });
      return;
    }
    yield ctx.outcome('FAIL', ref, 'Secrets are not envelope-encrypted with a KMS key (no encryptionConfig for "secrets")', {
      encryptionConfigEntries: configs.length,
    });
  }),
);
