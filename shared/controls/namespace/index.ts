import type { Control } from '../types.js';
import { namespaceLimitRange } from './limit-range.js';
import { namespaceRequiredLabels } from './required-labels.js';
import { namespaceResourceQuota } from './resource-quota.js';

/** namespace controls, in report order. */
export const namespaceControls: readonly Control[] = [namespaceResourceQuota, namespaceLimitRange, namespaceRequiredLabels];
