import type { Control } from '../types.js';

/** eks controls, in report order. */
export const eksControls: readonly Control[] = [];
