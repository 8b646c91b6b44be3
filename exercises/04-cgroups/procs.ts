// Chapter 04 — exercise: put a process into a cgroup.
import { todo } from '../../lib/todo.js';
import { writeCgroupFile } from '../../solutions/04-cgroups/files.js';
export { readPids, killUntilEmpty } from '../../solutions/04-cgroups/procs.js';

/**
 * Move process `pid` into the cgroup directory `dir` (v1 or v2: the file has the same name).
 * Tools: writeCgroupFile(path, value) writes one value and names the file in its errors.
 */
export function joinCgroup(dir: string, pid: number): void {
  // TODO: write the pid into the group's cgroup.procs.
  void dir;
  void pid;
  void writeCgroupFile;
  todo('joinCgroup', 'exercises/04-cgroups/procs.ts');
}
