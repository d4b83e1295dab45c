import type { Control } from '../types.js';
import { networkDefaultDeny } from './default-deny.js';
import { networkIngressNginxEol } from './ingress-nginx-eol.js';
import { networkIngressNginxSnippets } from './ingress-nginx-snippets.js';
import { networkIngressTls } from './ingress-tls.js';
import { networkInternetExposed } from './internet-exposed.js';
import { networkMetadataEndpointBlocked } from './metadata-endpoint-blocked.js';
import { networkNodeportService } from './nodeport-service.js';
import { networkPolicyEnforced } from './policy-enforced.js';
import { networkUniqueServiceSelector } from './unique-service-selector.js';
import { networkWorkloadIsolated } from './workload-isolated.js';

/** network controls, in report order. */
export const networkControls: readonly Control[] = [
  networkDefaultDeny,
  networkWorkloadIsolated,
  networkPolicyEnforced,
  networkMetadataEndpointBlocked,
  networkNodeportService,
  networkUniqueServiceSelector,
  networkInternetExposed,
  networkIngressTls,
  networkIngressNginxSnippets,
  networkIngressNginxEol,
];
