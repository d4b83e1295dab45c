import type { Control } from '../types.js';
import { dashboardExposed } from './exposed.js';

/** dashboard controls, in report order. */
export const dashboardControls: readonly Control[] = [dashboardExposed];
