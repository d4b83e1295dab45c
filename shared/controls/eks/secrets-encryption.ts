import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import { defineEksControl } from './define.js';

export const secretsEncryption = defineEksControl(
  {
    id: 'eks.secrets-encryption',
    title: 'Kubernetes Secrets must be envelope-encrypted with a KMS key',
    severity: 'medium',
    category: 'Secrets',
    frameworks: { nsa: 'Network separation: secrets / etcd', kubescape: ['C-0066'], cis: ['5.3.1'], securityHub: ['EKS.3'] },
    rationale:
      'Envelope encryption with a customer KMS key (encryptionConfig for "secrets") means a copy of etcd is useless without the key, ' +
      'and key use is logged and revocable. EKS default encryption with an AWS-owned key gives neither control nor audit, so only a key ARN in encryptionConfig passes.',
    remediation: 'aws eks associate-encryption-config --cluster-name <cluster> --encryption-config resources=secrets,provider={keyArn=<kms key arn>}',
  },
  {},
  function* ({ cluster, ref }) {
    const configs = asRecords(cluster['encryptionConfig']);
    const forSecrets = configs.find(
      (c) => asStrings(c['resources']).includes('secrets') && (asString(asRecord(c['provider'])?.['keyArn']) ?? '') !== '',
    );
    if (forSecrets) {
      const keyArn = asString(asRecord(forSecrets['provider'])?.['keyArn']);
      yield { status: 'PASS', resource: ref, message: 'Secrets are envelope-encrypted with a KMS key', evidence: { keyArn } };
      return;
    }
    yield {
      status: 'FAIL',
      resource: ref,
      message: 'Secrets are not envelope-encrypted with a KMS key (no encryptionConfig for "secrets")',
      evidence: { encryptionConfigEntries: configs.length },
    };
  },
);
