/**
 * Who a binding subject stands for, the way the API server's RBAC authorizer decides it
 * (rbac/v1 `appliesToUser`): a User subject matches the request's user name, a Group subject one
 * of its groups, a ServiceAccount subject the user name `system:serviceaccount:<ns>:<name>`.
 */

const CANONICAL_KINDS = ['User', 'Group', 'ServiceAccount'] as const;

/**
 * `user`, `GROUP`, `serviceaccount`: the API server rejects such kinds, so they only occur in
 * manifests that were never applied — read as what their author meant.
 */
export function canonicalSubjectKind(kind: string): string {
  const lower = kind.trim().toLowerCase();
  return CANONICAL_KINDS.find((k) => k.toLowerCase() === lower) ?? kind;
}

/**
 * Identities of requests without credentials: the anonymous user is `system:anonymous` in group
 * `system:unauthenticated`. Matched by name whatever the kind (`User system:unauthenticated`,
 * `Group system:anonymous`): such a subject exists only to open the cluster to anonymous callers.
 */
const ANONYMOUS_NAMES = new Set(['system:anonymous', 'system:unauthenticated']);
/** Every authenticated request carries this group: on EKS, every IAM principal mapped into the cluster. */
const AUTHENTICATED_GROUP = 'system:authenticated';
const SERVICE_ACCOUNT_USER = 'system:serviceaccount:';
const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

interface SubjectLike {
  kind: string;
  name: string;
  namespace?: string;
}

export function isAnonymousSubject(s: SubjectLike): boolean {
  return ANONYMOUS_NAMES.has(s.name);
}

/** Matched by name whatever the kind, like the anonymous identities. */
export function isEveryAuthenticatedSubject(s: SubjectLike): boolean {
  return s.name === AUTHENTICATED_GROUP;
}

/** `*` stands for every namespace or every name. */
export interface ServiceAccountScope {
  namespace: string;
  name: string;
}

/**
 * The service accounts a subject covers: a ServiceAccount subject, the same account written as a
 * User (`system:serviceaccount:<ns>:<name>`), the groups `system:serviceaccounts[:<ns>]`, and
 * `system:authenticated` (service account tokens carry it too).
 */
export function serviceAccountsCovered(s: SubjectLike): ServiceAccountScope | undefined {
  const kind = canonicalSubjectKind(s.kind);
  if (kind === 'ServiceAccount') return s.namespace ? { namespace: s.namespace, name: s.name } : undefined;
  if (kind === 'User' && s.name.startsWith(SERVICE_ACCOUNT_USER)) {
    const [namespace, name, ...rest] = s.name.slice(SERVICE_ACCOUNT_USER.length).split(':');
    return namespace && name && rest.length === 0 ? { namespace, name } : undefined;
  }
  if (kind !== 'Group') return undefined;
  if (s.name === SERVICE_ACCOUNTS_GROUP || s.name === AUTHENTICATED_GROUP) return { namespace: '*', name: '*' };
  if (s.name.startsWith(`${SERVICE_ACCOUNTS_GROUP}:`)) return { namespace: s.name.slice(SERVICE_ACCOUNTS_GROUP.length + 1), name: '*' };
  return undefined;
}
