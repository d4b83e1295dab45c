import type { Control } from '../types.js';
import { loggingForwarderRetry } from './forwarder-retry.js';
import { loggingForwarderSiem } from './forwarder-siem.js';

/** logging controls, in report order. */
export const loggingControls: readonly Control[] = [loggingForwarderSiem, loggingForwarderRetry];
