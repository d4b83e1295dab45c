import type { RoleInfo } from './model.js';
import { ruleCovers, ruleGrants, type PolicyRule } from './rules.js';

/**
 * The dangerous permissions the RBAC controls look for, each as a predicate on one rule (with
 * Kubernetes' matching: `*` verbs, groups and resources, `*\/subresource`). One definition each,
 * shared by the role controls and by the service-account join of the workload controls.
 */
export type RulePredicate = (rule: PolicyRule) => boolean;

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const CERTIFICATES_GROUP = 'certificates.k8s.io';
const ADMISSION_GROUP = 'admissionregistration.k8s.io';

/** Pods, and every kind that creates pods from a template, with the API group that serves it. */
const POD_CREATING_RESOURCES: readonly (readonly [group: string, resource: string])[] = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'daemonsets'],
  ['apps', 'statefulsets'],
  ['apps', 'replicasets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

/**
 * Whether the rule grants one of these verbs on one of these resources of the group. The predicates
 * run for every rule of every role, once per control: plain loops over constant lists allocate nothing.
 */
export function grantsAnyOf(rule: PolicyRule, verbs: readonly string[], group: string, resources: readonly string[]): boolean {
  for (const resource of resources) for (const verb of verbs) if (ruleGrants(rule, verb, group, resource)) return true;
  return false;
}

/** Creating a pod (directly or through a workload) runs any image as any service account of the namespace, privileged if admission allows. */
export const grantsCreatePods: RulePredicate = (rule) => {
  for (const [group, res] of POD_CREATING_RESOURCES) if (ruleGrants(rule, 'create', group, res)) return true;
  return false;
};

export const grantsPersistentVolumeCreate: RulePredicate = (rule) => ruleGrants(rule, 'create', '', 'persistentvolumes');

/** nodes/proxy reaches the kubelet API (exec in any pod of the node) whatever the verb: GET alone runs commands over websockets. */
export const grantsNodesProxy: RulePredicate = (rule) => ruleCovers(rule, '', 'nodes/proxy');

const WEBHOOK_WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const WEBHOOK_RESOURCES = ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'];
/** Writing a webhook configuration intercepts (and can rewrite) every object admitted, or switches admission policy off. */
export const grantsWebhookConfigWrite: RulePredicate = (rule) => grantsAnyOf(rule, WEBHOOK_WRITE_VERBS, ADMISSION_GROUP, WEBHOOK_RESOURCES);

export const grantsServiceAccountTokenCreate: RulePredicate = (rule) => ruleGrants(rule, 'create', '', 'serviceaccounts/token');

const CSR_APPROVAL_VERBS = ['update', 'patch'];
const CSR_APPROVAL = ['certificatesigningrequests/approval'];
/** PUT (update) is what `kubectl certificate approve` sends; a PATCH of the subresource is authorized as patch. */
export const grantsCsrApprovalUpdate: RulePredicate = (rule) => grantsAnyOf(rule, CSR_APPROVAL_VERBS, CERTIFICATES_GROUP, CSR_APPROVAL);

/** Signers whose certificates the cluster itself trusts (client certificates for any user or node, serving certificates). */
const CLUSTER_SIGNER_PREFIXES = ['kubernetes.io/', 'beta.eks.amazonaws.com/'];
/** `approve` on signers; one narrowed by resourceNames to signers outside the cluster's own cannot approve a certificate the API server trusts. */
export const grantsSignerApprove: RulePredicate = (rule) =>
  ruleGrants(rule, 'approve', CERTIFICATES_GROUP, 'signers') &&
  (rule.resourceNames.length === 0 || rule.resourceNames.some((n) => CLUSTER_SIGNER_PREFIXES.some((p) => n.startsWith(p))));

const PORT_FORWARD_VERBS = ['create', 'get'];
const PORT_FORWARD = ['pods/portforward'];
/** `kubectl port-forward` POSTs (create) pods/portforward; the websocket client GETs it, authorized as get until Kubernetes 1.35. */
export const grantsPortForward: RulePredicate = (rule) => grantsAnyOf(rule, PORT_FORWARD_VERBS, '', PORT_FORWARD);

const SECRETS_READ_VERBS = ['get', 'list', 'watch'];
const SECRETS = ['secrets'];
/** A rule limited by resourceNames is the least-privilege pattern (a controller reading its own Secret); list and watch cannot be narrowed so. */
export const grantsSecretsRead: RulePredicate = (rule) =>
  rule.resourceNames.length === 0 && grantsAnyOf(rule, SECRETS_READ_VERBS, '', SECRETS);

const ESCALATION_VERBS = ['escalate', 'bind'];
const ROLE_RESOURCES = ['roles', 'clusterroles'];
const IMPERSONATE = ['impersonate'];
const IMPERSONATED_CORE = ['users', 'groups', 'serviceaccounts'];
const IMPERSONATED_AUTHENTICATION = ['uids', 'userextras/scopes'];
/** escalate/bind let a subject grant permissions it does not hold; impersonate lets it act as anyone. */
export const grantsEscalation: RulePredicate = (rule) =>
  grantsAnyOf(rule, ESCALATION_VERBS, RBAC_GROUP, ROLE_RESOURCES) ||
  grantsAnyOf(rule, IMPERSONATE, '', IMPERSONATED_CORE) ||
  grantsAnyOf(rule, IMPERSONATE, 'authentication.k8s.io', IMPERSONATED_AUTHENTICATION);

/** `*` verbs on `*` resources in `*` API groups: cluster-admin under another name. */
export const grantsEverything: RulePredicate = (rule) =>
  rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.verbs.includes('*');

/** What hands whoever holds it the cluster (or its namespace): each names the permission for messages. */
const TAKEOVER: readonly { permission: string; grants: RulePredicate }[] = [
  { permission: 'every verb on every resource', grants: grantsEverything },
  { permission: 'read Secrets', grants: grantsSecretsRead },
  { permission: 'escalate, bind or impersonate', grants: grantsEscalation },
  { permission: 'create pods or workloads', grants: grantsCreatePods },
  { permission: 'nodes/proxy', grants: grantsNodesProxy },
];

export interface TakeoverGrant {
  permission: string;
  rules: PolicyRule[];
}

const takeoverCache = new WeakMap<RoleInfo, TakeoverGrant[]>();

/** The takeover permissions a role grants (empty: none), computed once per role. */
export function takeoverGrants(role: RoleInfo): TakeoverGrant[] {
  let grants = takeoverCache.get(role);
  if (!grants) {
    grants = TAKEOVER.map((t) => ({ permission: t.permission, rules: role.rules.filter(t.grants) })).filter((g) => g.rules.length > 0);
    takeoverCache.set(role, grants);
  }
  return grants;
}
