/**
 * The parts of @kubernetes/client-node hardline uses, as named imports. Callers load this module
 * lazily (`await import('./client-node.js')`), so the CLI's manifest scans still never load
 * client-node; and because the package itself is only imported by name here, esbuild keeps only
 * what these need. A dynamic `import('@kubernetes/client-node')` keeps every export — measured:
 * 3.2 MB of the scan-cluster Lambda bundle's 6.2 MB, against ~0.4 MB this way (bench/bundle.ts).
 */
/** @public HttpMethod and RequestContext are read as `lib.HttpMethod`, `lib.RequestContext` (transport.ts) */
export { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
