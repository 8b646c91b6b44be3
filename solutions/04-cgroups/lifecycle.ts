// Chapter 04 — the end of a container's cgroups: every process in them killed, every
// directory of them removed, in every hierarchy the drivers manage.
import { removeCgroupDir } from './files.js';
import type { Cgroup } from './types.js';

// #region destroyCgroup
export function destroyCgroup(id: string, drivers: Cgroup[]): void {
  const [main] = drivers;
  // A frozen process cannot die: thaw first (a group that is gone has nothing to thaw).
  try {
    main.thaw?.(id);
  } catch {
    // already gone
  }
  // The last driver is v2 on a hybrid machine: its cgroup.kill first, then the per-pid kills.
  for (const driver of [...drivers].reverse()) driver.kill(id);
  for (const dir of drivers.flatMap((d) => d.dirs(id))) removeCgroupDir(dir);
}
// #endregion destroyCgroup
