/**
 * EventBridge content filtering, for the subset of patterns hardline writes: exact values in
 * arrays, `{"exists": false}` / `{"exists": true}`, `{"prefix": …}`, nested objects. A key of the
 * pattern must match the event's value at that key; an array value in the event matches when any
 * element does. Enough to check a rule against recorded events offline (EventBridge's own
 * TestEventPattern needs the service).
 */
type Pattern = Record<string, unknown>;

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  if (!event || typeof event !== 'object') return false;
  const e = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const value = e[key];
    if (Array.isArray(rule)) return rule.some((r) => matchesValue(r, value));
    if (rule && typeof rule === 'object') return matchesPattern(rule as Pattern, value);
    throw new Error(`pattern key ${key}: a rule must be an array or an object`);
  });
}

function matchesValue(rule: unknown, value: unknown): boolean {
  if (rule && typeof rule === 'object') {
    const r = rule as Record<string, unknown>;
    if ('exists' in r) return r['exists'] === (value !== undefined);
    if ('prefix' in r)
      return (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && v.startsWith(String(r['prefix'])));
    throw new Error(`unsupported pattern rule ${JSON.stringify(rule)}`);
  }
  if (value === undefined) return false;
  return (Array.isArray(value) ? value : [value]).some((v) => v === rule);
}
