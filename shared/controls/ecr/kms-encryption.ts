import { asRecord, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeRepositories } from './repositories.js';

export const kmsEncryption = defineControl(
  {
    id: 'ecr.kms-encryption',
    title: 'Repositories must be encrypted with KMS',
    severity: 'low',
    category: 'Images',
    scope: 'ecr',
    frameworks: { securityHub: ['ECR.5'] },
    rationale:
      'KMS encryption puts image layers under a key whose use is logged in CloudTrail and can be restricted or revoked; AES256 ' +
      '(S3-managed keys) offers neither. KMS and KMS_DSSE (dual-layer KMS, stricter still) pass; AES256 fails. The key is shown so ' +
      'the AWS-managed aws/ecr key can be told from a customer-managed one.',
    remediation:
      'Encryption is fixed at creation: create a new repository with --encryption-configuration encryptionType=KMS,kmsKey=<key arn> and move images.',
  },
  judgeRepositories(['ecr:repositories'], ({ ctx, repo, name, ref }) => {
    const enc = asRecord(repo['encryptionConfiguration']);
    const type = asString(enc?.['encryptionType']);
    const kmsKey = asString(enc?.['kmsKey']);
    const evidence = { encryptionType: type ?? null, kmsKey };
    if (type === 'KMS' || type === 'KMS_DSSE') {
      return ctx.outcome('PASS', ref, `encrypted with ${type}${kmsKey ? ` (${kmsKey})` : ' (AWS-managed key)'}`, evidence);
    }
    if (type === 'AES256') return ctx.outcome('FAIL', ref, `repository ${name} uses AES256 (S3-managed keys), not KMS`, evidence);
    return ctx.outcome('UNKNOWN', ref, `repository ${name} reports no known encryption type`, evidence);
  }),
);
