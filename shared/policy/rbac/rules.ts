import { asRecords, asStrings } from '../../inventory/read.js';

/** RBAC policy rules: read from a role, matched the way Kubernetes matches them, described for messages. */

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  /** `rules[2]`, or `rules[2] via aggregated ClusterRole x`: where the rule comes from. */
  origin: string;
}

/** A list of strings as written (shared, read only), or its strings when something else slipped in. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  for (const v of value) if (typeof v !== 'string') return asStrings(value);
  return value as string[];
}

/** `rules[0]` … : most roles have a handful of rules, and every role would otherwise build these again. */
const RULE_ORIGINS = Array.from({ length: 16 }, (_, i) => `rules[${i}]`);

export function parseRules(value: unknown, origin: string): PolicyRule[] {
  return asRecords(value).map((r, i) => ({
    apiGroups: stringList(r['apiGroups']),
    resources: stringList(r['resources']),
    verbs: stringList(r['verbs']),
    resourceNames: stringList(r['resourceNames']),
    nonResourceURLs: stringList(r['nonResourceURLs']),
    origin: origin === '' && i < RULE_ORIGINS.length ? RULE_ORIGINS[i]! : `${origin}rules[${i}]`,
  }));
}

export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  const k = (r: PolicyRule) => JSON.stringify([r.apiGroups, r.resources, r.verbs, r.resourceNames, r.nonResourceURLs]);
  return k(a) === k(b);
}

/**
 * Kubernetes' own matching (rbac/v1 helpers): `*` matches all; `pods/exec` matches exactly;
 * `*\/exec` matches any resource's exec subresource. `pods/*` is not a wildcard in RBAC.
 */
export function ruleGrants(rule: PolicyRule, verb: string, group: string, resource: string): boolean {
  if (!(rule.verbs.includes('*') || rule.verbs.includes(verb))) return false;
  return ruleCovers(rule, group, resource);
}

/** Whether a rule names this resource of this API group (with any verb): the same matching as ruleGrants. */
export function ruleCovers(rule: PolicyRule, group: string, resource: string): boolean {
  if (rule.verbs.length === 0) return false;
  if (!(rule.apiGroups.includes('*') || rule.apiGroups.includes(group))) return false;
  const slash = resource.indexOf('/');
  for (const r of rule.resources) {
    if (r === '*' || r === resource) return true;
    // `*/exec` against `pods/exec`: same length from the slash on, and the same subresource.
    if (slash >= 0 && r.length > 2 && r.length === resource.length - slash + 1 && r.startsWith('*/') && resource.endsWith(r.slice(1)))
      return true;
  }
  return false;
}

/** `verbs [get, list] on secrets (rules[1])` for messages. */
export function describeRule(rule: PolicyRule): string {
  const groups = rule.apiGroups.map((g) => (g === '' ? 'core' : g));
  return `verbs [${rule.verbs.join(', ')}] on ${rule.resources.length > 0 ? `[${rule.resources.join(', ')}]` : `URLs [${rule.nonResourceURLs.join(', ')}]`}${groups.length > 0 ? ` in apiGroups [${groups.join(', ')}]` : ''}${rule.resourceNames.length > 0 ? ` (names ${rule.resourceNames.join(', ')})` : ''} (${rule.origin})`;
}
