// Chapter 11 — exercise: the order in which services start.
import { todo } from '../../lib/todo.js';
import { CartonError } from '../../lib/sys/errors.js';

/**
 * Every service (each key of `dependsOn`, whose value lists what it depends on) in an order
 * where each comes after all it depends on. When several are ready at once, take the first by
 * name, so the order is the same every time. A dependency that is not a key throws a
 * CartonError naming both services; a cycle throws one whose message holds "cycle" and the
 * cycle's services (e.g. "a -> b -> a").
 */
export function startOrder(dependsOn: Record<string, string[]>): string[] {
  // TODO: Kahn's algorithm — repeatedly take the first (by name) service with no dependency left
  void CartonError;
  void dependsOn;
  todo('startOrder', 'exercises/11-compose/order.ts');
}
