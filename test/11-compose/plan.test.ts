// servicePlan: what a second `up` does to one service, by behaviour (chapter 11's exercise).
import { describe, expect, it } from 'vitest';
import { servicePlan, type Replica } from '@impl/11-compose/index.js';

const r = (id: string, number: number, hash = 'h1', imageId = 'img1'): Replica => ({ id, number, hash, imageId });
const now = { hash: 'h1', imageId: 'img1' };

describe('servicePlan', () => {
  it('creates every number for a service with no containers', () => {
    expect(servicePlan([], { ...now, replicas: 2 })).toEqual({ remove: [], recreate: [], keep: [], create: [1, 2] });
  });

  it('keeps containers whose configuration and image are current', () => {
    expect(servicePlan([r('a', 1), r('b', 2)], { ...now, replicas: 2 })).toEqual({ remove: [], recreate: [], keep: ['a', 'b'], create: [] });
  });

  it('recreates a container whose configuration or image changed, in its own number', () => {
    expect(servicePlan([r('a', 1, 'old'), r('b', 2)], { ...now, replicas: 2 })).toEqual({ remove: [], recreate: ['a'], keep: ['b'], create: [1] });
    expect(servicePlan([r('a', 1, 'h1', 'img0')], { ...now, replicas: 1 })).toEqual({ remove: [], recreate: ['a'], keep: [], create: [1] });
    // An image not known yet (to be built) is no reason to recreate.
    expect(servicePlan([r('a', 1, 'h1', 'img0')], { hash: 'h1', replicas: 1 })).toEqual({ remove: [], recreate: [], keep: ['a'], create: [] });
  });

  it('scales down by removing the highest numbers, and up by adding the missing ones', () => {
    expect(servicePlan([r('a', 1), r('b', 2), r('c', 3)], { ...now, replicas: 1 })).toEqual({ remove: ['b', 'c'], recreate: [], keep: ['a'], create: [] });
    expect(servicePlan([r('b', 2)], { ...now, replicas: 3 })).toEqual({ remove: [], recreate: [], keep: ['b'], create: [1, 3] });
    expect(servicePlan([r('a', 1)], { ...now, replicas: 0 })).toEqual({ remove: ['a'], recreate: [], keep: [], create: [] });
  });

  it('follows --force-recreate and --no-recreate', () => {
    expect(servicePlan([r('a', 1), r('b', 2)], { ...now, replicas: 2, forceRecreate: true })).toEqual({ remove: [], recreate: ['a', 'b'], keep: [], create: [1, 2] });
    expect(servicePlan([r('a', 1, 'old')], { ...now, replicas: 1, noRecreate: true })).toEqual({ remove: [], recreate: [], keep: ['a'], create: [] });
    // Scaling down still removes, even with --no-recreate.
    expect(servicePlan([r('a', 1), r('b', 2)], { ...now, replicas: 1, noRecreate: true }).remove).toEqual(['b']);
  });

  it('keeps one container per number: a second with the same number goes', () => {
    expect(servicePlan([r('y', 1), r('x', 1)], { ...now, replicas: 1 })).toEqual({ remove: ['y'], recreate: [], keep: ['x'], create: [] });
    expect(servicePlan([r('z', 0)], { ...now, replicas: 1 })).toEqual({ remove: ['z'], recreate: [], keep: [], create: [1] });
  });

  it('gives the same plan whatever the order, and puts every container in exactly one list', () => {
    const existing = [r('a', 3, 'old'), r('b', 1), r('c', 5), r('d', 2, 'h1', 'img0'), r('e', 1)];
    const plan = servicePlan(existing, { ...now, replicas: 4 });
    for (const order of [[...existing].reverse(), [existing[2], existing[0], existing[4], existing[1], existing[3]]]) {
      expect(servicePlan(order, { ...now, replicas: 4 })).toEqual(plan);
    }
    const all = [...plan.remove, ...plan.recreate, ...plan.keep].sort();
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.create).toEqual([2, 3, 4]);
  });
});
