import { rbacModel, type BindingInfo } from '../../policy/rbac/model.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

/** The binding walk of the binding controls: NOT_APPLICABLE without bindings, else one verdict per binding. */
export function judgeBindings(ctx: CheckContext, judge: (b: BindingInfo) => Outcome): Outcome[] {
  const { bindings } = rbacModel(ctx);
  if (bindings.length === 0)
    return [ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no ClusterRoleBinding or RoleBinding in the inventory')];
  return bindings.map(judge);
}
