// System calls of chapter 08 (the OCI runtime): the exec fifo that holds a created container
// until `start`, resource limits, the domain name, and handing a terminal's master fd to the
// process that asked for it over a unix socket (runc's --console-socket).
import { raw, sendmsgWithFd } from './libc.js';
import { check, q } from './errors.js';

/** mkfifo(3) */
export function mkfifo(path: string, mode: number): void {
  check(raw.mkfifo(path, mode), 'mkfifo', () => q(path));
}

// RLIMIT_* numbers (asm-generic/resource.h, the same on x86_64 and arm64).
export const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4, RLIMIT_RSS: 5, RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9, RLIMIT_LOCKS: 10, RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13, RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
};

/** prlimit(2) on the calling process: struct rlimit { rlim_t cur; rlim_t max; }. */
export function setRlimit(resource: number, soft: bigint, hard: bigint): void {
  const limit = Buffer.alloc(16);
  limit.writeBigUInt64LE(soft, 0);
  limit.writeBigUInt64LE(hard, 8);
  check(raw.prlimit(0, resource, limit, null), 'prlimit', () => `resource ${resource} soft ${soft} hard ${hard}`);
}

/** setdomainname(2), in the caller's UTS namespace. */
export function setdomainname(name: string): void {
  check(raw.setdomainname(name, Buffer.byteLength(name)), 'setdomainname', () => q(name));
}

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;

/** A unix stream socket connected to `path` (struct sockaddr_un: family, then the path). */
export function connectUnix(path: string): number {
  if (Buffer.byteLength(path) > 107) throw new Error(`socket path too long (108 bytes at most): ${path}`);
  const fd = check(raw.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), 'socket', () => 'AF_UNIX');
  const address = Buffer.alloc(110);
  address.writeUInt16LE(AF_UNIX, 0);
  address.write(path, 2);
  try {
    check(raw.connect(fd, address, 2 + Buffer.byteLength(path) + 1), 'connect', () => q(path));
  } catch (error) {
    raw.close(fd);
    throw error;
  }
  return fd;
}

/** Send `fd` over the connected unix socket `sock` (SCM_RIGHTS), with `name` as the data. */
export function sendFd(sock: number, fd: number, name: string): void {
  check(sendmsgWithFd(sock, Buffer.from(name), fd), 'sendmsg', () => `fd ${fd} (SCM_RIGHTS)`);
}
