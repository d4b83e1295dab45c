import type { InventoryIndex } from '../../inventory/indexed.js';
import { describeObject } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { toWorkload } from '../../inventory/workloads.js';
import type { PolicyContext } from '../context.js';
import { parseLogOutputs, fluentBitRetry, type LogOutput } from './config.js';

export type ForwarderEngine = 'fluent-bit' | 'fluentd';

/** A node log forwarder (a DaemonSet, or EKS Fargate's built-in Fluent Bit) and what its config says. */
export interface LogForwarder {
  object: KubeObject;
  label: string;
  engine: ForwarderEngine;
  outputs: LogOutput[];
  /** Config ConfigMaps the pod mounts that are not in the inventory. */
  missingConfigMaps: string[];
  /** Where the outputs were read from; empty when the config is not visible (baked into the image). */
  configSources: string[];
}

function engineOf(image: string, name: string): ForwarderEngine | undefined {
  const s = `${image} ${name}`.toLowerCase();
  if (/fluent-?bit/.test(s)) return 'fluent-bit';
  if (/fluentd/.test(s)) return 'fluentd';
  return undefined;
}

/** `-o es`, `--output=es`: Fluent Bit outputs given on the command line. */
function cliOutputs(args: string[], where: string): LogOutput[] {
  const out: LogOutput[] = [];
  args.forEach((a, i) => {
    const m = /^(?:-o|--output)(?:=(.+))?$/.exec(a);
    const plugin = m ? (m[1] ?? args[i + 1]) : undefined;
    if (plugin)
      out.push({
        plugin: plugin.toLowerCase(),
        where: `${where} args`,
        forwards: !['stdout', 'null', 'counter', 'file'].includes(plugin.toLowerCase()),
        retry: fluentBitRetry(undefined),
      });
  });
  return out;
}

function configMapNames(podSpec: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const v of asRecords(podSpec['volumes'])) {
    const cm = asString(asRecord(v['configMap'])?.['name']);
    if (cm) names.push(cm);
    for (const src of asRecords(getPath(v, 'projected', 'sources'))) {
      const p = asString(asRecord(src['configMap'])?.['name']);
      if (p) names.push(p);
    }
  }
  return [...new Set(names)];
}

function outputsOfConfigMap(cm: KubeObject, engine: ForwarderEngine): LogOutput[] {
  const data = asRecord(cm['data']) ?? {};
  return Object.entries(data).flatMap(([key, value]) =>
    typeof value === 'string' ? parseLogOutputs(engine, value, `${describeObject(cm)} ${key}`) : [],
  );
}

const cache = new WeakMap<InventoryIndex, LogForwarder[]>();

/**
 * Fluent Bit / Fluentd DaemonSets with the outputs of the ConfigMaps they mount (same namespace),
 * plus EKS Fargate logging (ConfigMap aws-observability/aws-logging), computed once per scan.
 */
export function logForwarders(ctx: PolicyContext): LogForwarder[] {
  const cached = cache.get(ctx.index);
  if (cached) return cached;
  const list: LogForwarder[] = [];
  for (const ds of ctx.index.byKind('DaemonSet')) {
    const w = toWorkload(ds);
    if (!w) continue;
    const agent = w.containers
      .map((c) => ({ c, engine: engineOf(asString(c.spec['image']) ?? '', c.name) }))
      .find((x) => x.engine !== undefined);
    if (!agent?.engine) continue;
    const outputs: LogOutput[] = [];
    const missing: string[] = [];
    const sources: string[] = [];
    for (const name of configMapNames(w.podSpec)) {
      const cm = ctx.index.find('ConfigMap', w.namespace, name);
      if (!cm) {
        missing.push(`${w.namespace}/${name}`);
        continue;
      }
      const found = outputsOfConfigMap(cm, agent.engine);
      if (found.length > 0) sources.push(describeObject(cm));
      outputs.push(...found);
    }
    const args = [...asStrings(agent.c.spec['command']), ...asStrings(agent.c.spec['args'])];
    const fromArgs = cliOutputs(args, `${describeObject(ds)} container ${agent.c.name}`);
    if (fromArgs.length > 0) sources.push(`${describeObject(ds)} container args`);
    outputs.push(...fromArgs);
    list.push({ object: ds, label: describeObject(ds), engine: agent.engine, outputs, missingConfigMaps: missing, configSources: sources });
  }
  const fargate = ctx.index.find('ConfigMap', 'aws-observability', 'aws-logging');
  if (fargate) {
    const outputs = outputsOfConfigMap(fargate, 'fluent-bit');
    list.push({
      object: fargate,
      label: `${describeObject(fargate)} (EKS Fargate logging)`,
      engine: 'fluent-bit',
      outputs,
      missingConfigMaps: [],
      configSources: outputs.length > 0 ? [describeObject(fargate)] : [],
    });
  }
  cache.set(ctx.index, list);
  return list;
}
