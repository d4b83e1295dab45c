import { asRecords, isTrue } from '../../inventory/read.js';
import { POD_BEARING_KINDS, type Workload } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import type { Outcome } from '../types.js';

/** One message per kind, not one string per workload: the result columns keep repeated messages once. */
const CONTROLLER_PASS = Object.fromEntries(POD_BEARING_KINDS.map((k) => [k, `a ${k} is itself a controller`])) as Record<
  (typeof POD_BEARING_KINDS)[number],
  string
>;

/**
 * A Pod is managed when an owner reference says `controller: true` (the string "true" a templating
 * tool leaves counts too) — whether or not that owner is in the inventory: a ReplicaSet not
 * collected, an operator's custom resource, the Node of a static pod.
 */
function controllerOf(w: Workload): string | undefined {
  const owner = asRecords(w.object.metadata?.ownerReferences).find((o) => isTrue(o['controller']));
  if (!owner) return undefined;
  return `${typeof owner['kind'] === 'string' ? owner['kind'] : 'owner'} ${typeof owner['name'] === 'string' ? owner['name'] : '(unnamed)'}`;
}

export const nakedPod = defineControl(
  {
    id: 'workload.naked-pod',
    title: 'Pods should be managed by a controller',
    severity: 'low',
    category: 'Workloads',
    scope: 'workload',
    frameworks: { kubescape: ['C-0073'] },
    match: [{ ref: 'KS C-0073', match: 'stricter', note: 'hardline also fails pods whose ownerReferences have no `controller: true`' }],
    rationale: 'A bare Pod is not rescheduled when its node fails and is often a sign of manual, untracked changes.',
    remediation: 'Run the pod through a Deployment, StatefulSet, DaemonSet or Job.',
  },
  {
    reads: POD_BEARING_KINDS,
    // Judged on metadata alone: a pod spec that cannot be read says nothing about who manages the pod.
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const workloads = ctx.index.workloads();
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        if (w.kind !== 'Pod') {
          out.push(ctx.outcome('PASS', w.ref, CONTROLLER_PASS[w.kind]));
          continue;
        }
        const controller = controllerOf(w);
        out.push(
          controller
            ? ctx.outcome('PASS', w.ref, `managed by its controller ${controller}`)
            : ctx.outcome('FAIL', w.ref, 'pod is not managed by a controller (no ownerReference with controller: true)', {
                field: 'metadata.ownerReferences',
              }),
        );
      }
      return out;
    },
  },
);
