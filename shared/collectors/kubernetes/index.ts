/**
 * The live Kubernetes collector. Import it lazily (`await import(...)`) from code paths that do not
 * always need it: it loads @kubernetes/client-node.
 */
export { collectKubernetesInventory, type CollectOptions, type CollectProgress } from './collect.js';
export { KubeRequestError, isKubeRequestError } from './errors.js';
export { DYNAMIC_GROUPS, GATEKEEPER_CONSTRAINTS, KUBERNETES_KINDS, NEVER_READ_RESOURCES, type KindSpec, type Retain } from './kinds.js';
export { DEFAULT_RETRY, KubeTransport, type RetryPolicy, type TransportOptions } from './transport.js';
export { stripObject } from './strip.js';
