/**
 * Deeper documents are rejected by name: no Kubernetes object nests this deep, and every later
 * walk (engine, redaction, canonical hashing) recurses.
 */
export const MAX_DOCUMENT_DEPTH = 200;

/** Whether a parsed value nests deeper than `limit` objects/arrays, measured without recursion. */
export function nestingExceeds(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
