import { parse as parseYaml } from 'yaml';
import { asNumber, asRecord, asRecords, asString } from '../../inventory/read.js';

/** One output of a log forwarder's configuration. */
export interface LogOutput {
  plugin: string;
  /** `fluent-bit.conf [OUTPUT] #1`: where it was found, for evidence. */
  where: string;
  /** Ships logs off the node (not stdout, null, counter or a local file). */
  forwards: boolean;
  retry: RetryVerdict;
}

export type RetryVerdict = { ok: true; text: string } | { ok: false; text: string };

/** Outputs that keep logs on the node or drop them: never a SIEM. */
const LOCAL_OUTPUTS = new Set(['stdout', 'null', 'counter', 'file', 'exit', 'flowcounter']);
/** Fluentd directives that route to other outputs rather than ship anything themselves. */
const FLUENTD_ROUTERS = new Set(['copy', 'relabel', 'rewrite_tag_filter', 'route', 'forest', 'multi_format']);

/**
 * Fluent Bit `Retry_Limit`: a positive number bounds retries. `False`/`no_limits` retry forever
 * (a dead SIEM endpoint then grows the buffer until logs are dropped anyway), `no_retries` or 0
 * drop a chunk at the first failure. Unset means Fluent Bit's default of a single retry, which a
 * brief SIEM outage already exhausts — hardline asks for an explicit, bounded limit.
 */
export function fluentBitRetry(value: string | undefined): RetryVerdict {
  if (value === undefined) return { ok: false, text: 'Retry_Limit not set (Fluent Bit default: 1 retry, then the chunk is dropped)' };
  const v = value.trim();
  if (/^(false|no_limits|off)$/i.test(v)) return { ok: false, text: `Retry_Limit ${v}: unlimited retries` };
  if (/^no_retries$/i.test(v)) return { ok: false, text: `Retry_Limit ${v}: no retries` };
  const n = asNumber(v);
  if (n === undefined) return { ok: false, text: `Retry_Limit ${v} is not a number` };
  return n > 0 ? { ok: true, text: `Retry_Limit ${n}` } : { ok: false, text: `Retry_Limit ${n}: no retries` };
}

/** Fluent Bit classic format: `[OUTPUT]` sections of `Key Value` lines. */
function fluentBitClassic(text: string, file: string): LogOutput[] {
  const outputs: LogOutput[] = [];
  let section: string | undefined;
  let current: Map<string, string> | undefined;
  const flush = () => {
    if (section === 'OUTPUT' && current) {
      const plugin = (current.get('name') ?? '?').toLowerCase();
      outputs.push({
        plugin,
        where: `${file} [OUTPUT] #${outputs.length + 1}`,
        forwards: !LOCAL_OUTPUTS.has(plugin),
        retry: fluentBitRetry(current.get('retry_limit')),
      });
    }
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const header = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (header) {
      flush();
      section = header[1]!.toUpperCase();
      current = new Map();
      continue;
    }
    const kv = /^(\S+)\s+(.*)$/.exec(line);
    if (kv && current) current.set(kv[1]!.toLowerCase(), kv[2]!.trim());
  }
  flush();
  return outputs;
}

/** Fluent Bit YAML format: `pipeline.outputs[]`. */
function fluentBitYaml(text: string, file: string): LogOutput[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return [];
  }
  return asRecords(asRecord(asRecord(doc)?.['pipeline'])?.['outputs']).map((o, i) => {
    const lower = new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
    const plugin = (asString(lower.get('name')) ?? '?').toLowerCase();
    const retry = lower.get('retry_limit');
    return {
      plugin,
      where: `${file} pipeline.outputs[${i}]`,
      forwards: !LOCAL_OUTPUTS.has(plugin),
      retry: fluentBitRetry(retry === undefined ? undefined : String(retry)),
    };
  });
}

interface Directive {
  name: string;
  params: Map<string, string>;
  children: Directive[];
}

function parseFluentdDirectives(text: string): Directive[] {
  const root: Directive = { name: 'root', params: new Map(), children: [] };
  const stack = [root];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const close = /^<\/([A-Za-z_]+)>$/.exec(line);
    if (close) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const open = /^<([A-Za-z_]+)(?:\s+[^>]*)?>$/.exec(line);
    if (open) {
      const d: Directive = { name: open[1]!.toLowerCase(), params: new Map(), children: [] };
      stack[stack.length - 1]!.children.push(d);
      stack.push(d);
      continue;
    }
    const kv = /^(@?[A-Za-z_]+)\s+(.*)$/.exec(line);
    if (kv) stack[stack.length - 1]!.params.set(kv[1]!.toLowerCase(), kv[2]!.trim().replace(/^["']|["']$/g, ''));
  }
  return root.children;
}

/**
 * Fluentd buffered outputs retry with exponential backoff until `retry_timeout` (72h) by default:
 * bounded and enabled. `retry_forever true` or `retry_max_times 0` is not.
 */
function fluentdRetry(match: Directive): RetryVerdict {
  const buffer = match.children.find((c) => c.name === 'buffer');
  const get = (k: string) => buffer?.params.get(k) ?? match.params.get(k);
  if (/^true$/i.test(get('retry_forever') ?? '')) return { ok: false, text: 'retry_forever true: unlimited retries' };
  const max = get('retry_max_times');
  if (max !== undefined) {
    const n = asNumber(max);
    return n !== undefined && n > 0
      ? { ok: true, text: `retry_max_times ${n}` }
      : { ok: false, text: `retry_max_times ${max}: no retries` };
  }
  return { ok: true, text: `retries with backoff until retry_timeout ${get('retry_timeout') ?? '72h (default)'}` };
}

function fluentdOutputs(text: string, file: string): LogOutput[] {
  const outputs: LogOutput[] = [];
  const visit = (d: Directive, path: string) => {
    if (d.name === 'label') {
      d.children.forEach((c) => visit(c, `${path} <label>`));
      return;
    }
    if (d.name !== 'match' && d.name !== 'store') return;
    const type = (d.params.get('@type') ?? d.params.get('type') ?? '?').toLowerCase();
    if (FLUENTD_ROUTERS.has(type)) {
      d.children.filter((c) => c.name === 'store').forEach((c) => visit(c, `${path} <${d.name} ${type}>`));
      return;
    }
    outputs.push({
      plugin: type,
      where: `${file}${path} <${d.name}> #${outputs.length + 1}`,
      forwards: !LOCAL_OUTPUTS.has(type),
      retry: fluentdRetry(d),
    });
  };
  parseFluentdDirectives(text).forEach((d) => visit(d, ''));
  return outputs;
}

/** The outputs of one config file, in whichever format it is written. */
export function parseLogOutputs(engine: 'fluent-bit' | 'fluentd', text: string, file: string): LogOutput[] {
  if (engine === 'fluentd' || /<match\s/.test(text)) return fluentdOutputs(text, file);
  if (/^\s*\[OUTPUT\]/im.test(text)) return fluentBitClassic(text, file);
  if (/^pipeline\s*:/m.test(text)) return fluentBitYaml(text, file);
  return [];
}
