// A small root filesystem for chapter tests, built once per test file with the reference
// makeRootfs (tests of one exercise must not depend on another exercise's code).
import { join } from 'node:path';
import { makeRootfs } from '../../solutions/01-chroot/rootfs.js';
import { tempDir, removeDir } from './index.js';

export interface TestRootfs {
  dir: string;
  rootfs: string;
  cleanup(): void;
}

export function testRootfs(): TestRootfs {
  const dir = tempDir('carton-rootfs-');
  const rootfs = join(dir, 'rootfs');
  makeRootfs(rootfs);
  return { dir, rootfs, cleanup: () => removeDir(dir) };
}
