import type { Control } from '../types.js';
import { networkDefaultDeny } from './default-deny.js';
import { networkMetadataEndpointBlocked } from './metadata-endpoint-blocked.js';
import { networkNodeportService } from './nodeport-service.js';
import { networkUniqueServiceSelector } from './unique-service-selector.js';
import { networkWorkloadIsolated } from './workload-isolated.js';

/** network controls, in report order. */
export const networkControls: readonly Control[] = [
  networkDefaultDeny,
  networkWorkloadIsolated,
  networkMetadataEndpointBlocked,
  networkNodeportService,
  networkUniqueServiceSelector,
];
