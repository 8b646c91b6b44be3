// Chapter 04 — cgroups: the shapes every driver shares. A control group is a directory in a
// cgroup filesystem; a process belongs to it when its pid is written into cgroup.procs, and
// the files beside it (memory.max, cpu.max, pids.max ...) limit and account for the group.
// See man 7 cgroups and the kernel's Documentation/admin-guide/cgroup-v2.rst.

/** Limits in kernel units: bytes, microseconds, shares, a cpu list. Unset means "no limit". */
export interface Limits {
  memory?: number;
  /** Memory plus swap, as Docker's --memory-swap (-1: unlimited swap). */
  memorySwap?: number;
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  cpuShares?: number;
  pidsMax?: number;
  cpusetCpus?: string;
}

export interface CgroupStats {
  memoryUsage: number;
  memoryLimit: number | null;
  cpuUsageNs: number;
  pidsCurrent: number;
  pidsLimit: number | null;
}

/** One container's cgroup, in however many hierarchies the machine has. */
export interface ContainerCgroup {
  id: string;
  /** Every directory this cgroup has (or had) on the host. */
  paths: string[];
  join(pid: number): void;
  stats(): CgroupStats;
  /** Did the kernel's OOM killer kill a process of this group? */
  oomKilled(): boolean;
  pids(): number[];
  freeze?(): void;
  thaw?(): void;
  /** Write new limits while it runs (carton update): only the ones given change. */
  update(limits: Limits): void;
  /** Kill what is left, then remove every directory. Idempotent. */
  destroy(): void;
}

export interface CgroupManager {
  mode: 'v1' | 'v2' | 'hybrid';
  create(id: string, limits: Limits): ContainerCgroup;
  open(id: string): ContainerCgroup;
  /** The ids of every container cgroup under the parent, in any hierarchy (for prune). */
  list(): string[];
}

/** A v1 or v2 driver: where it puts a container, and how it limits and reads it. */
export interface Cgroup {
  /** The directories of container `id` (existing or not). */
  dirs(id: string): string[];
  create(id: string, limits: Limits): void;
  join(id: string, pid: number): void;
  stats(id: string): CgroupStats;
  oomKilled(id: string): boolean;
  pids(id: string): number[];
  /** Kill every process left; return when the group is empty. */
  kill(id: string): void;
  freeze?(id: string): void;
  thaw?(id: string): void;
}
