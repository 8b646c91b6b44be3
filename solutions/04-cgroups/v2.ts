// Chapter 04 — the cgroup v2 driver. One tree for every controller: a container is one
// directory, <root>/<parent>/<id>. A controller works in a directory only when the parent
// lists it in cgroup.subtree_control, so create() enables them top-down first.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupFile, readKeyed, readNumber, writeCgroupFile } from './files.js';
import { joinCgroup as solutionJoin, killUntilEmpty, readPids, sleepMs } from './procs.js';
import { sharesToWeight } from './units.js';
import type { Cgroup, CgroupStats, Limits } from './types.js';

/** The controllers carton limits with; the others (io, hugetlb, rdma) it leaves alone. */
export const V2_CONTROLLERS = ['cpu', 'cpuset', 'memory', 'pids'];

// #region writeV2Limits
/** Write `limits` into the files of the v2 cgroup directory `dir`; unset limits are left alone. */
export function writeV2Limits(dir: string, limits: Limits): void {
  if (limits.memory !== undefined) writeCgroupFile(join(dir, 'memory.max'), String(limits.memory));
  if (limits.memorySwap !== undefined) {
    // v2 limits swap alone; Docker's --memory-swap is memory plus swap
    const swap = limits.memorySwap === -1 ? 'max' : String(limits.memorySwap - (limits.memory ?? 0));
    writeCgroupFile(join(dir, 'memory.swap.max'), swap);
  }
  if (limits.cpuQuotaUs !== undefined) {
    writeCgroupFile(join(dir, 'cpu.max'), `${limits.cpuQuotaUs} ${limits.cpuPeriodUs ?? 100000}`);
  }
  if (limits.cpuShares !== undefined) writeCgroupFile(join(dir, 'cpu.weight'), String(sharesToWeight(limits.cpuShares)));
  if (limits.pidsMax !== undefined) writeCgroupFile(join(dir, 'pids.max'), String(limits.pidsMax));
  if (limits.cpusetCpus !== undefined) writeCgroupFile(join(dir, 'cpuset.cpus'), limits.cpusetCpus);
}
// #endregion writeV2Limits

export interface V2Parts {
  writeV2Limits: (dir: string, limits: Limits) => void;
  joinCgroup: (dir: string, pid: number) => void;
}

// #region enableControllers
/** Enable `wanted` controllers (those the tree has) in cgroup.subtree_control from root to dir. */
export function enableControllers(root: string, dir: string, wanted: string[]): void {
  const available = readCgroupFile(join(root, 'cgroup.controllers')).split(/\s+/);
  const enable = wanted.filter((c) => available.includes(c));
  if (enable.length === 0) return;
  const line = enable.map((c) => `+${c}`).join(' ');
  // every ancestor of the container, the root included, hands the controllers down
  let current = root;
  writeCgroupFile(join(current, 'cgroup.subtree_control'), line);
  for (const part of dir.slice(root.length).split('/').filter(Boolean)) {
    current = join(current, part);
    writeCgroupFile(join(current, 'cgroup.subtree_control'), line);
  }
}
// #endregion enableControllers

/**
 * The v2 driver over the tree mounted at `root`. With `limit: false` it only uses the core
 * files (cgroup.procs, cgroup.kill, cgroup.freeze): that is its job on a hybrid machine,
 * where v1 holds the controllers.
 */
export function v2Driver(root: string, parent: string, limit = true, parts: V2Parts = { writeV2Limits, joinCgroup: solutionJoin }): Cgroup {
  const dirOf = (id: string) => join(root, parent, id);
  return {
    dirs: (id) => [dirOf(id)],
    create(id, limits) {
      mkdirSync(join(root, parent), { recursive: true });
      if (limit) enableControllers(root, join(root, parent), V2_CONTROLLERS);
      mkdirSync(dirOf(id), { recursive: true });
      if (limit) parts.writeV2Limits(dirOf(id), limits);
    },
    join: (id, pid) => parts.joinCgroup(dirOf(id), pid),
    stats(id): CgroupStats {
      const dir = dirOf(id);
      return {
        memoryUsage: readNumber(join(dir, 'memory.current')) ?? 0,
        memoryLimit: readNumber(join(dir, 'memory.max')),
        cpuUsageNs: (readKeyed(join(dir, 'cpu.stat')).usage_usec ?? 0) * 1000,
        pidsCurrent: readNumber(join(dir, 'pids.current')) ?? readPids(dir).length,
        pidsLimit: readNumber(join(dir, 'pids.max')),
      };
    },
    oomKilled: (id) => (readKeyed(join(dirOf(id), 'memory.events')).oom_kill ?? 0) > 0,
    pids: (id) => readPids(dirOf(id)),
    kill(id) {
      const dir = dirOf(id);
      // cgroup.kill (Linux 5.14) kills the whole subtree at once: no fork can race it
      if (existsSync(join(dir, 'cgroup.kill'))) {
        writeCgroupFile(join(dir, 'cgroup.kill'), '1');
        for (let i = 0; i < 500 && readPids(dir).length > 0; i++) sleepMs(10);
      }
      killUntilEmpty(dir);
    },
    freeze: (id) => writeCgroupFile(join(dirOf(id), 'cgroup.freeze'), '1'),
    thaw: (id) => writeCgroupFile(join(dirOf(id), 'cgroup.freeze'), '0'),
  };
}
