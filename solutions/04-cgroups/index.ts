// Chapter 04 — cgroups: the public surface the runtime and the tests use.
export type { Cgroup, CgroupManager, CgroupStats, ContainerCgroup, Limits } from './types.js';
export { parseMemory, cpuMax, sharesToWeight, parseLimits, CPU_PERIOD_US, type LimitFlags } from './units.js';
export { joinCgroup, readPids } from './procs.js';
export { writeV2Limits, enableControllers, v2Driver, V2_CONTROLLERS } from './v2.js';
export { v1Driver, V1_CONTROLLERS } from './v1.js';
export { destroyCgroup } from './lifecycle.js';
export { openCgroups, openCgroupsWith, detectLayout, driversFor, DEFAULT_CGROUP_ROOT, type OpenOptions } from './manager.js';
