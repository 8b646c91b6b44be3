// Exercise namespace-plan: linux.namespaces, read into what the init does: unshare, join
// by path, and the PID namespace the parent makes or joins for the spawn.
import { describe, expect, it } from 'vitest';
import { namespacePlan } from '@impl/08-oci/index.js';

describe('namespacePlan', () => {
  it('runc spec\'s five: pid for the parent, the rest unshared under chapter 02\'s names', () => {
    const plan = namespacePlan([{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }]);
    expect(plan).toEqual({ unshare: ['net', 'ipc', 'uts', 'mnt'], join: [], newPid: true });
  });
  it('a path means join: a network namespace made by someone else (a pod, ip netns)', () => {
    const plan = namespacePlan([{ type: 'mount' }, { type: 'network', path: '/var/run/netns/web' }, { type: 'cgroup' }]);
    expect(plan).toEqual({ unshare: ['mnt', 'cgroup'], join: [{ type: 'net', path: '/var/run/netns/web' }], newPid: false });
  });
  it('a pid namespace with a path is joined for the spawn, not made', () => {
    expect(namespacePlan([{ type: 'pid', path: '/proc/42/ns/pid' }, { type: 'mount' }])).toEqual({ unshare: ['mnt'], join: [], newPid: false, pidPath: '/proc/42/ns/pid' });
  });
  it('no entry, no namespace: everything shared with the runtime', () => {
    expect(namespacePlan([])).toEqual({ unshare: [], join: [], newPid: false });
    expect(namespacePlan()).toEqual({ unshare: [], join: [], newPid: false });
  });
  it('a user namespace is, like pid, the parent\'s to make or join for the spawn', () => {
    expect(namespacePlan([{ type: 'user' }, { type: 'pid' }, { type: 'mount' }])).toEqual({ unshare: ['mnt'], join: [], newPid: true, newUser: true });
    expect(namespacePlan([{ type: 'user', path: '/proc/42/ns/user' }, { type: 'mount' }])).toEqual({ unshare: ['mnt'], join: [], newPid: false, userPath: '/proc/42/ns/user' });
  });
  it('time namespaces are refused, by name', () => {
    expect(() => namespacePlan([{ type: 'time' }])).toThrow(/time/);
  });
});
