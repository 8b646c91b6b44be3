import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSeccomp, describeUserNamespaces, parseCgroupLayout, runChecks } from '@impl/00-doctor/index.js';
import { carton, removeDir, tempDir } from '../helpers/index.js';

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

describe('seccomp and user namespaces', () => {
  it('reports what this kernel says: the Seccomp field, the actions it can take, user.max_user_namespaces', () => {
    const seccomp = describeSeccomp();
    const hasField = /^Seccomp:/m.test(readFileSync('/proc/self/status', 'utf8'));
    expect(seccomp.status).toBe(hasField ? 'ok' : 'warn');
    if (hasField) expect(seccomp.detail).toContain(readFileSync('/proc/sys/kernel/seccomp/actions_avail', 'utf8').trim());
    const users = describeUserNamespaces();
    const max = Number(readFileSync('/proc/sys/user/max_user_namespaces', 'utf8'));
    expect(users.detail).toContain(max > 0 ? `up to ${max}` : 'disabled');
  });
  it('names what is missing, from a fake /proc and /etc/subuid', () => {
    const root = tempDir('carton-doctor-');
    mkdirSync(join(root, 'self'), { recursive: true });
    mkdirSync(join(root, 'sys/user'), { recursive: true });
    writeFileSync(join(root, 'self/status'), 'Name:\tnode\n');
    expect(describeSeccomp(root)).toMatchObject({ status: 'warn', detail: expect.stringMatching(/no system call filter/) });
    writeFileSync(join(root, 'sys/user/max_user_namespaces'), '0\n');
    expect(describeUserNamespaces(root, join(root, 'subuid'))).toMatchObject({ status: 'warn', detail: expect.stringMatching(/disabled/) });
    writeFileSync(join(root, 'sys/user/max_user_namespaces'), '100\n');
    expect(describeUserNamespaces(root, join(root, 'subuid'))).toMatchObject({ status: 'warn', detail: expect.stringMatching(/neither carton nor root has a subordinate id range/) });
    writeFileSync(join(root, 'subuid'), 'ann:200000:65536\nroot:100000:65536\n');
    expect(describeUserNamespaces(root, join(root, 'subuid'))).toEqual({ name: 'user namespaces', status: 'ok', detail: "up to 100; root's subordinate ids 100000:65536 (--userns=private)" });
    writeFileSync(join(root, 'subuid'), 'root:100000:65536\ncarton:300000:65536\n');
    expect(describeUserNamespaces(root, join(root, 'subuid'))).toMatchObject({ status: 'ok', detail: expect.stringMatching(/carton's subordinate ids 300000:65536/) });
    removeDir(root);
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
