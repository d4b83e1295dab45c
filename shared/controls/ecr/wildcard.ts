/**
 * ECR's WILDCARD filters (registry scanning rules, tag mutability exclusions): `*` matches any run
 * of characters (slashes included), everything else matches itself, and the filter must match the
 * whole name.
 */
export function wildcardMatches(filter: string, name: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

// Prefixes of tags that deployments actually pull: excluding them from immutability leaves the
// tags that matter mutable. `latest*`, `v*`, `1.*`, `release-*`, `prod*` …
const RELEASE_PREFIX = /^(latest|stable|release|rel|prod|production|main|master|v\d*|\d)/i;
const MIN_LITERAL_PREFIX = 3;

/**
 * Whether a tag-mutability exclusion filter is narrow. Narrow = an exact tag (no wildcard), or a
 * wildcard after a literal prefix of at least three characters that does not start like a
 * release or moving tag (so `dev-*`, `pr-*`, `cache-*` are narrow). Wide = wildcard-only (`*`),
 * a leading wildcard (`*-rc`), a short prefix (`a*`), or a release-like prefix (`latest*`, `v*`, `1.*`).
 */
export function exclusionBreadth(filter: string): { narrow: boolean; why: string } {
  const star = filter.indexOf('*');
  if (star < 0) return { narrow: true, why: 'a single exact tag' };
  const prefix = filter.slice(0, star);
  if (prefix.length === 0) return { narrow: false, why: filter.replace(/\*/g, '') === '' ? 'matches every tag' : 'starts with a wildcard' };
  if (prefix.length < MIN_LITERAL_PREFIX)
    return { narrow: false, why: `literal prefix '${prefix}' is shorter than ${MIN_LITERAL_PREFIX} characters` };
  if (RELEASE_PREFIX.test(prefix)) return { narrow: false, why: `matches release or moving tags ('${prefix}…')` };
  return { narrow: true, why: `only tags starting with '${prefix}'` };
}
