import type { TargetInput } from '../../shared/engine/scan.js';
import { UsageError } from '../../shared/errors.js';
import type { Progress } from '../progress.js';

export interface AwsSourceFlags {
  aws?: boolean;
  regions?: string;
  org?: boolean;
  roleName?: string;
  externalId?: string;
}

/** EKS clusters and ECR registries of the current account (or the organisation). (Implemented by the AWS issue.) */
export async function collectAwsTargets(_flags: AwsSourceFlags, _progress: Progress): Promise<TargetInput[]> {
  throw new UsageError('scanning an AWS account (--aws) is not available in this build yet');
}
