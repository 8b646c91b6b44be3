import { CartonError } from '../sys/index.js';

/** Containers need root: chroot, mount and unshare all need CAP_SYS_ADMIN or CAP_SYS_CHROOT. */
export function requireRoot(verb: string): void {
  if (process.getuid?.() !== 0) {
    throw new CartonError(`carton ${verb} needs root privileges (CAP_SYS_ADMIN and CAP_SYS_CHROOT): running as uid ${process.getuid?.()}`, `run it as root: sudo carton ${verb} ...`);
  }
}
