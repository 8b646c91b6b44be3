import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, isRoot, repo } from '../helpers/index.js';
import { testRootfs, type TestRootfs } from '../helpers/rootfs.js';

describe.skipIf(!isRoot)('pivotInto (needs root)', () => {
  let fs: TestRootfs;
  let marker: string;
  beforeAll(() => {
    fs = testRootfs();
    marker = join(fs.dir, 'host-only');
    writeFileSync(marker, 'host');
  });
  afterAll(() => fs.cleanup());

  it('makes the rootfs "/", detaches the old root, and the chroot escape of chapter 01 fails', async () => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', process.execPath, '--import', 'tsx', 'test/probes/03-pivot.ts', fs.rootfs, marker], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const report = JSON.parse(await firstLine(child)) as { inside: boolean; escaped: boolean };
      expect(report.inside).toBe(true);
      expect(report.escaped).toBe(false);
      // Kernel state: the probe's mount table holds only the rootfs at "/": the host's root
      // mount (and everything under it, such as /proc or /work) is gone from its world.
      const probePid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0] || child.pid);
      const mountPoints = readFileSync(`/proc/${probePid}/mountinfo`, 'utf8').trim().split('\n').map((l) => l.split(' ')[4]);
      expect(mountPoints).toEqual(['/']);
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
