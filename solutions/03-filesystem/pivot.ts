// pivot_root(2) moves the whole mount namespace onto a new root and the old root to a place
// under it, from where we unmount it. Unlike chroot, nothing of the host's tree remains
// reachable afterwards: there is no ".." to climb, because the old root is not mounted.
import * as sys from '../../lib/sys/index.js';

// #region pivotInto
/**
 * Make `newRoot` (a mount point, in a private mount namespace) the root, and detach the old
 * one. runc's trick: pivot_root(".", ".") stacks the old root *on top of* the new one at the
 * same place, so no put_old directory is needed (the rootfs may be read-only); unmounting
 * "." then removes the old root and uncovers the new one.
 */
export function pivotInto(newRoot: string): void {
  sys.chdir(newRoot);
  sys.pivotRoot('.', '.');
  sys.umount2('.', sys.MNT_DETACH);
  sys.chdir('/');
}
// #endregion pivotInto
