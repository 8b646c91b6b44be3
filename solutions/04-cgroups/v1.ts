// Chapter 04 — the cgroup v1 driver (the sidebar): one hierarchy per controller, each its own
// mount (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids ...). A container is one directory in
// each, and a process must be written into every one of them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupFile, readKeyed, readNumber, writeCgroupFile } from './files.js';
import { joinCgroup as solutionJoin, killUntilEmpty, readPids } from './procs.js';
import type { Cgroup, CgroupStats, Limits } from './types.js';

/** The v1 controllers carton uses; cpu and cpuacct are often mounted together. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer'];

// v1 says "no limit" with a huge number (PAGE_COUNTER_MAX pages, rounded), not with "max"
const V1_UNLIMITED = 2 ** 62;

function limitOrNull(value: number | null): number | null {
  return value === null || value >= V1_UNLIMITED ? null : value;
}

/** A new cpuset group starts with no cpus and no memory nodes: no process may join it until
 *  both are set. Copy them from the parent (or use the cpus asked for). */
function inheritCpuset(parentDir: string, dir: string, cpus?: string): void {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if (readCgroupFile(join(dir, file)) === '') writeCgroupFile(join(dir, file), readCgroupFile(join(parentDir, file)));
  }
  if (cpus !== undefined) writeCgroupFile(join(dir, 'cpuset.cpus'), cpus);
}

// #region writeV1Limits
function writeV1Limits(mounts: Record<string, string>, dirOf: (mount: string) => string, limits: Limits): void {
  const memory = mounts.memory && dirOf(mounts.memory);
  if (memory && limits.memory !== undefined) writeCgroupFile(join(memory, 'memory.limit_in_bytes'), String(limits.memory));
  // memsw (memory + swap) exists only with swap accounting; it must stay >= limit_in_bytes
  if (memory && limits.memorySwap !== undefined && existsSync(join(memory, 'memory.memsw.limit_in_bytes'))) {
    writeCgroupFile(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memorySwap));
  }
  const cpu = mounts.cpu && dirOf(mounts.cpu);
  if (cpu && limits.cpuQuotaUs !== undefined) {
    writeCgroupFile(join(cpu, 'cpu.cfs_period_us'), String(limits.cpuPeriodUs ?? 100000));
    writeCgroupFile(join(cpu, 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs));
  }
  if (cpu && limits.cpuShares !== undefined) writeCgroupFile(join(cpu, 'cpu.shares'), String(limits.cpuShares));
  const pids = mounts.pids && dirOf(mounts.pids);
  if (pids && limits.pidsMax !== undefined) writeCgroupFile(join(pids, 'pids.max'), String(limits.pidsMax));
}
// #endregion writeV1Limits

/**
 * `mounts`: controller (or name=...) → mount point, from the layout. The container gets a
 * directory in *every* hierarchy, not only those whose limits carton writes: in one it is
 * left out of, it would sit at the hierarchy's root (chapter 09: the release_agent escape).
 */
export function v1Driver(mounts: Record<string, string>, parent: string, joinCgroup: (dir: string, pid: number) => void = solutionJoin): Cgroup {
  const used = Object.fromEntries(Object.entries(mounts).filter(([c]) => V1_CONTROLLERS.includes(c)));
  const uniqueMounts = [...new Set(Object.values(mounts))];
  const dirs = (id: string) => uniqueMounts.map((m) => join(m, parent, id));
  return {
    dirs,
    create(id, limits) {
      for (const mount of uniqueMounts) {
        const parentDir = join(mount, parent);
        mkdirSync(parentDir, { recursive: true });
        mkdirSync(join(parentDir, id), { recursive: true });
        if (mount === used.cpuset) {
          inheritCpuset(mount, parentDir);
          inheritCpuset(parentDir, join(parentDir, id), limits.cpusetCpus);
        }
      }
      writeV1Limits(used, (mount) => join(mount, parent, id), limits);
    },
    join(id, pid) {
      for (const dir of dirs(id)) joinCgroup(dir, pid);
    },
    stats(id): CgroupStats {
      const at = (controller: string, file: string) => (used[controller] ? join(used[controller], parent, id, file) : '/nonexistent');
      const pidsMax = used.pids && existsSync(at('pids', 'pids.max')) ? readCgroupFile(at('pids', 'pids.max')) : 'max';
      return {
        memoryUsage: readNumber(at('memory', 'memory.usage_in_bytes')) ?? 0,
        memoryLimit: limitOrNull(readNumber(at('memory', 'memory.limit_in_bytes'))),
        cpuUsageNs: readNumber(at('cpuacct', 'cpuacct.usage')) ?? 0,
        pidsCurrent: readNumber(at('pids', 'pids.current')) ?? 0,
        pidsLimit: pidsMax === 'max' ? null : Number(pidsMax),
      };
    },
    oomKilled(id) {
      if (!used.memory) return false;
      const dir = join(used.memory, parent, id);
      // oom_kill in memory.oom_control since Linux 4.13; before that only "the limit was hit"
      const control = readKeyed(join(dir, 'memory.oom_control'));
      if (control.oom_kill !== undefined) return control.oom_kill > 0;
      return (readNumber(join(dir, 'memory.failcnt')) ?? 0) > 0;
    },
    pids: (id) => [...new Set(dirs(id).flatMap(readPids))],
    kill(id) {
      for (const dir of dirs(id)) killUntilEmpty(dir);
    },
    freeze: used.freezer ? (id) => writeCgroupFile(join(used.freezer, parent, id, 'freezer.state'), 'FROZEN') : undefined,
    thaw: used.freezer ? (id) => writeCgroupFile(join(used.freezer, parent, id, 'freezer.state'), 'THAWED') : undefined,
  };
}
