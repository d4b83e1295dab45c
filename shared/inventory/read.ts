/**
 * Defensive readers for untrusted JSON. Objects from manifests can hold any type in any field; a
 * control reads through these so an odd object is judged by what it holds, never crashes a scan.
 */
export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The records of a list that `keep` accepts, in order; undefined when none does, and then nothing is
 * built (a check over every pod mostly finds nothing).
 */
export function recordsWhere(value: unknown, keep: (record: JsonRecord) => boolean): JsonRecord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  let kept: JsonRecord[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const r = asRecord(value[i]);
    if (r && keep(r)) (kept ??= []).push(r);
  }
  return kept;
}

export function asRecords(value: unknown): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (const item of asArray(value)) {
    const r = asRecord(item);
    if (r) out.push(r);
  }
  return out;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asStrings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Kubernetes booleans: `true`, or the string "true" a templating tool may leave behind. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * Walks a dotted path through records: `get(obj, 'spec', 'template', 'spec')`. Up to five keys as
 * plain parameters: it runs for every container of every control, and a rest array per call was
 * a measurable share of a large scan's garbage.
 */
export function getPath(value: unknown, k1: string, k2?: string, k3?: string, k4?: string, k5?: string): unknown {
  let cur = child(value, k1);
  if (k2 === undefined || cur === undefined) return cur;
  cur = child(cur, k2);
  if (k3 === undefined || cur === undefined) return cur;
  cur = child(cur, k3);
  if (k4 === undefined || cur === undefined) return cur;
  cur = child(cur, k4);
  if (k5 === undefined || cur === undefined) return cur;
  return child(cur, k5);
}

function child(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord)[key] : undefined;
}
