import { clusterControls } from './cluster/index.js';
import { ecrControls } from './ecr/index.js';
import { eksControls } from './eks/index.js';
import type { Control } from './types.js';
import { workloadControls } from './workload/index.js';

/** The whole catalog, in report order. Each domain keeps its own list in its folder. */
export const controls: readonly Control[] = [...workloadControls, ...clusterControls, ...eksControls, ...ecrControls];

const byId = new Map(controls.map((c) => [c.id, c]));

export function controlById(id: string): Control | undefined {
  return byId.get(id);
}
