// The v2 driver through openCgroups, on a fake tree. The kernel makes a group's files on
// mkdir; the fake tree makes them beforehand (create() then finds the directory there).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCgroups } from '@impl/04-cgroups/index.js';
import { fakeV2, type FakeV2 } from './fake-tree.js';

describe('cgroup v2 driver (fake tree)', () => {
  let fake: FakeV2;
  const file = (...parts: string[]) => join(fake.cgroupRoot, ...parts);
  const read = (...parts: string[]) => readFileSync(file(...parts), 'utf8').trim();
  beforeEach(() => (fake = fakeV2('carton', ['c1'])));
  afterEach(() => fake.cleanup());

  it('creates <parent>/<id>, enables the controllers top-down and writes every limit', () => {
    const manager = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot });
    expect(manager.mode).toBe('v2');
    const cgroup = manager.create('c1', { memory: 32 << 20, memorySwap: 64 << 20, cpuQuotaUs: 50000, cpuPeriodUs: 100000, cpuShares: 1024, pidsMax: 20, cpusetCpus: '0' });
    expect(cgroup.paths).toEqual([file('carton/c1')]);
    for (const dir of ['', 'carton']) {
      expect(read(dir, 'cgroup.subtree_control').split(' ').sort()).toEqual(['+cpu', '+cpuset', '+memory', '+pids']);
    }
    expect(read('carton/c1/memory.max')).toBe(String(32 << 20));
    expect(read('carton/c1/memory.swap.max')).toBe(String(32 << 20));
    expect(read('carton/c1/cpu.max')).toBe('50000 100000');
    expect(read('carton/c1/cpu.weight')).toBe('39');
    expect(read('carton/c1/pids.max')).toBe('20');
    expect(read('carton/c1/cpuset.cpus')).toBe('0');
  });

  it('enables only the controllers the tree has', () => {
    writeFileSync(file('cgroup.controllers'), 'memory pids io\n');
    openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot }).create('c1', { pidsMax: 3 });
    expect(read('carton/cgroup.subtree_control')).toBe('+memory +pids');
  });

  it('joins through cgroup.procs and lists the pids', () => {
    const cgroup = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot }).open('c1');
    cgroup.join(4242);
    expect(read('carton/c1/cgroup.procs')).toBe('4242');
    writeFileSync(file('carton/c1/cgroup.procs'), '4242\n4343\n');
    expect(cgroup.pids()).toEqual([4242, 4343]);
  });

  it('reads stats: memory.current, memory.max, cpu.stat usage_usec, pids.current, pids.max', () => {
    const cgroup = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot }).open('c1');
    expect(cgroup.stats()).toEqual({ memoryUsage: 0, memoryLimit: null, cpuUsageNs: 0, pidsCurrent: 0, pidsLimit: null });
    writeFileSync(file('carton/c1/memory.current'), '1048576\n');
    writeFileSync(file('carton/c1/memory.max'), '33554432\n');
    writeFileSync(file('carton/c1/cpu.stat'), 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
    writeFileSync(file('carton/c1/pids.current'), '3\n');
    writeFileSync(file('carton/c1/pids.max'), '20\n');
    expect(cgroup.stats()).toEqual({ memoryUsage: 1048576, memoryLimit: 33554432, cpuUsageNs: 1_500_000, pidsCurrent: 3, pidsLimit: 20 });
  });

  it('reports an OOM kill from memory.events oom_kill, not from oom alone', () => {
    const cgroup = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot }).open('c1');
    expect(cgroup.oomKilled()).toBe(false);
    writeFileSync(file('carton/c1/memory.events'), 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n');
    expect(cgroup.oomKilled()).toBe(false);
    writeFileSync(file('carton/c1/memory.events'), 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n');
    expect(cgroup.oomKilled()).toBe(true);
  });

  it('freezes and thaws through cgroup.freeze', () => {
    const cgroup = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot }).open('c1');
    cgroup.freeze!();
    expect(read('carton/c1/cgroup.freeze')).toBe('1');
    cgroup.thaw!();
    expect(read('carton/c1/cgroup.freeze')).toBe('0');
  });

  it('lists the container groups under the parent', () => {
    const manager = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot });
    expect(manager.list()).toEqual(['c1']);
    expect(openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot, parent: 'elsewhere' }).list()).toEqual([]);
  });

  it('refuses ids that would walk out of the parent', () => {
    const manager = openCgroups({ cgroupRoot: fake.cgroupRoot, procRoot: fake.procRoot });
    expect(() => manager.open('../etc')).toThrow(/invalid cgroup name/);
    expect(() => manager.create('a/b', {})).toThrow(/invalid cgroup name/);
  });
});
