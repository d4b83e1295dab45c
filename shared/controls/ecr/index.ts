import type { Control } from '../types.js';
import { kmsEncryption } from './kms-encryption.js';
import { latestImageVulnerabilities } from './latest-image-vulnerabilities.js';
import { lifecyclePolicy } from './lifecycle-policy.js';
import { publicPolicy } from './public-policy.js';
import { runningImageVulnerabilities } from './running-image-vulnerabilities.js';
import { scanOnPush } from './scan-on-push.js';
import { tagImmutability } from './tag-immutability.js';

/** ecr controls, in report order. */
export const ecrControls: readonly Control[] = [
  tagImmutability,
  scanOnPush,
  lifecyclePolicy,
  kmsEncryption,
  publicPolicy,
  runningImageVulnerabilities,
  latestImageVulnerabilities,
];
