// cgroup v2's device control: the BPF program chapter 09 compiles from Docker's allow list,
// loaded into the kernel and attached to a cgroup of the test's own in the machine's cgroup2
// hierarchy, then tried by a process in that cgroup; and attached to every container.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as sys from '../../lib/sys/index.js';
import { deviceProgram, parseDeviceRule, restrictDevicesV2 } from '../../solutions/09-security/device-bpf.js';
import { cgroupLayout } from '../../solutions/00-doctor/cgroup-layout.js';
import { carton, isRoot, removeAllContainers, tempDir, removeDir } from '../helpers/index.js';

const v2 = cgroupLayout().v2Mount;

describe('device rules', () => {
  it('reads the v1 rule lines: type, major:minor (or *), access', () => {
    expect(parseDeviceRule('c 1:3 rwm')).toEqual({ type: 'c', major: 1, minor: 3, access: 7 });
    expect(parseDeviceRule('b *:* m')).toEqual({ type: 'b', major: undefined, minor: undefined, access: 1 });
    expect(parseDeviceRule('c 136:* rw')).toEqual({ type: 'c', major: 136, minor: undefined, access: 6 });
    expect(parseDeviceRule('a')).toEqual({ type: 'a', major: undefined, minor: undefined, access: 7 });
    expect(() => parseDeviceRule('c 1:3')).toThrow(/expected TYPE MAJOR:MINOR ACCESS/);
    expect(deviceProgram().length % 8).toBe(0);
  });
});

describe.skipIf(!isRoot || !v2)('the cgroup v2 device program, in the kernel (needs root and a cgroup2 hierarchy)', () => {
  const dir = join(v2 ?? '/', `carton-test-devices-${process.pid}`);
  const nodes = tempDir('carton-devices-');
  afterAll(async () => {
    await removeAllContainers();
    removeDir(nodes);
    try {
      rmdirSync(dir);
    } catch {
      // never made
    }
  });

  /** Run `script` in a shell that first moves itself into the test's cgroup. */
  const inCgroup = (script: string) => spawnSync('sh', ['-c', `echo $$ > ${join(dir, 'cgroup.procs')} && ${script}`], { encoding: 'utf8' });

  it('lets a process in the cgroup open only the allowed devices; it may still make any node, not open it', () => {
    mkdirSync(dir);
    restrictDevicesV2(dir);
    const fd = openSync(dir, 'r');
    try {
      expect(sys.devicePrograms(fd)).toBe(1);
    } finally {
      closeSync(fd);
    }
    const open = (path: string) => inCgroup(`head -c 1 ${path} > /dev/null`).status;
    expect([open('/dev/null'), open('/dev/zero'), open('/dev/urandom')]).toEqual([0, 0, 0]);
    // Opened only (exec 3<): reading /dev/kmsg a byte at a time is EINVAL even for root.
    const kmsg = inCgroup('exec 3< /dev/kmsg && echo opened');
    expect([kmsg.stdout, kmsg.stderr]).toEqual(['', expect.stringContaining('Operation not permitted')]);
    // mknod is allowed (Docker's "c *:* m"), opening what was made is not: 1:11 is /dev/kmsg.
    const made = inCgroup(`mknod ${nodes}/kmsg c 1 11 && exec 3< ${nodes}/kmsg && echo opened`);
    expect([made.stdout, made.stderr]).toEqual(['', expect.stringContaining('Operation not permitted')]);
    expect(inCgroup(`mknod ${nodes}/null c 1 3 && echo x > ${nodes}/null`).status).toBe(0);
    // Outside the cgroup the same node opens: the program made the difference.
    expect(spawnSync('sh', ['-c', `exec 3< ${nodes}/kmsg && echo opened`], { encoding: 'utf8' }).stdout).toBe('opened\n');
  });

  it('is attached to a default container\'s cgroup v2 directory, and not to a --privileged one\'s', async () => {
    for (const [flags, count] of [[[], 1], [['--privileged'], 0]] as Array<[string[], number]>) {
      const run = await carton(['run', '-d', '--network', 'none', ...flags, 'carton/busybox', 'sleep', '60']);
      expect(run.status, run.stderr).toBe(0);
      const pid = JSON.parse((await carton(['inspect', run.stdout.trim()])).stdout)[0].State.Pid as number;
      const path = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'))!.slice(3);
      const fd = openSync(join(v2!, path), 'r');
      try {
        expect(sys.devicePrograms(fd), flags.join(' ') || 'default').toBe(count);
      } finally {
        closeSync(fd);
      }
      execFileSync(process.execPath, [join(process.cwd(), 'lib/cli/carton.js'), 'rm', '-f', run.stdout.trim()], { env: process.env });
    }
  });
});
