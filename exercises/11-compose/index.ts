// Chapter 11 — Compose, the learner's version: four exercises. carton compose calls these
// through the implementation switch.
export { interpolate, interpolateTree } from './interpolate.js';
export { startOrder } from './order.js';
export { canonicalJson, configHash } from './hash.js';
export { servicePlan, type PlanOptions, type Replica, type ServicePlan } from './plan.js';
