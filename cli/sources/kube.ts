import type { TargetInput } from '../../shared/engine/scan.js';
import { UsageError } from '../../shared/errors.js';
import type { Progress } from '../progress.js';

export interface KubeSourceFlags {
  context?: string;
  allContexts?: boolean;
  kubeconfig?: string;
}

/** Live clusters from a kubeconfig: one target per context. (Implemented by the live-scanning issue.) */
export async function collectKubeTargets(_flags: KubeSourceFlags, _progress: Progress): Promise<TargetInput[]> {
  throw new UsageError('scanning a live cluster (--context/--all-contexts) is not available in this build yet');
}
