import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, isRoot, probe } from '../helpers/index.js';
import { testRootfs, type TestRootfs } from '../helpers/rootfs.js';

describe.skipIf(!isRoot)('enterRoot (needs root)', () => {
  let fs: TestRootfs;
  beforeAll(() => (fs = testRootfs()));
  afterAll(() => fs.cleanup());

  it('makes the rootfs the process root, as the kernel sees it', async () => {
    const child = probe('01-enter-root', [fs.rootfs]);
    try {
      const report = JSON.parse(await firstLine(child)) as { root: string[] };
      // Kernel state, read from outside: the process's root and working directory.
      expect(readlinkSync(`/proc/${child.pid}/root`)).toBe(fs.rootfs);
      expect(readlinkSync(`/proc/${child.pid}/cwd`)).toBe(fs.rootfs);
      expect(report.root).toContain('bin');
      expect(report.root).not.toContain('work'); // the host's /work is out of sight
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
