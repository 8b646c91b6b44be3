// Chapter 11: the order in which services start. depends_on makes a graph; a service starts
// after everything it depends on, and `down` stops them in the reverse order. This is a
// topological sort (Kahn's algorithm): repeatedly take a service whose dependencies have all
// been taken. Among several ready at once, the first by name, so the order is the same on
// every run. A cycle can never start: it is an error that names it.
import { CartonError } from '../../lib/sys/errors.js';

/** Find one cycle among `left` (services not yet placed), as a path a → b → a. */
function cycleIn(dependsOn: Record<string, string[]>, left: Set<string>): string[] {
  const seen: string[] = [];
  let at = [...left].sort()[0];
  while (!seen.includes(at)) {
    seen.push(at);
    at = dependsOn[at].filter((d) => left.has(d)).sort()[0];
  }
  return [...seen.slice(seen.indexOf(at)), at];
}

/** The services (every key of `dependsOn`) in an order that starts each after its dependencies. */
export function startOrder(dependsOn: Record<string, string[]>): string[] {
  for (const [name, deps] of Object.entries(dependsOn)) {
    for (const d of deps) if (!(d in dependsOn)) throw new CartonError(`service ${name} depends on undefined service ${d}`, 'define it under services:, or remove it from depends_on');
  }
  const order: string[] = [];
  const left = new Set(Object.keys(dependsOn));
  while (left.size) {
    const ready = [...left].filter((s) => dependsOn[s].every((d) => !left.has(d))).sort();
    if (!ready.length) throw new CartonError(`dependency cycle detected: ${cycleIn(dependsOn, left).join(' -> ')}`, 'a service cannot depend, directly or not, on itself: remove one depends_on');
    order.push(ready[0]);
    left.delete(ready[0]);
  }
  return order;
}
