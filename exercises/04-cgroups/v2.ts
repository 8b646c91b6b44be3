// Chapter 04 — exercise: write a container's limits into a cgroup v2 directory.
import { todo } from '../../lib/todo.js';
import { writeCgroupFile } from '../../solutions/04-cgroups/files.js';
import { sharesToWeight } from '../../solutions/04-cgroups/units.js';
import type { Limits } from '../../solutions/04-cgroups/types.js';
export { enableControllers, v2Driver, V2_CONTROLLERS } from '../../solutions/04-cgroups/v2.js';

/**
 * Write each limit that is set into its file in `dir`, and leave the others alone:
 *   memory      → memory.max        bytes
 *   memorySwap  → memory.swap.max   swap alone: memorySwap - memory, or "max" for -1
 *   cpuQuotaUs  → cpu.max           "QUOTA PERIOD" (period defaults to 100000)
 *   cpuShares   → cpu.weight        sharesToWeight(cpuShares)
 *   pidsMax     → pids.max
 *   cpusetCpus  → cpuset.cpus
 * Tools: writeCgroupFile(join(dir, name), value), sharesToWeight (imported above).
 */
export function writeV2Limits(dir: string, limits: Limits): void {
  // TODO: one `if (limits.x !== undefined)` and one write per limit.
  void dir;
  void limits;
  void writeCgroupFile;
  void sharesToWeight;
  todo('writeV2Limits', 'exercises/04-cgroups/v2.ts');
}
