// Chapter 04 — membership: a process joins a cgroup when its pid is written into the group's
// cgroup.procs (the same file name on v1 and v2). Its children are born in the same group.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCgroupFile, writeCgroupFile } from './files.js';

// #region joinCgroup
/** Move process `pid` (with all its threads) into the cgroup directory `dir`. */
export function joinCgroup(dir: string, pid: number): void {
  writeCgroupFile(join(dir, 'cgroup.procs'), String(pid));
}
// #endregion joinCgroup

/** The pids in the group (not in its children), or [] when the group is gone. */
export function readPids(dir: string): number[] {
  const file = join(dir, 'cgroup.procs');
  if (!existsSync(file)) return [];
  try {
    return readCgroupFile(file).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** SIGKILL every pid, again and again, until the group is empty (a fork may race a kill). */
export function killUntilEmpty(dir: string, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (let pids = readPids(dir); pids.length > 0; pids = readPids(dir)) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (Date.now() > deadline) break;
    sleepMs(10); // a killed process leaves cgroup.procs when it is reaped or becomes a zombie
  }
}

export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
