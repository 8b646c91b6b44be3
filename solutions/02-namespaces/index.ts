// Chapter 02 — namespaces: the public surface the runtime and the tests use.
export { cloneFlags, namespaceId, unshareNamespaces } from './namespaces.js';
export { spawnInPidNamespace } from './pid.js';
