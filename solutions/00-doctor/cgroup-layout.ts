// Which cgroup hierarchies does this machine mount, and where do the controllers live?
// Read from /proc/self/mountinfo (man 5 proc): a v1 hierarchy is a mount of type "cgroup"
// whose super options name its controllers; the v2 hierarchy is the one "cgroup2" mount,
// whose controllers are listed in its cgroup.controllers file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupMode = 'v1' | 'v2' | 'hybrid' | 'none';

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller → mount point, e.g. memory → /sys/fs/cgroup/memory. */
  v1: Record<string, string>;
  /** Where cgroup2 is mounted, if it is. */
  v2Mount?: string;
  /** Controllers available in the v2 hierarchy. */
  v2Controllers: string[];
}

const V1_CONTROLLERS = ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids', 'blkio', 'devices', 'freezer', 'net_cls', 'net_prio', 'perf_event', 'hugetlb', 'rdma', 'misc'];

// #region parseCgroupLayout
/** Parse mountinfo text; `readControllers` reads cgroup.controllers of the v2 mount. */
export function parseCgroupLayout(mountinfo: string, readControllers: (mount: string) => string = (m) => readFileSync(join(m, 'cgroup.controllers'), 'utf8')): CgroupLayout {
  const layout: CgroupLayout = { mode: 'none', v1: {}, v2Controllers: [] };
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOptions = ''] = right.split(' ');
    if (fstype === 'cgroup2') {
      layout.v2Mount ??= mountPoint;
    } else if (fstype === 'cgroup') {
      for (const option of superOptions.split(',')) {
        // Named hierarchies (name=systemd) have no controller, but a container must join
        // them too: left at their root, it could mount one and reach its release_agent.
        if (V1_CONTROLLERS.includes(option) || option.startsWith('name=')) layout.v1[option] ??= mountPoint;
      }
    }
  }
  if (layout.v2Mount) {
    try {
      layout.v2Controllers = readControllers(layout.v2Mount).trim().split(/\s+/).filter(Boolean);
    } catch {
      layout.v2Controllers = [];
    }
  }
  const hasV1 = Object.keys(layout.v1).length > 0;
  layout.mode = hasV1 && layout.v2Mount ? 'hybrid' : hasV1 ? 'v1' : layout.v2Mount ? 'v2' : 'none';
  return layout;
}
// #endregion parseCgroupLayout

export function cgroupLayout(procRoot = '/proc'): CgroupLayout {
  return parseCgroupLayout(readFileSync(join(procRoot, 'self/mountinfo'), 'utf8'));
}
