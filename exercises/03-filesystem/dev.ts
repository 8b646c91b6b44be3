// Chapter 03 — exercise: the device nodes of the container's /dev.
import * as sys from '../../lib/sys/index.js';
import { todo } from '../../lib/todo.js';
import { DEVICES } from '../../solutions/03-filesystem/dev.js';
export { mountDev, DEVICES } from '../../solutions/03-filesystem/dev.js';

/**
 * Create in `dev` one character device per entry [name, major, minor] of DEVICES, readable
 * and writable by everyone, whatever this process's umask. man 2 mknod.
 */
export function createDeviceNodes(dev: string): void {
  // TODO
  void sys;
  void DEVICES;
  void dev;
  todo('createDeviceNodes', 'exercises/03-filesystem/dev.ts');
}
