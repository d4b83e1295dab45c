/**
 * The live Kubernetes collector. Cheap to import: @kubernetes/client-node is loaded when a
 * collection starts (createKubeTransport), not when this module is imported.
 */
export { collectKubernetesInventory, type CollectOptions } from './collect.js';
export { KubeRequestError, isKubeRequestError } from './errors.js';
export { KUBERNETES_KINDS } from './kinds.js';
export { stripObject } from './strip.js';
