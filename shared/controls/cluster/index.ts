import type { Control } from '../types.js';

/** cluster controls, in report order. */
export const clusterControls: readonly Control[] = [];
