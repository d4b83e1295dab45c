import type { Evidence } from '../controls/types.js';
import { redact } from './credentials.js';

export { redact } from './credentials.js';

export function redactEvidence(evidence: Evidence): Evidence {
  const out: Evidence = {};
  for (const [k, v] of Object.entries(evidence)) {
    out[k] = typeof v === 'string' ? redact(v) : Array.isArray(v) ? v.map(redact) : v;
  }
  return out;
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
