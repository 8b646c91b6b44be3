import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectLayout, openCgroups } from '@impl/04-cgroups/index.js';
import { removeDir, tempDir } from '../helpers/index.js';
import { MOUNTINFO_HYBRID, MOUNTINFO_V1, MOUNTINFO_V2 } from './fake-tree.js';

describe('detectLayout (fake mountinfo)', () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  function fake(mountinfo: string, controllers: Record<string, string> = {}) {
    dir = tempDir('carton-cgroup-detect-');
    mkdirSync(join(dir, 'proc/self'), { recursive: true });
    writeFileSync(join(dir, 'proc/self/mountinfo'), mountinfo);
    for (const [at, list] of Object.entries(controllers)) {
      mkdirSync(join(dir, 'cgroup', at), { recursive: true });
      writeFileSync(join(dir, 'cgroup', at, 'cgroup.controllers'), list);
    }
    return { cgroupRoot: join(dir, 'cgroup'), procRoot: join(dir, 'proc') };
  }

  it('pure v2: one cgroup2 mount, rebased onto cgroupRoot', () => {
    const roots = fake(MOUNTINFO_V2, { '': 'cpuset cpu memory pids\n' });
    const layout = detectLayout(roots.cgroupRoot, roots.procRoot);
    expect(layout.mode).toBe('v2');
    expect(layout.v2Mount).toBe(roots.cgroupRoot);
    expect(layout.v2Controllers).toEqual(['cpuset', 'cpu', 'memory', 'pids']);
    expect(openCgroups(roots).mode).toBe('v2');
  });

  it('hybrid: v1 controllers plus a cgroup2 mount at unified', () => {
    const roots = fake(MOUNTINFO_HYBRID, { unified: 'hugetlb\n' });
    const layout = detectLayout(roots.cgroupRoot, roots.procRoot);
    expect(layout.mode).toBe('hybrid');
    expect(layout.v2Mount).toBe(join(roots.cgroupRoot, 'unified'));
    expect(layout.v1.memory).toBe(join(roots.cgroupRoot, 'memory'));
    expect(layout.v1.cpu).toBe(join(roots.cgroupRoot, 'cpu,cpuacct'));
    expect(layout.v1.cpuacct).toBe(layout.v1.cpu); // co-mounted: one hierarchy, one directory
  });

  it('v1 only', () => {
    const roots = fake(MOUNTINFO_V1);
    expect(detectLayout(roots.cgroupRoot, roots.procRoot).mode).toBe('v1');
  });

  it('no cgroup filesystem: a CartonError with a hint', () => {
    const roots = fake('22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n');
    expect(() => openCgroups(roots)).toThrow(/no cgroup filesystem/);
  });
});
