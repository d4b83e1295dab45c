/**
 * The live Kubernetes collector. Cheap to import: it holds no HTTP sender; callers pass a
 * connection (viaBearerToken from ./bearer-http.js, or viaKubeconfig from ./client-node-http.js,
 * which loads @kubernetes/client-node when it opens).
 */
export { collectKubernetesInventory, type CollectOptions } from './collect.js';
export { KubeRequestError, isKubeRequestError } from './errors.js';
export { KUBERNETES_KINDS } from './kinds.js';
export { stripObject } from './strip.js';
export type { KubeConnection } from './transport.js';
