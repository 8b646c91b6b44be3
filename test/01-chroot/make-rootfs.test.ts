// makeRootfs, both ways: from the static busybox, and from host programs plus the shared
// libraries and ELF interpreter that ldd names (the way without busybox-static).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRootfs, findStaticBusybox } from '../../solutions/01-chroot/rootfs.js';
import { carton, isRoot, removeDir, tempDir } from '../helpers/index.js';

describe.skipIf(!isRoot)('makeRootfs (needs root to run the result)', () => {
  const dir = tempDir();
  afterAll(() => removeDir(dir));

  it('without busybox: copies host programs with their libraries, and the result runs', async () => {
    const rootfs = join(dir, 'host');
    expect(makeRootfs(rootfs, null)).toBe('host-binaries');
    expect(existsSync(join(rootfs, 'bin/sh'))).toBe(true);
    const result = await carton(['run', '--rm', '--rootfs', rootfs, '/bin/sh', '-c', 'echo from-host-binaries; ls /bin | grep -c .']);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('from-host-binaries');
  });

  it.skipIf(!findStaticBusybox())('with a static busybox: one binary and a symlink per applet', async () => {
    const rootfs = join(dir, 'busybox');
    expect(makeRootfs(rootfs)).toBe('busybox');
    const result = await carton(['run', '--rm', '--rootfs', rootfs, 'sh', '-c', 'readlink /bin/sh; wget --help 2>&1 | head -1']);
    expect(result.stdout).toMatch(/^\/bin\/busybox\nBusyBox v/);
  });
});
