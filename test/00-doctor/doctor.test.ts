import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCgroupLayout, runChecks } from '@impl/00-doctor/index.js';
import { carton } from '../helpers/index.js';

const line = (mountPoint: string, fstype: string, superOptions: string) =>
  `30 23 0:26 / ${mountPoint} rw,nosuid,nodev,noexec,relatime shared:5 - ${fstype} ${fstype} ${superOptions}`;

describe('cgroup layout detection', () => {
  it('recognises pure v2', () => {
    const layout = parseCgroupLayout(line('/sys/fs/cgroup', 'cgroup2', 'rw,nsdelegate'), () => 'cpuset cpu io memory pids\n');
    expect(layout.mode).toBe('v2');
    expect(layout.v2Controllers).toEqual(['cpuset', 'cpu', 'io', 'memory', 'pids']);
  });

  it('recognises v1 and maps each controller to its hierarchy', () => {
    const text = [line('/sys/fs/cgroup/memory', 'cgroup', 'rw,memory'), line('/sys/fs/cgroup/cpu,cpuacct', 'cgroup', 'rw,cpu,cpuacct')].join('\n');
    const layout = parseCgroupLayout(text);
    expect(layout.mode).toBe('v1');
    expect(layout.v1).toEqual({ memory: '/sys/fs/cgroup/memory', cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct' });
  });

  it('recognises hybrid: v1 controllers plus a cgroup2 mount', () => {
    const text = [line('/sys/fs/cgroup/unified', 'cgroup2', 'rw'), line('/sys/fs/cgroup/pids', 'cgroup', 'rw,pids')].join('\n');
    expect(parseCgroupLayout(text, () => 'hugetlb').mode).toBe('hybrid');
  });

  it('describes this machine as its mountinfo does', () => {
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    const v1 = / - cgroup /.test(mountinfo);
    const v2 = / - cgroup2 /.test(mountinfo);
    const expected = v1 && v2 ? 'hybrid' : v1 ? 'v1' : v2 ? 'v2' : 'none';
    const cgroups = runChecks().find((c) => c.name === 'cgroups');
    expect(cgroups?.detail.startsWith(expected)).toBe(true);
  });
});

describe('carton doctor', () => {
  it('prints every check, and JSON on request', async () => {
    const result = await carton(['doctor', '--format', 'json']);
    const checks = JSON.parse(result.stdout) as Array<{ name: string; status: string }>;
    for (const name of ['privileges', 'namespace pid', 'namespace mnt', 'overlayfs', 'cgroups', 'ip', 'nft', 'busybox']) {
      expect(checks.map((c) => c.name)).toContain(name);
    }
    expect(result.status).toBe(checks.some((c) => c.status === 'missing') ? 1 : 0);
  });
});
