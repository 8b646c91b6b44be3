// Chapter 08 — the OCI runtime spec, the learner's version: four exercises, the rest from
// solutions/. `carton oci` calls these through the implementation switch.
export type { Spec, Process, Mount, Hook, Hooks, Namespace, NamespaceType, Resources, DeviceRule, Device, Linux, State, Capabilities } from '../../solutions/08-oci/spec.js';
export { parseSpec, NAMESPACE_TYPES } from '../../solutions/08-oci/validate.js';
export { parseMountOptions, propagationFlags, type MountOptions } from './mount-options.js';
export { namespacePlan, type NamespacePlan } from './namespaces.js';
export { statusOf, stateDocument, type Observed } from './state.js';
export { defaultSpec } from '../../solutions/08-oci/default-spec.js';
export { releaseInit } from './fifo.js';
