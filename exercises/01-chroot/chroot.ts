// Chapter 01 — exercise: enter a new root directory. Read chapters/01-chroot/README.md.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Make `rootfs` the root directory of this process, and leave the working directory inside
 * it. Tools: sys.chroot(path), sys.chdir(path).
 */
export function enterRoot(rootfs: string): void {
  // TODO: chroot into rootfs, then make sure the working directory is inside the new root.
  void sys;
  todo('enterRoot', 'exercises/01-chroot/chroot.ts');
}
