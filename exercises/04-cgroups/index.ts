// Chapter 04 — cgroups: the same public surface as solutions/04-cgroups, with your functions
// inside: openCgroups and parseLimits below use your joinCgroup, writeV2Limits, destroyCgroup
// and parseMemory.
import { openCgroupsWith, type OpenOptions } from '../../solutions/04-cgroups/manager.js';
import type { CgroupManager } from '../../solutions/04-cgroups/types.js';
import { joinCgroup } from './procs.js';
import { writeV2Limits } from './v2.js';
import { destroyCgroup } from './lifecycle.js';

export type { Cgroup, CgroupManager, CgroupStats, ContainerCgroup, Limits } from '../../solutions/04-cgroups/types.js';
export { parseMemory, cpuMax, sharesToWeight, parseLimits, CPU_PERIOD_US, type LimitFlags } from './units.js';
export { joinCgroup, readPids } from './procs.js';
export { destroyCgroup } from './lifecycle.js';
export { writeV2Limits, enableControllers, v2Driver, V2_CONTROLLERS } from './v2.js';
export { v1Driver, V1_CONTROLLERS } from '../../solutions/04-cgroups/v1.js';
export { openCgroupsWith, detectLayout, driversFor, DEFAULT_CGROUP_ROOT, type OpenOptions } from '../../solutions/04-cgroups/manager.js';

export function openCgroups(opts: OpenOptions = {}): CgroupManager {
  return openCgroupsWith({ writeV2Limits, joinCgroup }, opts, destroyCgroup);
}
