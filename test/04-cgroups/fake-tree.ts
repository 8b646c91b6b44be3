// A fake cgroup v2 tree in a temp dir: the files a real v2 tree has, with the values a fresh
// group shows, plus a fake /proc whose mountinfo mounts it at /sys/fs/cgroup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, tempDir } from '../helpers/index.js';

export const V2_FILES: Record<string, string> = {
  'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
  'cgroup.subtree_control': '\n',
  'cgroup.procs': '',
  'cgroup.events': 'populated 0\nfrozen 0\n',
  'cgroup.freeze': '0\n',
  'cgroup.kill': '',
  'memory.max': 'max\n',
  'memory.current': '0\n',
  'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
  'memory.swap.max': 'max\n',
  'cpu.max': 'max 100000\n',
  'cpu.weight': '100\n',
  'cpu.stat': 'usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n',
  'pids.max': 'max\n',
  'pids.current': '0\n',
  'cpuset.cpus': '\n',
  'cpuset.mems': '\n',
};

/** Make a directory with the v2 files (the kernel does that on mkdir; a fake must do it). */
export function fakeGroup(dir: string, files: Record<string, string> = V2_FILES): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export interface FakeV2 {
  dir: string;
  cgroupRoot: string;
  procRoot: string;
  cleanup(): void;
}

/** A pure v2 machine: cgroup2 on /sys/fs/cgroup, with group dirs pre-made for `ids`. */
export function fakeV2(parent: string, ids: string[]): FakeV2 {
  const dir = tempDir('carton-cgroup-fake-');
  const cgroupRoot = join(dir, 'cgroup');
  const procRoot = join(dir, 'proc');
  fakeGroup(cgroupRoot);
  fakeGroup(join(cgroupRoot, parent));
  for (const id of ids) fakeGroup(join(cgroupRoot, parent, id));
  mkdirSync(join(procRoot, 'self'), { recursive: true });
  writeFileSync(join(procRoot, 'self/mountinfo'), MOUNTINFO_V2);
  return { dir, cgroupRoot, procRoot, cleanup: () => removeDir(dir) };
}

export const MOUNTINFO_V2 = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot',
  '',
].join('\n');

export const MOUNTINFO_HYBRID = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '25 22 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 cgroup2 rw,nsdelegate',
  '29 25 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:8 - cgroup cgroup rw,memory',
  '30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct',
  '31 25 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,pids',
  '32 25 0:30 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpuset',
  '',
].join('\n');

export const MOUNTINFO_V1 = MOUNTINFO_HYBRID.split('\n').filter((l) => !l.includes('cgroup2')).join('\n');
