import { objectRef } from '../../inventory/objects.js';
import { logForwarders } from '../../policy/logging/forwarders.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

export const loggingForwarderSiem = defineControl(
  {
    id: 'logging.forwarder-siem',
    title: 'A log forwarder must ship container logs off the cluster (SIEM)',
    severity: 'medium',
    category: 'Audit logging and threat detection',
    scope: 'cluster',
    frameworks: { nsa: 'Audit logging and threat detection: SIEM' },
    rationale:
      'Container logs vanish with the pod or node. NSA/CISA: forward logs to an external SIEM so an incident can be investigated and an attacker cannot erase the trail.',
    remediation:
      'Run Fluent Bit (e.g. aws-for-fluent-bit) or Fluentd as a DaemonSet with an output to CloudWatch Logs, OpenSearch, Splunk, Kinesis Firehose or your SIEM (not stdout/null).',
  },
  {
    reads: ['DaemonSet', 'ConfigMap'],
    requires: ['DaemonSet'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const forwarders = logForwarders(ctx);
      if (forwarders.length === 0) {
        out.push(
          ctx.outcome(
            'FAIL',
            clusterRef(ctx),
            'no log forwarder: no Fluent Bit or Fluentd DaemonSet (and no EKS Fargate logging configuration) in the inventory',
          ),
        );
        return out;
      }
      for (const f of forwarders) {
        const ref = objectRef(f.object);
        const shipping = f.outputs.filter((o) => o.forwards);
        const evidence = {
          engine: f.engine,
          outputs: f.outputs.map((o) => `${o.plugin} (${o.where})`),
          ...(f.missingConfigMaps.length > 0 ? { missingConfigMaps: f.missingConfigMaps } : {}),
        };
        if (shipping.length > 0) {
          out.push(
            ctx.outcome('PASS', ref, `${f.label} forwards logs to ${[...new Set(shipping.map((o) => o.plugin))].join(', ')}`, evidence),
          );
        } else if (f.outputs.length > 0) {
          out.push(
            ctx.outcome(
              'FAIL',
              ref,
              `${f.label} only writes logs locally (${[...new Set(f.outputs.map((o) => o.plugin))].join(', ')}): nothing leaves the node`,
              evidence,
            ),
          );
        } else if (f.missingConfigMaps.length > 0) {
          out.push(
            ctx.outcome(
              'UNKNOWN',
              ref,
              `${f.label} mounts config ConfigMap ${f.missingConfigMaps.join(', ')}, which is not in the inventory, so its outputs are unknown`,
              evidence,
            ),
          );
        } else {
          out.push(
            ctx.outcome(
              'UNKNOWN',
              ref,
              `${f.label} has no visible output configuration (no mounted ConfigMap with outputs, no -o argument); it may use the image's built-in config`,
              evidence,
            ),
          );
        }
      }
      return out;
    },
  },
);
