// Chapter 11: Compose. What a compose file means, in three pieces the runtime uses:
// interpolation of ${VARIABLES}, the start order from depends_on, and the config hash that
// tells a second `up` what changed. lib/compose reads the file and drives the runtime.
export { interpolate, interpolateTree } from './interpolate.js';
export { startOrder } from './order.js';
export { canonicalJson, configHash } from './hash.js';
