// Exercise status-of: the status a runtime reports, from what it observes of the kernel.
import { describe, expect, it } from 'vitest';
import { statusOf, stateDocument } from '@impl/08-oci/index.js';

const seen = (alive: boolean, waiting: boolean, frozen: boolean) => ({ alive, waiting, frozen });

describe('statusOf', () => {
  it('an init that waits on the exec fifo is created; once it has exec\'d, running', () => {
    expect(statusOf(seen(true, true, false))).toBe('created');
    expect(statusOf(seen(true, false, false))).toBe('running');
  });
  it('frozen is paused, whether or not it had started', () => {
    expect(statusOf(seen(true, false, true))).toBe('paused');
    expect(statusOf(seen(true, true, true))).toBe('paused');
  });
  it('no init: stopped, whatever else is left behind', () => {
    for (const waiting of [true, false]) for (const frozen of [true, false]) expect(statusOf(seen(false, waiting, frozen))).toBe('stopped');
  });
  it('the state document names the pid only while there is a process', () => {
    expect(stateDocument('c1', '/b', 42, seen(true, false, false))).toEqual({ ociVersion: '1.0.2', id: 'c1', status: 'running', pid: 42, bundle: '/b' });
    expect(stateDocument('c1', '/b', 42, seen(false, false, false), { a: 'b' })).toEqual({ ociVersion: '1.0.2', id: 'c1', status: 'stopped', bundle: '/b', annotations: { a: 'b' } });
  });
});
