import type { Control } from '../types.js';
import { configCredentialsInConfigmap } from './credentials-in-configmap.js';

/** config controls, in report order. */
export const configControls: readonly Control[] = [configCredentialsInConfigmap];
