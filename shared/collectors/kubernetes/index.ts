/**
 * The live Kubernetes collector. Cheap to import: @kubernetes/client-node is loaded when a
 * collection starts (createKubeTransport), not when this module is imported.
 */
export { collectKubernetesInventory, type CollectOptions, type CollectProgress } from './collect.js';
export { KubeRequestError, isKubeRequestError } from './errors.js';
export { DYNAMIC_GROUPS, GATEKEEPER_CONSTRAINTS, KUBERNETES_KINDS, NEVER_READ_RESOURCES, type KindSpec, type Retain } from './kinds.js';
export { DEFAULT_RETRY, KubeTransport, createKubeTransport, type RetryPolicy, type TransportOptions } from './transport.js';
export { stripObject } from './strip.js';
