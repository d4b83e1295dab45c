import type { Control } from '../types.js';
import { clusterMetricsServer } from './metrics-server.js';

/** cluster controls, in report order. */
export const clusterControls: readonly Control[] = [clusterMetricsServer];
