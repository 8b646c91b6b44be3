// Chapter 11: Compose. What a compose file means, in four pieces the runtime uses:
// interpolation of ${VARIABLES}, the start order from depends_on, the config hash that
// tells a second `up` what changed, and the plan of what that `up` does to each service. lib/compose reads the file and drives the runtime.
export { interpolate, interpolateTree } from './interpolate.js';
export { startOrder } from './order.js';
export { canonicalJson, configHash } from './hash.js';
export { servicePlan, type PlanOptions, type Replica, type ServicePlan } from './plan.js';
