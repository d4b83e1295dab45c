import type { Evidence } from '../core/types.js';
import { redact } from './credentials.js';

export { redact } from './credentials.js';

/** Redacted copy of evidence, or the same object when nothing in it needed redaction (the common case). */
export function redactEvidence(evidence: Evidence): Evidence {
  let out: Evidence | undefined;
  for (const k in evidence) {
    const v = evidence[k];
    const r = typeof v === 'string' ? redact(v) : Array.isArray(v) ? redactList(v) : v;
    if (r !== v) (out ??= { ...evidence })[k] = r;
  }
  return out ?? evidence;
}

function redactList(list: string[]): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const r = redact(list[i]!);
    if (r !== list[i]) (out ??= [...list])[i] = r;
  }
  return out ?? list;
}

/** Deep redaction of any JSON value (events, store items, log payloads). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
