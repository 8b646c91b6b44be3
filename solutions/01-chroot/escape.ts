// Why chroot is not isolation: a process that is root inside a chroot can leave it.
// chroot(2) changes the root directory but not the working directory, and ".." only stops
// at the process's *current* root. So: chroot into a subdirectory while the working
// directory stays above it, then walk up with chdir("..") until the real / is reached,
// and chroot(".") there. Chapter 03 closes this hole with a mount namespace + pivot_root.
import { mkdirSync, openSync, closeSync, rmdirSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';

// #region escapeChroot
/**
 * Leave the chroot this process is in, using `scratch` (a directory name to create inside
 * the current root). Afterwards "/" is the host's root again.
 */
export function escapeChroot(scratch = '.carton-escape'): void {
  mkdirSync(scratch, { recursive: true });
  const here = openSync('.', 'r'); // a handle on a directory outside the next root
  sys.chroot(scratch); // the root moves down; the working directory does not follow
  sys.fchdir(here); // make sure the working directory is the one outside the root
  closeSync(here);
  for (let i = 0; i < 256; i++) sys.chdir('..'); // ".." at the real / is / itself
  sys.chroot('.');
  try {
    rmdirSync(scratch);
  } catch {
    // The scratch directory is inside the old root, now at a path we no longer know.
  }
}
// #endregion escapeChroot
