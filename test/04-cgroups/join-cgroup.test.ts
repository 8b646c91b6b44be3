import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { joinCgroup } from '@impl/04-cgroups/index.js';
import { isRoot, removeDir, tempDir } from '../helpers/index.js';
import { fakeGroup } from './fake-tree.js';

// A real hierarchy that has cgroup.procs and no controller to set up first: v1 pids, or v2.
const realRoot = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/unified', '/sys/fs/cgroup'].find((d) => {
  try {
    readFileSync(join(d, 'cgroup.procs'));
    return true;
  } catch {
    return false;
  }
});

describe('joinCgroup', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it('writes the pid into cgroup.procs (fake tree)', () => {
    const dir = fakeGroup(join(tempDir('carton-cgroup-fake-'), 'group'));
    cleanups.push(() => removeDir(join(dir, '..')));
    joinCgroup(dir, 4242);
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim()).toBe('4242');
  });

  it.skipIf(!isRoot || !realRoot)('moves a real process: /proc/PID/cgroup names the group (needs root)', () => {
    const name = `carton-test-${Math.random().toString(36).slice(2, 10)}`;
    const dir = join(realRoot!, name);
    mkdirSync(dir);
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => {
      child.kill('SIGKILL');
      // the pid leaves the group when it exits; rmdir succeeds once it has
      for (let i = 0; i < 200; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
      }
    });
    joinCgroup(dir, child.pid!);
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(child.pid));
    expect(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8')).toContain(`/${name}\n`);
  });
});
