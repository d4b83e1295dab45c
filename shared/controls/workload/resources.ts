import { getPath } from '../../inventory/read.js';
import type { ContainerRef } from '../../inventory/workloads.js';
import { containerField, type VerdictOrPass } from './walk.js';

/** cpu and memory under resources.limits / resources.requests; ephemeral containers cannot set them. */
export function resourceVerdict(c: ContainerRef, section: 'limits' | 'requests'): VerdictOrPass {
  if (c.type === 'ephemeralContainer') {
    return { status: 'NOT_APPLICABLE', message: `ephemeral container '${c.name}' cannot set resources` };
  }
  const noCpu = unset(getPath(c.spec, 'resources', section, 'cpu'));
  const noMemory = unset(getPath(c.spec, 'resources', section, 'memory'));
  // Nothing built for a container that sets both: most of them, in every control of a large scan.
  if (!noCpu && !noMemory) return undefined;
  const missing = noCpu && noMemory ? ['cpu', 'memory'] : noCpu ? ['cpu'] : ['memory'];
  return {
    message: `${c.type} '${c.name}' has no ${missing.join(' or ')} ${section === 'limits' ? 'limit' : 'request'}`,
    evidence: { field: containerField(c, `resources.${section}`), missing },
  };
}

const unset = (v: unknown) => v === undefined || v === null || v === '';
