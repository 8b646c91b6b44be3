// Chapter 01: chroot(2) changes what "/" means for a process and its children. It is the
// oldest piece of a container (Version 7 Unix, 1979) and the weakest: it changes a path
// lookup, not a security boundary. See `man 2 chroot`.
import * as sys from '../../lib/sys/index.js';

// #region enterRoot
/**
 * Make `rootfs` the root directory of this process. chroot(2) alone leaves the working
 * directory outside the new root, so a relative path could still reach the old tree:
 * chdir("/") right after it, as chroot(1) does.
 */
export function enterRoot(rootfs: string): void {
  sys.chroot(rootfs);
  sys.chdir('/');
}
// #endregion enterRoot
