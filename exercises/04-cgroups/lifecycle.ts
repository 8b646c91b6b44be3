// Chapter 04 — exercise: the end of a container's cgroups, designed by you.
import { todo } from '../../lib/todo.js';
import { removeCgroupDir } from '../../solutions/04-cgroups/files.js';
import type { Cgroup } from '../../solutions/04-cgroups/types.js';

/**
 * Remove container `id`'s cgroups in every hierarchy `drivers` manage (drivers[0] holds the
 * limits; on a hybrid machine the last one is the cgroup v2 tree), with whatever processes are
 * still in them, frozen ones included. When it returns, no process of the group is alive and
 * none of its directories exists; calling it again (or on a group that never existed) is not
 * an error. Each driver can dirs(id), kill(id) (its way of killing all the group's processes)
 * and maybe thaw(id); removeCgroupDir(dir) removes one directory (a missing one is fine). The
 * lesson's "The end of a cgroup" says what the kernel requires.
 */
export function destroyCgroup(id: string, drivers: Cgroup[]): void {
  // TODO
  void [removeCgroupDir, id, drivers];
  todo('destroyCgroup', 'exercises/04-cgroups/lifecycle.ts');
}
