// Chapter 03 — exercise: pivot_root, the way out of chroot's weakness.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Make `newRoot` the root of this mount namespace and detach the old root. runc's way, with
 * no put_old directory: sys.chdir(newRoot); sys.pivotRoot('.', '.');
 * sys.umount2('.', sys.MNT_DETACH); sys.chdir('/').
 */
export function pivotInto(newRoot: string): void {
  // TODO
  void sys;
  void newRoot;
  todo('pivotInto', 'exercises/03-filesystem/pivot.ts');
}
