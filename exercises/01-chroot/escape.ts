// Chapter 01 — exercise: break out of a chroot, to see why it is not isolation.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';

/**
 * Leave the chroot this process is in. `scratch` is a directory name you may create inside
 * the current root. Afterwards "/" must be the host's root again.
 * Tools: fs.mkdirSync, fs.openSync('.', 'r'), sys.chroot, sys.fchdir, sys.chdir.
 */
export function escapeChroot(scratch = '.carton-escape'): void {
  // TODO: chroot into `scratch` while the working directory stays outside it, walk up
  // with chdir(".."), then chroot(".").
  void sys;
  void scratch;
  todo('escapeChroot', 'exercises/01-chroot/escape.ts');
}
