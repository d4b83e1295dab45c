import { asRecord, asString, getPath } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

/** The host a probe's or hook's handler targets, when it sets one. */
function hostOf(handlerOwner: unknown, handler: (typeof HANDLERS)[number]): unknown {
  const host = getPath(handlerOwner, handler, 'host');
  return host === undefined || host === null || host === '' ? undefined : host;
}

function setsHost(handlerOwner: unknown): boolean {
  return handlerOwner !== undefined && (hostOf(handlerOwner, 'httpGet') !== undefined || hostOf(handlerOwner, 'tcpSocket') !== undefined);
}

/**
 * Whether any probe or hook sets a host, read without building anything: almost no container does.
 * Unrolled, and nothing looked up under what is absent: it runs for every container.
 */
function anyHost(spec: Record<string, unknown>): boolean {
  if (setsHost(spec['livenessProbe']) || setsHost(spec['readinessProbe']) || setsHost(spec['startupProbe'])) return true;
  const lifecycle = spec['lifecycle'];
  return lifecycle !== undefined && (setsHost(getPath(lifecycle, 'postStart')) || setsHost(getPath(lifecycle, 'preStop')));
}

export const hostProbes = defineControl(
  {
    id: 'workload.host-probes',
    title: 'Probes and lifecycle hooks must not target another host',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      pss: { level: 'baseline', check: 'Host Probes / Lifecycle Hooks', id: 'hostProbesAndHostLifecycle' },
    },
    match: [{ ref: 'PSS', match: 'same' }],
    rationale:
      'A probe or hook with `host` set makes the kubelet connect from the node to any address: a server-side request forgery primitive.',
    remediation: 'Remove the `host` field from httpGet/tcpSocket probes and lifecycle hooks; they then target the pod IP.',
  },
  judgeWorkloads({
    container: (c) => {
      if (!anyHost(c.spec)) return undefined;
      const hits: string[] = [];
      const check = (handlerOwner: unknown, path: string) => {
        for (const handler of HANDLERS) {
          const host = hostOf(handlerOwner, handler);
          if (host !== undefined) hits.push(`${path}.${handler}.host=${asString(host) ?? String(host)}`);
        }
      };
      for (const probe of PROBES) check(asRecord(c.spec[probe]), probe);
      for (const hook of HOOKS) check(getPath(c.spec, 'lifecycle', hook), `lifecycle.${hook}`);
      return hits.length === 0
        ? undefined
        : { message: `${c.type} '${c.name}' sets ${hits.join(', ')}`, evidence: { field: containerField(c, hits[0]!.split('=')[0]!) } };
    },
    passMessage: 'probes and hooks target the pod',
  }),
);
