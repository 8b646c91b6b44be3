// Exercise start-order: depends_on as a topological sort, the same on every run.
import { describe, expect, it } from 'vitest';
import { startOrder } from '@impl/11-compose/index.js';

describe('startOrder', () => {
  it('starts each service after what it depends on', () => {
    const graph = { web: ['api', 'job'], api: ['db'], job: ['db'], db: [] };
    const order = startOrder(graph);
    expect(order).toHaveLength(4);
    for (const [s, deps] of Object.entries(graph)) for (const d of deps) expect(order.indexOf(d)).toBeLessThan(order.indexOf(s));
  });
  it('among the ready ones, by name: the order is the same every time', () => {
    expect(startOrder({ web: ['api', 'job'], job: ['db'], api: ['db'], db: [] })).toEqual(['db', 'api', 'job', 'web']);
    expect(startOrder({ c: [], b: [], a: [] })).toEqual(['a', 'b', 'c']);
    expect(startOrder({ z: [], a: ['z'], m: [] })).toEqual(['m', 'z', 'a']);
  });
  it('no services, no order', () => {
    expect(startOrder({})).toEqual([]);
  });
  it('a dependency that is not a service is an error naming both', () => {
    expect(() => startOrder({ web: ['cache'] })).toThrow(/web.*cache|cache.*web/);
  });
  it('a cycle is an error that names it', () => {
    expect(() => startOrder({ a: ['b'], b: ['a'] })).toThrow(/cycle.*a -> b -> a/);
    expect(() => startOrder({ web: ['api'], api: ['db'], db: ['web'], x: [] })).toThrow(/cycle.*(api|db|web) -> (api|db|web) -> (api|db|web) -> (api|db|web)/);
    expect(() => startOrder({ self: ['self'] })).toThrow(/cycle.*self -> self/);
  });
});
