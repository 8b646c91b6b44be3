// Chapter 11 — Compose, the learner's version: three exercises. carton compose calls these
// through the implementation switch.
export { interpolate, interpolateTree } from './interpolate.js';
export { startOrder } from './order.js';
export { canonicalJson, configHash } from './hash.js';
