// The one place that loads the FFI library. Every system call carton makes goes through
// here, declared with its C prototype so it reads like the man page.
//
// Why koffi and not ffi-napi: ffi-napi 4.0.3 no longer compiles against Node 20's N-API
// headers and has been unmaintained since 2022; koffi ships prebuilt binaries and exposes
// errno (koffi.errno()), which every wrapper below needs.
import { createRequire } from 'node:module';

type Koffi = typeof import('koffi');
// koffi is CommonJS; createRequire keeps this module plain ESM. Loaded on first use: a
// carton command that makes no system call (help, ps) should not pay ~20 ms for it.
const require = createRequire(import.meta.url);
let koffi: Koffi | undefined;
const ffi = (): Koffi => (koffi ??= require('koffi') as Koffi);

// C prototypes, as in the man pages. Each is declared with koffi the first time it is
// called: declaring them all up front costs ~30 ms at every start of every carton process.
const prototypes = {
  chroot: 'int chroot(const char *path)',
  chdir: 'int chdir(const char *path)',
  fchdir: 'int fchdir(int fd)',
  mount: 'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
  umount2: 'int umount2(const char *target, int flags)',
  unshare: 'int unshare(int flags)',
  setns: 'int setns(int fd, int nstype)',
  sethostname: 'int sethostname(const char *name, size_t len)',
  execve: 'int execve(const char *path, const char **argv, const char **envp)',
  fcntl: 'int fcntl(int fd, int cmd, ...)',
  ioctl: 'int ioctl(int fd, unsigned long request, ...)',
  prctl: 'int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)',
  syscall: 'long syscall(long number, ...)',
  getpid: 'int getpid()',
  getppid: 'int getppid()',
  setsid: 'int setsid()',
  setgroups: 'int setgroups(size_t size, const uint32_t *list)',
  setresuid: 'int setresuid(uint32_t r, uint32_t e, uint32_t s)',
  setresgid: 'int setresgid(uint32_t r, uint32_t e, uint32_t s)',
  setfsuid: 'int setfsuid(uint32_t fsuid)',
  setfsgid: 'int setfsgid(uint32_t fsgid)',
  mknod: 'int mknod(const char *path, uint32_t mode, uint64_t dev)',
  dup2: 'int dup2(int oldfd, int newfd)',
  close: 'int close(int fd)',
  open: 'int open(const char *path, int flags, ...)',
  umask: 'uint32_t umask(uint32_t mask)',
  kill: 'int kill(int pid, int sig)',
  waitpid: 'int waitpid(int pid, _Out_ int *status, int options)',
  // Extended attributes (chapter 05: overlayfs marks opaque directories with the xattr
  // trusted.overlay.opaque; layers carry xattrs). The l* forms never follow a symlink.
  lsetxattr: 'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
  lgetxattr: 'long lgetxattr(const char *path, const char *name, _Out_ void *value, size_t size)',
  llistxattr: 'long llistxattr(const char *path, _Out_ void *list, size_t size)',
  // Chapter 09: capabilities (man 7 capabilities; the header and data structs are passed
  // as buffers laid out as in linux/capability.h), directories created relative to an fd,
  // and leaving without Node's teardown.
  capset: 'int capset(void *header, void *data)',
  mkdirat: 'int mkdirat(int dirfd, const char *path, uint32_t mode)',
  _exit: 'void _exit(int status)',
  // Chapter 08 (the OCI runtime): the exec fifo, resource limits, the NIS domain name, and a
  // unix socket to hand a terminal's master to whoever asked (--console-socket).
  mkfifo: 'int mkfifo(const char *path, uint32_t mode)',
  prlimit: 'int prlimit(int pid, int resource, const void *limit, void *old)',
  setdomainname: 'int setdomainname(const char *name, size_t len)',
  signal: 'void *signal(int signum, void *handler)',
  socket: 'int socket(int domain, int type, int protocol)',
  connect: 'int connect(int fd, const void *addr, uint32_t len)',
  // Chapter 06: rtnetlink, the socket `ip` speaks to the kernel's network stack.
  send: 'long send(int fd, const void *buf, size_t len, int flags)',
  recv: 'long recv(int fd, _Out_ void *buf, size_t len, int flags)',
  setsockopt: 'int setsockopt(int fd, int level, int name, const void *value, uint32_t len)',
} as const;

type Name = keyof typeof prototypes;
type Fn = (...args: unknown[]) => number;

let libc: ReturnType<Koffi['load']> | undefined;
const declared = new Map<Name, Fn>();

function bind(name: Name): Fn {
  let fn = declared.get(name);
  if (!fn) {
    libc ??= ffi().load('libc.so.6');
    fn = libc.func(prototypes[name]) as unknown as Fn;
    declared.set(name, fn);
  }
  return fn;
}

/** raw.NAME(...) calls the libc function NAME, declaring it on first use. */
export const raw = Object.fromEntries(
  (Object.keys(prototypes) as Name[]).map((name) => [name, (...args: unknown[]) => bind(name)(...args)]),
) as Record<Name, Fn>;

export function errno(): number {
  return ffi().errno();
}

/**
 * seccomp(2) with a program: struct sock_fprog { unsigned short len; struct sock_filter *filter; }.
 * koffi lays out the struct and passes the filter buffer's address in it.
 */
export function seccompSetFilter(sysno: number, operation: number, flags: number, program: Buffer): number {
  sockFprog ??= ffi().struct('sock_fprog', { len: 'uint16_t', filter: 'void *' });
  return Number(bind('syscall')(sysno, 'int', operation, 'int', flags, ffi().pointer(sockFprog), { len: program.length / 8, filter: program }));
}
let sockFprog: ReturnType<Koffi['struct']> | undefined;

/**
 * sendmsg(2) of one data buffer and one SCM_RIGHTS control message: struct msghdr with its
 * iovec array, laid out by koffi (which marshals the nested pointers); the cmsghdr is bytes.
 */
export function sendmsgWithFd(sock: number, data: Buffer, fd: number): number {
  iovec ??= ffi().struct('iovec', { base: 'void *', len: 'size_t' });
  msghdr ??= ffi().struct('msghdr', { name: 'void *', namelen: 'uint32_t', iov: ffi().pointer(iovec), iovlen: 'size_t', control: 'void *', controllen: 'size_t', flags: 'int' });
  libc ??= ffi().load('libc.so.6');
  sendmsg ??= libc.func('long sendmsg(int fd, const msghdr *msg, int flags)') as unknown as Fn;
  // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the fd, padded to 8.
  const control = Buffer.alloc(24);
  control.writeBigUInt64LE(20n, 0); // CMSG_LEN(sizeof(int))
  control.writeInt32LE(1, 8); // SOL_SOCKET
  control.writeInt32LE(1, 12); // SCM_RIGHTS
  control.writeInt32LE(fd, 16);
  return Number(sendmsg(sock, { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 }, 0));
}
/**
 * bpf(BPF_PROG_LOAD) of a program of `type` (8 bytes an instruction): the first fields of
 * union bpf_attr, laid out by koffi with the instructions', license's and log's addresses.
 * Returns the program's fd (or -1, the verifier's words in `log`).
 */
export function bpfProgLoad(sysno: number, type: number, program: Buffer, log: Buffer): number {
  progLoadAttr ??= ffi().struct('bpf_prog_load_attr', {
    prog_type: 'uint32_t', insn_cnt: 'uint32_t', insns: 'void *', license: 'const char *', log_level: 'uint32_t', log_size: 'uint32_t', log_buf: 'void *',
    kern_version: 'uint32_t', prog_flags: 'uint32_t', prog_name: ffi().array('char', 16), prog_ifindex: 'uint32_t', expected_attach_type: 'uint32_t',
  });
  const attr = { prog_type: type, insn_cnt: program.length / 8, insns: program, license: 'Apache-2.0', log_level: 1, log_size: log.length, log_buf: log, kern_version: 0, prog_flags: 0, prog_name: 'carton_devices', prog_ifindex: 0, expected_attach_type: 0 };
  return Number(bind('syscall')(sysno, 'int', 5, ffi().pointer(progLoadAttr), attr, 'unsigned int', ffi().sizeof(progLoadAttr)));
}
let progLoadAttr: ReturnType<Koffi['struct']> | undefined;

let iovec: ReturnType<Koffi['struct']> | undefined;
let msghdr: ReturnType<Koffi['struct']> | undefined;
let sendmsg: Fn | undefined;
