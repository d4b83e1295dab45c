import { getPath } from '../../inventory/read.js';
import type { ContainerRef } from '../../inventory/workloads.js';
import type { CheckContext } from '../types.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, type VerdictOrPass } from './walk.js';

/** cpu and memory under resources.limits / resources.requests; ephemeral containers cannot set them. */
export function resourceVerdict(ctx: CheckContext, c: ContainerRef, section: 'limits' | 'requests'): VerdictOrPass {
  if (c.type === 'ephemeralContainer') return KEPT[section].container(ctx, c, 'ephemeral');
  const noCpu = unset(getPath(c.spec, 'resources', section, 'cpu'));
  const noMemory = unset(getPath(c.spec, 'resources', section, 'memory'));
  // Nothing built for a container that sets both: most of them, in every control of a large scan.
  if (!noCpu && !noMemory) return undefined;
  return KEPT[section].container(ctx, c, noCpu && noMemory ? 'cpu-memory' : noCpu ? 'cpu' : 'memory');
}

type Missing = 'cpu-memory' | 'cpu' | 'memory';

function keptVerdicts(section: 'limits' | 'requests'): KeptVerdicts<Missing | 'ephemeral'> {
  return new KeptVerdicts<Missing | 'ephemeral'>({
    container: (c, cause) => {
      if (cause === 'ephemeral') return { status: 'NOT_APPLICABLE', message: `ephemeral container '${c.name}' cannot set resources` };
      const missing = cause === 'cpu-memory' ? ['cpu', 'memory'] : [cause];
      return {
        message: `${c.type} '${c.name}' has no ${missing.join(' or ')} ${section === 'limits' ? 'limit' : 'request'}`,
        evidence: { field: containerField(c, `resources.${section}`), missing },
      };
    },
  });
}

const KEPT = { limits: keptVerdicts('limits'), requests: keptVerdicts('requests') };

const unset = (v: unknown) => v === undefined || v === null || v === '';
