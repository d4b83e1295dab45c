import type { Control, ControlMeta, Judge } from './types.js';

/**
 * The one way to define a control: its metadata (id, title, severity, scope, framework refs,
 * rationale, remediation) and how it judges. The judge is written inline ({ reads, check }) or
 * built by a domain's walk: judgeWorkloads (the container walk), judgeEksCluster,
 * judgeRepositories, judgeRolePermission.
 */
export function defineControl(meta: ControlMeta, judge: Judge): Control {
  return { ...meta, ...judge };
}
