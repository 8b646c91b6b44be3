// Chapter 04 — detection in one place, then one ContainerCgroup over the drivers it chose:
//   v2      the v2 driver, with controllers
//   v1      the v1 driver
//   hybrid  the v1 driver for the limits, plus the v2 tree's core files (cgroup.kill)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CartonError } from '../../lib/sys/errors.js';
import { parseCgroupLayout, type CgroupLayout } from '../00-doctor/cgroup-layout.js';
import { destroyCgroup } from './lifecycle.js';
import { joinCgroup } from './procs.js';
import { v1Driver } from './v1.js';
import { v2Driver, writeV2Limits, type V2Parts } from './v2.js';
import type { Cgroup, CgroupManager, ContainerCgroup, Limits } from './types.js';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

export interface OpenOptions {
  /** Where the cgroup filesystems are; mount points under /sys/fs/cgroup are moved here. */
  cgroupRoot?: string;
  procRoot?: string;
  /** The cgroup under which containers live, in every hierarchy. */
  parent?: string;
}

// #region detectLayout
/** Read the layout from <procRoot>/self/mountinfo, with mount points rebased on cgroupRoot,
 *  so that a test can describe a fake tree with a fake mountinfo. */
export function detectLayout(cgroupRoot = DEFAULT_CGROUP_ROOT, procRoot = '/proc'): CgroupLayout {
  const rebase = (mount: string) =>
    mount === DEFAULT_CGROUP_ROOT || mount.startsWith(DEFAULT_CGROUP_ROOT + '/') ? cgroupRoot + mount.slice(DEFAULT_CGROUP_ROOT.length) : mount;
  const layout = parseCgroupLayout(readFileSync(join(procRoot, 'self/mountinfo'), 'utf8'), (m) => readFileSync(join(rebase(m), 'cgroup.controllers'), 'utf8'));
  for (const controller of Object.keys(layout.v1)) layout.v1[controller] = rebase(layout.v1[controller]);
  if (layout.v2Mount) layout.v2Mount = rebase(layout.v2Mount);
  return layout;
}
// #endregion detectLayout

/** The drivers for a layout; the first one holds the limits and answers stats(). */
export function driversFor(layout: CgroupLayout, parent: string, parts: V2Parts): Cgroup[] {
  if (layout.mode === 'v2' && layout.v2Mount) return [v2Driver(layout.v2Mount, parent, true, parts)];
  if (layout.mode === 'v1' || layout.mode === 'hybrid') {
    const drivers = [v1Driver(layout.v1, parent, parts.joinCgroup)];
    if (layout.v2Mount) drivers.push(v2Driver(layout.v2Mount, parent, false, parts));
    return drivers;
  }
  throw new CartonError('no cgroup filesystem is mounted', 'mount cgroup2 on /sys/fs/cgroup, or see `carton doctor`');
}

function containerCgroup(id: string, drivers: Cgroup[], destroy: typeof destroyCgroup): ContainerCgroup {
  const [main] = drivers;
  const paths = drivers.flatMap((d) => d.dirs(id));
  return {
    id,
    paths,
    join: (pid) => drivers.forEach((d) => d.join(id, pid)),
    stats: () => main.stats(id),
    oomKilled: () => main.oomKilled(id),
    pids: () => [...new Set(drivers.flatMap((d) => d.pids(id)))],
    freeze: main.freeze && (() => main.freeze!(id)),
    thaw: main.thaw && (() => main.thaw!(id)),
    // A driver's create makes what is missing (nothing, here) and writes the limits it is given.
    update: (limits) => drivers.forEach((d) => d.create(id, limits)),
    destroy: () => destroy(id, drivers),
  };
}

function validateId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) {
    throw new CartonError(`invalid cgroup name "${id}"`, 'use letters, digits, "_", "." and "-"');
  }
}

// #region openCgroups
export function openCgroupsWith(parts: V2Parts, opts: OpenOptions = {}, destroy = destroyCgroup): CgroupManager {
  const layout = detectLayout(opts.cgroupRoot, opts.procRoot);
  const drivers = driversFor(layout, opts.parent ?? 'carton', parts);
  const mode = layout.mode as CgroupManager['mode'];
  return {
    mode,
    create(id: string, limits: Limits) {
      validateId(id);
      const cgroup = containerCgroup(id, drivers, destroy);
      try {
        for (const driver of drivers) driver.create(id, limits);
      } catch (error) {
        // Leave nothing half made, with the reference clean-up: when `destroy` is a learner's
        // (exercises/), a stub of it must not leave the groups this create made on the host.
        destroyCgroup(id, drivers);
        throw error;
      }
      return cgroup;
    },
    open(id: string) {
      validateId(id);
      return containerCgroup(id, drivers, destroy);
    },
    list() {
      const parents = new Set(drivers.flatMap((d) => d.dirs('x').map(dirname)));
      const ids = new Set<string>();
      for (const dir of parents) {
        try {
          for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) ids.add(entry.name);
        } catch {
          // no parent yet in this hierarchy: nothing to list
        }
      }
      return [...ids].sort();
    },
  };
}

/** Detect the machine's cgroups and return a manager for containers under `parent`. */
export function openCgroups(opts: OpenOptions = {}): CgroupManager {
  return openCgroupsWith({ writeV2Limits, joinCgroup }, opts);
}
// #endregion openCgroups
