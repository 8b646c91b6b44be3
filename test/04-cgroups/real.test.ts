// Real cgroups on this machine, through openCgroups: the v1 driver where v1 controllers are
// mounted (with the unified tree's core files on a hybrid machine), the v2 driver where v2
// holds the memory controller (on a hybrid machine like the CI's, v2 limits are proven on a
// fake tree in v2-driver.test.ts, the core files here). Each test makes its own parent, carton-test-<random>, and
// removes it, so nothing named carton is ever left behind.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectLayout, openCgroups, type CgroupManager, type ContainerCgroup } from '@impl/04-cgroups/index.js';
import { openCgroups as referenceCgroups } from '../../solutions/04-cgroups/manager.js';
import { collect, isRoot } from '../helpers/index.js';

const layout = (() => {
  try {
    return detectLayout();
  } catch {
    return undefined;
  }
})();
const hasV1 = !!layout && (layout.mode === 'v1' || layout.mode === 'hybrid') && !!layout.v1.memory && !!layout.v1.pids;
const hasV2Memory = !!layout && layout.mode === 'v2' && layout.v2Controllers.includes('memory');
const available = isRoot && (hasV1 || hasV2Memory);
const random = () => Math.random().toString(36).slice(2, 10);

/** Every directory under the cgroup mounts whose name is `name`. */
function dirsNamed(name: string): string[] {
  const out = execFileSync('find', ['/sys/fs/cgroup', '-xdev', '-maxdepth', '4', '-type', 'd', '-name', name], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe.skipIf(!available)(`real cgroups (${layout?.mode ?? 'none'}; needs root and v1 or v2 memory)`, () => {
  let parent: string;
  let manager: CgroupManager;
  const made: ContainerCgroup[] = [];
  const children: ChildProcess[] = [];

  function create(limits: Parameters<CgroupManager['create']>[1]): ContainerCgroup {
    parent = `carton-test-${random()}`;
    manager = openCgroups({ parent });
    const cgroup = manager.create(`test-${random()}`, limits);
    made.push(cgroup);
    return cgroup;
  }

  /** A shell that waits for one line on stdin before running `script`: it joins first. */
  function shellInGroup(cgroup: ContainerCgroup, script: string): ChildProcess {
    const child = spawn('sh', ['-c', `read go; ${script}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    cgroup.join(child.pid!);
    return child;
  }

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    // The reference clean-up: the implementation under test may be a stub that removes nothing.
    for (const cgroup of made.splice(0)) referenceCgroups({ parent }).open(cgroup.id).destroy();
    // the parent directories, in every hierarchy
    const mounts = [...new Set([...Object.values(layout!.v1), ...(layout!.v2Mount ? [layout!.v2Mount] : [])])];
    for (const mount of mounts) {
      if (existsSync(join(mount, parent))) rmdirSync(join(mount, parent));
    }
  });

  it('joins a process: /proc/PID/cgroup names <parent>/<id> in every hierarchy', () => {
    const cgroup = create({});
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    cgroup.join(child.pid!);
    const lines = readFileSync(`/proc/${child.pid}/cgroup`, 'utf8').split('\n');
    const where = `/${parent}/${cgroup.id}`;
    if (hasV1) {
      expect(lines.find((l) => /:memory:/.test(l))).toMatch(new RegExp(`${where}$`));
      expect(lines.find((l) => /:pids:/.test(l))).toMatch(new RegExp(`${where}$`));
    }
    if (layout!.v2Mount) expect(lines.find((l) => l.startsWith('0::'))).toBe(`0::${where}`);
    expect(cgroup.pids()).toEqual([child.pid]);
    expect(manager.list()).toEqual([cgroup.id]);
  });

  it('writes the limits into the kernel files', () => {
    const cgroup = create({ memory: 64 << 20, cpuQuotaUs: 50000, cpuPeriodUs: 100000, pidsMax: 20, cpuShares: 512 });
    const find = (file: string) => cgroup.paths.map((p) => join(p, file)).find(existsSync)!;
    const read = (file: string) => readFileSync(find(file), 'utf8').trim();
    if (hasV1) {
      expect(read('memory.limit_in_bytes')).toBe(String(64 << 20));
      expect(read('cpu.cfs_quota_us')).toBe('50000');
      expect(read('cpu.cfs_period_us')).toBe('100000');
      expect(read('cpu.shares')).toBe('512');
      // cpuset needs cpus and mems before anyone can join: copied from the parent
      expect(read('cpuset.cpus')).not.toBe('');
      expect(read('cpuset.mems')).not.toBe('');
    } else {
      expect(read('memory.max')).toBe(String(64 << 20));
      expect(read('cpu.max')).toBe('50000 100000');
      expect(read('cpu.weight')).toBe('20');
    }
    expect(read('pids.max')).toBe('20');
  });

  it('OOM: a process that needs more than 32m is SIGKILLed and oomKilled() says so', async () => {
    const cgroup = create({ memory: 32 << 20, memorySwap: 32 << 20 });
    expect(cgroup.oomKilled()).toBe(false);
    // tail on /dev/zero holds an endless "line" in memory
    const child = shellInGroup(cgroup, 'exec tail /dev/zero');
    const result = await collect(child, 'go\n');
    expect(result.signal).toBe('SIGKILL');
    expect(cgroup.oomKilled()).toBe(true);
  });

  it('pids.max 20 stops a shell from forking 50 sleeps', async () => {
    const cgroup = create({ pidsMax: 20 });
    // the sleeps get /dev/null as stdout, so the pipe closes when the shell is done
    const child = shellInGroup(cgroup, 'for i in $(seq 50); do sleep 30 >/dev/null 2>&1 & done; echo done');
    const result = await collect(child, 'go\n');
    expect(result.stderr).toMatch(/fork/i); // the shell was refused a fork (EAGAIN)
    const started = cgroup.pids().length;
    expect(started).toBeGreaterThan(1);
    expect(started).toBeLessThanOrEqual(20);
    const stats = cgroup.stats();
    expect(stats.pidsLimit).toBe(20);
    expect(stats.pidsCurrent).toBeLessThanOrEqual(20);
  });

  it('stats() reads sane numbers from a busy group', async () => {
    const cgroup = create({ memory: 64 << 20, pidsMax: 10 });
    const child = shellInGroup(cgroup, 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo done; exec sleep 30');
    child.stdin!.end('go\n');
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const stats = cgroup.stats();
    expect(stats.memoryLimit).toBe(64 << 20);
    expect(stats.memoryUsage).toBeGreaterThan(0);
    expect(stats.memoryUsage).toBeLessThanOrEqual(64 << 20);
    expect(stats.cpuUsageNs).toBeGreaterThan(0);
    expect(stats.pidsCurrent).toBe(1);
    expect(stats.pidsLimit).toBe(10);
  });

  it('an unlimited group reports null limits', () => {
    const cgroup = create({});
    const stats = cgroup.stats();
    expect(stats.memoryLimit).toBeNull();
    expect(stats.pidsLimit).toBeNull();
  });

  it('destroy() kills every process and removes every directory; twice is fine', async () => {
    const cgroup = create({ pidsMax: 50 });
    const child = shellInGroup(cgroup, 'sleep 30 & sleep 30 & echo up; wait');
    child.stdin!.write('go\n');
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    expect(cgroup.pids().length).toBe(3);
    const exited = collect(child);
    cgroup.destroy();
    expect((await exited).signal).toBe('SIGKILL');
    for (const path of cgroup.paths) expect(existsSync(path), path).toBe(false);
    expect(dirsNamed(cgroup.id)).toEqual([]);
    cgroup.destroy(); // idempotent
  });

  const hasFreezer = !!layout && (!!layout.v1.freezer || layout.mode === 'v2');
  it.skipIf(!hasFreezer)('freeze() stops the group and thaw() lets it go on (skipped without a freezer)', () => {
    const cgroup = create({});
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    cgroup.join(child.pid!);
    // v1 reports FREEZING until every task has stopped; v2 sets "frozen 1" in cgroup.events
    const frozen = () =>
      cgroup.paths.some((p) => (existsSync(join(p, 'freezer.state')) && readFileSync(join(p, 'freezer.state'), 'utf8').trim() === 'FROZEN') || (!hasV1 && /frozen 1/.test(readFileSync(join(p, 'cgroup.events'), 'utf8'))));
    cgroup.freeze!();
    for (let i = 0; i < 200 && !frozen(); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect(frozen()).toBe(true);
    cgroup.thaw!();
    expect(frozen()).toBe(false);
    expect(cgroup.pids()).toEqual([child.pid]);
  });
});
