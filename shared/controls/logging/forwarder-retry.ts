import { objectRef } from '../../inventory/objects.js';
import { logForwarders } from '../../policy/logging/forwarders.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

export const loggingForwarderRetry = defineControl(
  {
    id: 'logging.forwarder-retry',
    title: 'Log forwarder outputs must retry failed deliveries a bounded number of times',
    severity: 'low',
    category: 'Audit logging and threat detection',
    scope: 'cluster',
    frameworks: { nsa: 'Audit logging and threat detection: fault tolerance' },
    rationale:
      'A SIEM endpoint is sometimes unavailable. Without retries logs are lost at the first failure; with unlimited retries the buffer grows until the forwarder drops logs anyway. NSA/CISA: keep logging fault tolerant.',
    remediation:
      'Set `Retry_Limit` to a positive number (e.g. 5–15) on every Fluent Bit [OUTPUT]; for Fluentd keep retry_forever off and retry_max_times > 0 (or the default retry_timeout).',
  },
  {
    reads: ['DaemonSet', 'ConfigMap'],
    requires: ['DaemonSet'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const forwarders = logForwarders(ctx);
      if (forwarders.length === 0) {
        out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no log forwarder in the inventory (see logging.forwarder-siem)'));
        return out;
      }
      for (const f of forwarders) {
        const ref = objectRef(f.object);
        const shipping = f.outputs.filter((o) => o.forwards);
        if (shipping.length === 0) {
          if (f.outputs.length === 0 && f.missingConfigMaps.length > 0) {
            out.push(
              ctx.outcome(
                'UNKNOWN',
                ref,
                `${f.label} mounts config ConfigMap ${f.missingConfigMaps.join(', ')}, which is not in the inventory`,
              ),
            );
          } else out.push(ctx.outcome('NOT_APPLICABLE', ref, `${f.label} has no output that forwards logs (see logging.forwarder-siem)`));
          continue;
        }
        const bad = shipping.filter((o) => !o.retry.ok);
        const evidence = { outputs: shipping.map((o) => `${o.plugin} (${o.where}): ${o.retry.text}`) };
        if (bad.length === 0)
          out.push(
            ctx.outcome(
              'PASS',
              ref,
              `${f.label} retries failed deliveries a bounded number of times (${shipping.map((o) => `${o.plugin}: ${o.retry.text}`).join('; ')})`,
              evidence,
            ),
          );
        else
          out.push(
            ctx.outcome(
              'FAIL',
              ref,
              `${f.label}: ${bad.map((o) => `output ${o.plugin} (${o.where}) has ${o.retry.text}`).join('; ')}`,
              evidence,
            ),
          );
      }
      return out;
    },
  },
);
