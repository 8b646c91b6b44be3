import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLine, isRoot, probe } from '../helpers/index.js';
import { testRootfs, type TestRootfs } from '../helpers/rootfs.js';

describe.skipIf(!isRoot)('escapeChroot (needs root)', () => {
  let fs: TestRootfs;
  let marker: string;
  beforeAll(() => {
    fs = testRootfs();
    marker = join(fs.dir, 'outside-the-jail'); // beside the rootfs, not in it
    writeFileSync(marker, 'host');
  });
  afterAll(() => fs.cleanup());

  it('gets a root process out of a chroot: its root is the host root again', async () => {
    const child = probe('01-escape', [fs.rootfs, marker]);
    try {
      const report = JSON.parse(await firstLine(child)) as { markerInside: boolean; markerAfter: boolean };
      expect(report.markerInside).toBe(false); // the chroot did hide the host file...
      expect(report.markerAfter).toBe(true); // ...until the escape
      expect(readlinkSync(`/proc/${child.pid}/root`)).toBe('/');
    } finally {
      child.stdin?.end();
      child.kill('SIGKILL');
    }
  });
});
