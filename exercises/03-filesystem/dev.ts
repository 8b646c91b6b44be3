// Chapter 03 — exercise: the device nodes of the container's /dev.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { DEVICES } from '../../solutions/03-filesystem/dev.js';
export { mountDev, DEVICES } from '../../solutions/03-filesystem/dev.js';

/**
 * For each [name, major, minor] of DEVICES, create the character device <dev>/<name> with
 * sys.mknod(path, sys.S_IFCHR | 0o666, sys.makedev(major, minor)), then chmod it to 0o666
 * (mknod's mode passes through the umask).
 */
export function createDeviceNodes(dev: string): void {
  // TODO
  void sys;
  void DEVICES;
  void dev;
  todo('createDeviceNodes', 'exercises/03-filesystem/dev.ts');
}
