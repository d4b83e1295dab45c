import { getPath } from '../../inventory/read.js';
import type { ContainerRef } from '../../inventory/workloads.js';
import { containerField, type VerdictOrPass } from './walk.js';

/** cpu and memory under resources.limits / resources.requests; ephemeral containers cannot set them. */
export function resourceVerdict(c: ContainerRef, section: 'limits' | 'requests'): VerdictOrPass {
  if (c.type === 'ephemeralContainer') {
    return { status: 'NOT_APPLICABLE', message: `ephemeral container '${c.name}' cannot set resources` };
  }
  const missing = ['cpu', 'memory'].filter((r) => {
    const v = getPath(c.spec, 'resources', section, r);
    return v === undefined || v === null || v === '';
  });
  return missing.length === 0
    ? undefined
    : {
        message: `${c.type} '${c.name}' has no ${missing.join(' or ')} ${section === 'limits' ? 'limit' : 'request'}`,
        evidence: { field: containerField(c, `resources.${section}`), missing },
      };
}
