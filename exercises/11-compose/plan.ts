// Chapter 11 — exercise: what a second `up` does to one service, designed by you.
import { todo } from '../../lib/todo.js';
import type { PlanOptions, Replica, ServicePlan } from '../../solutions/11-compose/plan.js';

export type { PlanOptions, Replica, ServicePlan } from '../../solutions/11-compose/plan.js';

/**
 * `up` converges: given the service's existing containers, decide what becomes of each and
 * which container numbers must be made, so that afterwards the service has exactly
 * o.replicas containers, numbered 1 to o.replicas, each running the current configuration
 * (o.hash) and image (o.imageId, when known). A container whose configuration and image are
 * current stays as it is, unless o.forceRecreate; with o.noRecreate nothing that exists is
 * replaced. A container whose number is out of range, or a second one with a number already
 * taken, goes for good. Every existing container is in exactly one of remove, recreate and
 * keep; create lists, in ascending order, every number no kept container has. The same input
 * always gives the same plan, whatever the order of `existing`. The lesson's "A second up"
 * explains why Docker Compose behaves so.
 */
export function servicePlan(existing: Replica[], o: PlanOptions): ServicePlan {
  // TODO
  void [existing, o];
  return todo('servicePlan', 'exercises/11-compose/plan.ts');
}
