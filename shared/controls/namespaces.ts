import { namespaceInfo, namespaceInfos, type NamespaceInfo } from '../policy/namespaces.js';
import { clusterRef } from './refs.js';
import type { CheckContext, Outcome } from './types.js';

/**
 * How the cluster-wide controls (RBAC, network, admission, logging, namespace hygiene) treat
 * namespaces. System namespaces (`systemNamespaces`: kube-system, kube-public, kube-node-lease by default):
 * - Security boundaries are always judged there: every RBAC control, config.credentials-in-configmap,
 *   network.default-deny and network.metadata-endpoint-blocked (results carry evidence
 *   `systemNamespace: true` so reports can show them separately). An empty system namespace
 *   (kube-public, kube-node-lease: no pods) is NOT_APPLICABLE for the two network controls.
 * - Namespace hygiene is skipped there by default (NOT_APPLICABLE, still visible):
 *   namespace.resource-quota, namespace.limit-range, namespace.required-labels,
 *   admission.pod-security (EKS runs privileged node agents in kube-system), network.workload-isolated,
 *   and the namespace coverage of admission.allowed-repos. `systemNamespaceControls: evaluate`
 *   judges them like any namespace.
 * - Built-in RBAC that Kubernetes, kubeadm and EKS ship (policy/rbac/builtin.ts) is not reported as a
 *   user finding; `rbac.judgeBuiltIn: true` judges it too.
 * A manifest folder is treated as the whole cluster: what is not in it does not exist.
 */

/**
 * Namespaces judged by the network controls. A manifest folder is the whole cluster: when it names
 * no namespace at all (only cluster-wide policies), the `default` namespace every cluster has is
 * judged so a cluster-wide policy is still evaluated. Empty system namespaces (kube-public,
 * kube-node-lease) never run pods and are reported NOT_APPLICABLE instead of as noise.
 */
export function networkNamespaces(ctx: CheckContext): readonly NamespaceInfo[] {
  const list = namespaceInfos(ctx);
  return list.length > 0 ? list : [namespaceInfo(ctx, 'default')];
}

/**
 * The namespace-hygiene controls skip system namespaces unless `systemNamespaceControls:
 * evaluate`; the result (on the namespace, or on `resource` inside it) stays visible as NOT_APPLICABLE.
 */
export function skippedSystemNamespace(ctx: CheckContext, ns: NamespaceInfo, resource = ns.ref): Outcome | undefined {
  if (!ns.system || ctx.config.systemNamespaceControls === 'evaluate') return undefined;
  return ctx.outcome(
    'NOT_APPLICABLE',
    resource,
    `system namespace ${ns.name} (systemNamespaces) is platform-owned; set systemNamespaceControls: evaluate to judge it`,
    {
      systemNamespace: true,
    },
  );
}

/**
 * The walk every namespace-hygiene control shares: NOT_APPLICABLE when the inventory has no
 * namespace, system namespaces skipped as configured, otherwise one verdict per namespace.
 */
export function judgeNamespaces(ctx: CheckContext, judge: (ns: NamespaceInfo) => Outcome): Outcome[] {
  const namespaces = namespaceInfos(ctx);
  if (namespaces.length === 0) return [ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no namespace in the inventory')];
  const out: Outcome[] = [];
  for (let i = 0; i < namespaces.length; i++) {
    const ns = namespaces[i]!;
    out.push(skippedSystemNamespace(ctx, ns) ?? judge(ns));
  }
  return out;
}
