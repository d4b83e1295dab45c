import type { Control } from '../types.js';

/** ecr controls, in report order. */
export const ecrControls: readonly Control[] = [];
