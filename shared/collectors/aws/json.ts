/**
 * SDK output → plain JSON for the inventory: Dates become ISO strings, undefined fields vanish,
 * so a snapshot written to disk replays exactly what was collected.
 */
export function toJson<T>(value: T): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || k === '$metadata') continue;
      out[k] = toJson(v);
    }
    return out;
  }
  return value;
}

export function toJsonRecord(value: object): Record<string, unknown> {
  return toJson(value) as Record<string, unknown>;
}
