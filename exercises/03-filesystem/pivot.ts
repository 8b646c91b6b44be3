// Chapter 03 — exercise: pivot_root, the way out of chroot's weakness.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Make `newRoot` (a mount point) the root of this mount namespace, with the old root detached
 * so that nothing of it stays reachable, and leave the working directory at the new `/`.
 * pivot_root(2) asks for a put_old directory under the new root; its NOTES say how to do
 * without one (runc does).
 */
export function pivotInto(newRoot: string): void {
  // TODO
  void sys;
  void newRoot;
  todo('pivotInto', 'exercises/03-filesystem/pivot.ts');
}
