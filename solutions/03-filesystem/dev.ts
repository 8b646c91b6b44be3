// /dev inside a container is not the host's: a small tmpfs with only the harmless devices,
// a private devpts instance for terminals, and a tmpfs for POSIX shared memory.
import { mkdirSync, symlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../lib/sys/index.js';

/** [name, major, minor] of the character devices every container gets (see devices.txt in the kernel docs). */
export const DEVICES: Array<[string, number, number]> = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
];

// #region createDeviceNodes
/** mknod each of DEVICES in `dev`, mode 0666 (chmod after: mknod's mode is filtered by umask). */
export function createDeviceNodes(dev: string): void {
  for (const [name, major, minor] of DEVICES) {
    const path = join(dev, name);
    sys.mknod(path, sys.S_IFCHR | 0o666, sys.makedev(major, minor));
    chmodSync(path, 0o666);
  }
}
// #endregion createDeviceNodes

/**
 * Mount the container's /dev under `root`: a tmpfs, devpts, shm and the fd links. The device
 * nodes come from createDeviceNodes, which the stage calls right after (the learner's own).
 */
export function mountDev(root: string): void {
  const dev = join(root, 'dev');
  mkdirSync(dev, { recursive: true });
  sys.mount('tmpfs', dev, 'tmpfs', sys.MS_NOSUID | sys.MS_STRICTATIME, 'mode=755,size=65536k');
  // A new devpts instance: the container sees its own terminals only. ptmx is its multiplexer.
  mkdirSync(join(dev, 'pts'));
  sys.mount('devpts', join(dev, 'pts'), 'devpts', sys.MS_NOSUID | sys.MS_NOEXEC, 'newinstance,ptmxmode=0666,mode=0620');
  symlinkSync('pts/ptmx', join(dev, 'ptmx'));
  mkdirSync(join(dev, 'shm'));
  sys.mount('shm', join(dev, 'shm'), 'tmpfs', sys.MS_NOSUID | sys.MS_NODEV | sys.MS_NOEXEC, 'mode=1777,size=65536k');
  symlinkSync('/proc/self/fd', join(dev, 'fd'));
  symlinkSync('/proc/self/fd/0', join(dev, 'stdin'));
  symlinkSync('/proc/self/fd/1', join(dev, 'stdout'));
  symlinkSync('/proc/self/fd/2', join(dev, 'stderr'));
}
