// setUpRoot: the stage's whole filesystem sequence, checked on kernel state from outside: the
// probe's mount table holds the container's mounts and nothing of the host's, none of them
// shared with the host, the masks in place, and the host's own mount table untouched.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, isRoot, repo } from '../helpers/index.js';
import { testRootfs, type TestRootfs } from '../helpers/rootfs.js';
import { MASKED_PATHS, READONLY_PATHS } from '../../solutions/03-filesystem/mounts.js';

describe.skipIf(!isRoot)('setUpRoot (needs root)', () => {
  let fs: TestRootfs;
  let hostname: string;
  beforeAll(() => {
    fs = testRootfs();
    hostname = join(fs.dir, 'hostname');
    writeFileSync(hostname, 'box\n');
  });
  afterAll(() => fs.cleanup());

  it('leaves the rootfs as the whole world: its own /proc, /sys, /dev, files and masks, nothing of the host', async () => {
    // --propagation shared: every mount of the probe's namespace starts shared, as on a systemd
    // host (this machine's own mounts may be private), so that a missing makeMountsPrivate shows.
    const child = spawn('unshare', ['--mount', '--pid', '--fork', '--propagation', 'shared', process.execPath, '--import', 'tsx', 'test/probes/03-set-up-root.ts', fs.rootfs, hostname], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const report = JSON.parse(await firstLine(child)) as { hostname: string; pid1: boolean; nullDevice: number | null };
      expect(report.hostname).toBe('box\n');
      expect(report.pid1).toBe(true); // /proc is the container's: its PID 1 is the probe
      expect(report.nullDevice).toBe(259); // makedev(1, 3)
      const probe = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]);
      const mounts = readFileSync(`/proc/${probe}/mountinfo`, 'utf8').trim().split('\n').map((l) => l.split(' '));
      const points = mounts.map((m) => m[4]);
      expect(points[0]).toBe('/');
      for (const p of ['/proc', '/sys', '/dev', '/dev/pts', '/dev/shm', '/etc/hostname', ...[...MASKED_PATHS, ...READONLY_PATHS].filter((m) => existsSync(m))]) {
        expect(points, p).toContain(p);
      }
      // Nothing of the host's: every mount point is one the sequence made.
      for (const p of points) expect(p).toMatch(/^\/((proc|sys|dev|etc)(\/|$)|$)/);
      // Not shared with the host: no peer group in the optional fields (man 5 proc, mountinfo).
      for (const m of mounts) expect(m.slice(6, m.indexOf('-')).join(' '), m[4]).not.toMatch(/shared:/);
      // And the host's table did not gain the container's mounts.
      const host = readFileSync('/proc/self/mountinfo', 'utf8');
      expect(host).not.toContain(fs.rootfs);
      const sys = mounts.find((m) => m[4] === '/sys')!;
      expect(sys[5].split(',')).toContain('ro');
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
