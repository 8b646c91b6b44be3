// Errors that name the operation, the object, the errno and what to do next:
//   pivot_root `/run/carton/ab12/rootfs`: EINVAL (Invalid argument)
//   hint: new_root must be a mount point, and / must not be shared: make mounts private first
import { errnoName, errnoText } from './errno.js';
import { errno } from './libc.js';

/** Base of every error carton expects; the CLI prints these as one line plus a hint. */
export class CartonError extends Error {
  hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

// Hints by syscall and errno, most specific first; '*' matches any syscall.
const hints: Array<[string, string, string]> = [
  ['setsid', 'EPERM', 'the process already leads a process group (spawn with detached: true has called setsid for it)'],
  ['*', 'EPERM', 'this needs root (CAP_SYS_ADMIN): run it with sudo'],
  ['pivot_root', 'EINVAL', 'new_root must be a mount point and / must not be shared: make mounts private first (MS_REC|MS_PRIVATE on /)'],
  ['pivot_root', 'EBUSY', 'new_root and put_old must not be the current root or on the same mount as it'],
  ['unshare', 'EINVAL', 'a multithreaded process (Node is one) cannot unshare CLONE_NEWUSER; CLONE_NEWPID only affects children'],
  ['setns', 'EINVAL', 'joining a mount namespace needs unshare(CLONE_FS) first in a multithreaded process'],
  ['mount', 'ENOENT', 'the mount point (or the source) does not exist: create it first'],
  ['mount', 'ENODEV', 'the kernel does not know this filesystem type: see `carton doctor`'],
  ['mount', 'EBUSY', 'something is already mounted there, or the mount is in use'],
  ['chroot', 'ENOENT', 'the new root directory does not exist'],
  ['execve', 'ENOENT', 'the program (or its ELF interpreter) does not exist in the container'],
  ['execve', 'EACCES', 'the file is not executable, or its filesystem is mounted noexec'],
  ['*', 'ENOSYS', 'this kernel lacks the feature: see `carton doctor`'],
];

function hintFor(syscall: string, name: string): string | undefined {
  for (const [sc, errno, hint] of hints) {
    if ((sc === syscall || sc === '*') && errno === name) return hint;
  }
  return undefined;
}

/** A failed system call: which one, on what, and the errno the kernel returned. */
export class SyscallError extends CartonError {
  readonly syscall: string;
  readonly errno: number;
  readonly code: string;
  readonly args: string;

  constructor(syscall: string, errno: number, args: string, hint?: string) {
    const code = errnoName(errno);
    super(`${syscall} ${args}: ${code} (${errnoText(errno)})`.replace(/ :/, ':'), hint ?? hintFor(syscall, code));
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
    this.args = args;
  }
}

/** Quote a path the way messages show objects: `/a/b`. */
export function q(value: string): string {
  return '`' + value + '`';
}

/** A libc call's result, or the SyscallError its -1 means (errno read at once). */
export function check(result: number | bigint, syscall: string, args: () => string): number {
  const n = Number(result);
  if (n === -1) throw new SyscallError(syscall, errno(), args());
  return n;
}
