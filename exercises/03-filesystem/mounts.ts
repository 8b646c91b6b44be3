// Chapter 03 — exercises: private mounts and /proc. Read chapters/03-filesystem/README.md.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
export { bindRootfs, mountSys, bindFile, maskPaths, MASKED_PATHS, READONLY_PATHS } from '../../solutions/03-filesystem/mounts.js';

/**
 * Make sure that nothing mounted from now on in this (new) mount namespace propagates to the
 * host's, nor the other way round: every mount, however deep. man 7 mount_namespaces
 * ("Shared subtrees") and man 2 mount ("Changing the propagation type").
 */
export function makeMountsPrivate(): void {
  // TODO
  void sys;
  todo('makeMountsPrivate', 'exercises/03-filesystem/mounts.ts');
}

/**
 * Give <root>/proc a procfs of its own (make the directory if it is missing), one where
 * set-user-ID bits, device files and executables have no effect. man 5 proc, man 2 mount.
 */
export function mountProc(root: string): void {
  // TODO
  void root;
  todo('mountProc', 'exercises/03-filesystem/mounts.ts');
}
