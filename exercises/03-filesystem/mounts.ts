// Chapter 03 — exercises: private mounts and /proc. Read chapters/03-filesystem/README.md.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
export { bindRootfs, mountSys, bindFile, maskPaths, MASKED_PATHS, READONLY_PATHS } from '../../solutions/03-filesystem/mounts.js';

/**
 * Make every mount of this (new) mount namespace private, recursively, so that nothing
 * mounted from now on propagates to the host: one sys.mount call on "/" with
 * MS_REC | MS_PRIVATE (source and fstype null).
 */
export function makeMountsPrivate(): void {
  // TODO
  void sys;
  todo('makeMountsPrivate', 'exercises/03-filesystem/mounts.ts');
}

/**
 * Mount a procfs at <root>/proc (create the directory if needed), with MS_NOSUID, MS_NODEV
 * and MS_NOEXEC. Source "proc", type "proc".
 */
export function mountProc(root: string): void {
  // TODO
  void root;
  todo('mountProc', 'exercises/03-filesystem/mounts.ts');
}
