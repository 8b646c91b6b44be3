// Thin, typed wrappers over libc. Each checks the return value and throws a SyscallError
// that names the call, its arguments (flags as names) and the errno. Nothing here decides
// policy: the chapters do.
import { raw, errno } from './libc.js';
import * as C from './constants.js';
import { flagNames } from './flags.js';
import { CartonError, SyscallError, check, q } from './errors.js';
import { capset } from './security.js';
import { readFileSync, writeSync } from 'node:fs';
import { errnoName } from './errno.js';

export * from './constants.js';
export { flagNames } from './flags.js';
export { SyscallError, CartonError, q } from './errors.js';
export { errnoName, errnoText, errnoNumber } from './errno.js';

/** chroot(2): change the root directory of the calling process (all its threads). */
export function chroot(path: string): void {
  check(raw.chroot(path), 'chroot', () => q(path));
}

/** chdir(2) */
export function chdir(path: string): void {
  check(raw.chdir(path), 'chdir', () => q(path));
}

/** fchdir(2): change directory to an open directory file descriptor. */
export function fchdir(fd: number): void {
  check(raw.fchdir(fd), 'fchdir', () => `fd ${fd}`);
}

/** mount(2). `source` and `fstype` may be null for remounts and propagation changes. */
export function mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null = null): void {
  check(raw.mount(source, target, fstype, flags, data), 'mount', () =>
    `${q(source ?? 'none')} on ${q(target)}${fstype ? ` type ${fstype}` : ''} (${flagNames(flags, 'MS_')}${data ? `, ${data}` : ''})`);
}

/** umount2(2) */
export function umount2(target: string, flags = 0): void {
  check(raw.umount2(target, flags), 'umount2', () => `${q(target)}${flags ? ` (${flagNames(flags, 'MNT_')})` : ''}`);
}

/**
 * pivot_root(2), which glibc does not wrap. Kernel preconditions: new_root and put_old are
 * directories; new_root is a mount point that is not the current root; put_old is at or
 * under new_root; the propagation of the parent mount of new_root is not shared.
 */
export function pivotRoot(newRoot: string, putOld: string): void {
  check(raw.syscall(C.SYS_pivot_root, 'str', newRoot, 'str', putOld), 'pivot_root', () => `${q(newRoot)} ${q(putOld)}`);
}

/**
 * unshare(2). In Node, mind the threads: CLONE_NEWUSER fails with EINVAL (the process is
 * multithreaded), CLONE_NEWPID only applies to children spawned afterwards, and the mount,
 * UTS, IPC and net namespaces change for the calling (main) thread only.
 */
export function unshare(flags: number): void {
  check(raw.unshare(flags), 'unshare', () => flagNames(flags, 'CLONE_'));
}

/** setns(2): join the namespace behind an fd from /proc/<pid>/ns/<type>. */
export function setns(fd: number, nstype: number): void {
  check(raw.setns(fd, nstype), 'setns', () => `fd ${fd} (${flagNames(nstype, 'CLONE_')})`);
}

/** sethostname(2), in the caller's UTS namespace. */
export function sethostname(name: string): void {
  check(raw.sethostname(name, Buffer.byteLength(name)), 'sethostname', () => q(name));
}

/**
 * Put back the default action of the signals Node ignores (SIGPIPE 13, SIGXFSZ 25): an ignored
 * disposition survives execve, and the container's programs would meet EPIPE where they
 * expect SIGPIPE (`yes | head` printing "Broken pipe"). signal(2) with SIG_DFL, a null handler.
 */
export function defaultSignals(): void {
  for (const signum of [13, 25]) raw.signal(signum, null);
}

/** execve(2). Returns only by throwing. */
export function execve(path: string, argv: string[], env: string[]): never {
  raw.execve(path, [...argv, null], [...env, null]);
  throw new SyscallError('execve', errno(), q(path));
}

/** execveat(fd, "", argv, envp, AT_EMPTY_PATH): run the program an open fd refers to. */
export function fexecve(fd: number, argv: string[], env: string[]): never {
  raw.syscall(C.SYS_execveat, 'int', fd, 'str', '', 'const char **', [...argv, null], 'const char **', [...env, null], 'int', C.AT_EMPTY_PATH);
  throw new SyscallError('execveat', errno(), `fd ${fd}`);
}

/** fcntl(2) with an int argument (F_GETFD, F_SETFD, F_GETFL, F_SETFL). */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return check(raw.fcntl(fd, cmd, 'int', arg), 'fcntl', () => `fd ${fd} cmd ${cmd}`);
}

/**
 * Make fd inheritable and blocking again. Node marks 0–2 FD_CLOEXEC at start-up and may set
 * O_NONBLOCK on them; without this, a program started by execve runs without stdio.
 */
export function makeInheritable(fd: number): void {
  fcntl(fd, C.F_SETFD, fcntl(fd, C.F_GETFD) & ~C.FD_CLOEXEC);
  fcntl(fd, C.F_SETFL, fcntl(fd, C.F_GETFL) & ~C.O_NONBLOCK);
}

/** prctl(2) */
export function prctl(option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): number {
  return check(raw.prctl(option, arg2, arg3, arg4, arg5), 'prctl', () => `option ${option}`);
}

export function getpid(): number {
  return raw.getpid();
}

export function getppid(): number {
  return raw.getppid();
}

/** setsid(2): start a new session (the first step to owning a controlling terminal). */
export function setsid(): number {
  return check(raw.setsid(), 'setsid', () => '');
}

/** ioctl(2) with an int argument. */
export function ioctlInt(fd: number, request: number, arg: number): number {
  return check(raw.ioctl(fd, request, 'int', arg), 'ioctl', () => `fd ${fd} request 0x${request.toString(16)}`);
}

/**
 * Set a network interface up in the calling thread's network namespace, as `ip link set NAME
 * up` does: SIOCGIFFLAGS, IFF_UP, SIOCSIFFLAGS on any socket (struct ifreq: the name in 16
 * bytes, then the flags). No process to start: the stage brings its own lo up this way.
 */
export function linkUp(name: string): void {
  const fd = check(raw.socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */ | 0o2000000 /* SOCK_CLOEXEC */, 0), 'socket', () => 'AF_INET, SOCK_DGRAM');
  try {
    const ifreq = Buffer.alloc(40);
    ifreq.write(name, 0, 15);
    ioctlBuffer(fd, 0x8913 /* SIOCGIFFLAGS */, ifreq);
    ifreq.writeUInt16LE(ifreq.readUInt16LE(16) | 1 /* IFF_UP */, 16);
    ioctlBuffer(fd, 0x8914 /* SIOCSIFFLAGS */, ifreq);
  } finally {
    raw.close(fd);
  }
}

/** ioctl(2) with a pointer to a buffer the kernel reads or fills. */
export function ioctlBuffer(fd: number, request: number, buffer: Buffer): number {
  return check(raw.ioctl(fd, request, 'void *', buffer), 'ioctl', () => `fd ${fd} request 0x${request.toString(16)}`);
}

/** setgroups(2) */
export function setgroups(gids: number[]): void {
  check(raw.setgroups(gids.length, gids.length ? gids : null), 'setgroups', () => `[${gids.join(',')}]`);
}

/** setresgid(2): real, effective and saved group id at once. */
export function setresgid(gid: number): void {
  check(raw.setresgid(gid, gid, gid), 'setresgid', () => String(gid));
}

/** setresuid(2): real, effective and saved user id at once. */
export function setresuid(uid: number): void {
  check(raw.setresuid(uid, uid, uid), 'setresuid', () => String(uid));
}

/**
 * Run `fn` with this thread's filesystem ids set to `uid` and `gid` (setfsuid(2),
 * setfsgid(2): per thread, so Node's other threads keep theirs). What `fn` creates is then
 * theirs, and a filesystem mounted in a user namespace that maps them accepts it (one that
 * does not map the creator's fsuid refuses with EOVERFLOW). Moving the fsuid away from 0
 * drops the file capabilities (DAC_OVERRIDE, CHOWN, FOWNER...) from the effective set, so
 * they are raised again with capset; returning to 0 gives them back.
 */
export function withFsIds<T>(uid: number, gid: number, fn: () => T): T {
  const status = () => readFileSync('/proc/thread-self/status', 'utf8');
  const field = (text: string, name: string) => text.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))![1].trim().split(/\s+/);
  const before = { gid: raw.setfsgid(gid) as number, uid: raw.setfsuid(uid) as number };
  try {
    const now = status();
    if (field(now, 'Uid')[3] !== String(uid) || field(now, 'Gid')[3] !== String(gid)) throw new CartonError(`setfsuid ${uid}, setfsgid ${gid}: refused`);
    const permitted = BigInt('0x' + field(now, 'CapPrm')[0]);
    capset({ effective: permitted, permitted, inheritable: BigInt('0x' + field(now, 'CapInh')[0]) });
    return fn();
  } finally {
    raw.setfsuid(before.uid);
    raw.setfsgid(before.gid);
  }
}

/**
 * Write all of `data` to `fd`. write(2) may write less than asked: a filesystem that fills up
 * writes what fits and returns the count; only the next write fails, with ENOSPC. A loop
 * that ignores the count truncates files without a word.
 */
export function writeAll(fd: number, data: Uint8Array, length = data.length): void {
  for (let done = 0; done < length;) done += writeSync(fd, data, done, length - done);
}

/** makedev(3), as glibc encodes it. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

/** mknod(2): create a device node (mode includes S_IFCHR or S_IFBLK). */
export function mknod(path: string, mode: number, dev: bigint): void {
  check(raw.mknod(path, mode, dev), 'mknod', () => q(path));
}

/** open(2), for the flags node:fs does not offer (O_PATH). Returns the fd. */
export function open(path: string, flags: number, mode = 0): number {
  return check(raw.open(path, flags, 'int', mode), 'open', () => q(path));
}

export function close(fd: number): void {
  check(raw.close(fd), 'close', () => `fd ${fd}`);
}

export function dup2(oldfd: number, newfd: number): void {
  check(raw.dup2(oldfd, newfd), 'dup2', () => `fd ${oldfd} to ${newfd}`);
}

export function umask(mask: number): number {
  return raw.umask(mask);
}

// Extended attributes, never following symlinks (chapter 05). ENODATA from lgetxattr is an
// answer ("no such attribute"), not an error: it returns null.

/** lsetxattr(2) */
export function lsetxattr(path: string, name: string, value: Buffer, flags = 0): void {
  check(raw.lsetxattr(path, name, value, value.length, flags), 'lsetxattr', () => `${q(path)} ${name}`);
}

/** lgetxattr(2): the value, or null when the file has no such attribute. */
export function lgetxattr(path: string, name: string): Buffer | null {
  const buffer = Buffer.alloc(65536);
  const n = Number(raw.lgetxattr(path, name, buffer, buffer.length));
  if (n === -1) {
    const e = errno();
    if (errnoName(e) === 'ENODATA') return null;
    throw new SyscallError('lgetxattr', e, `${q(path)} ${name}`);
  }
  return buffer.subarray(0, n);
}

/** llistxattr(2): the attribute names of a file (empty when the filesystem has none). */
export function llistxattr(path: string): string[] {
  const buffer = Buffer.alloc(65536);
  const n = check(raw.llistxattr(path, buffer, buffer.length), 'llistxattr', () => q(path));
  return buffer.subarray(0, n).toString('latin1').split('\0').filter(Boolean);
}

export { capset, dropBounding, capLastCap, seccompFilter, attachDeviceProgram, devicePrograms, cloexecRange, openat2, mkdirat, exitNow, type CapabilitySets } from './security.js';
export { mkfifo, setRlimit, setdomainname, connectUnix, sendFd, RLIMITS } from './oci.js';
