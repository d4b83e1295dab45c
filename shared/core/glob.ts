const cache = new Map<string, RegExp>();

/** Shell-style glob (`*`, `?`) over a whole string. Compiled once per pattern. */
export function globToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    cache.set(pattern, re);
  }
  return re;
}

export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!/[*?]/.test(pattern)) return pattern === value;
  return globToRegExp(pattern).test(value);
}
