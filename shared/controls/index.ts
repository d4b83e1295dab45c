import { admissionControls } from './admission/index.js';
import { clusterControls } from './cluster/index.js';
import { configControls } from './config/index.js';
import { dashboardControls } from './dashboard/index.js';
import { ecrControls } from './ecr/index.js';
import { eksControls } from './eks/index.js';
import { loggingControls } from './logging/index.js';
import { namespaceControls } from './namespace/index.js';
import { networkControls } from './network/index.js';
import { rbacControls } from './rbac/index.js';
import type { Control } from './types.js';
import { workloadControls } from './workload/index.js';

/** The whole catalog, in report order. Each domain keeps its own list in its folder. */
export const controls: readonly Control[] = [
  ...workloadControls,
  ...rbacControls,
  ...configControls,
  ...networkControls,
  ...admissionControls,
  ...loggingControls,
  ...dashboardControls,
  ...namespaceControls,
  ...clusterControls,
  ...eksControls,
  ...ecrControls,
];

const byId = new Map(controls.map((c) => [c.id, c]));

export function controlById(id: string): Control | undefined {
  return byId.get(id);
}
