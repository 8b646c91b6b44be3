// Chapter 08 — the OCI runtime spec: config.json read and checked, its mount options and
// namespaces turned into what the kernel takes, and the state a runtime reports.
export type { Spec, Process, Mount, Hook, Hooks, Namespace, NamespaceType, Resources, DeviceRule, Device, Linux, State, Capabilities } from './spec.js';
export { parseSpec, NAMESPACE_TYPES } from './validate.js';
export { parseMountOptions, propagationFlags, type MountOptions } from './mount-options.js';
export { namespacePlan, type NamespacePlan } from './namespaces.js';
export { statusOf, stateDocument, type Observed } from './state.js';
export { defaultSpec } from './default-spec.js';
export { releaseInit } from './fifo.js';
