// The one place that loads the FFI library. Every system call carton makes goes through
// here, declared with its C prototype so it reads like the man page.
//
// Why koffi and not ffi-napi: ffi-napi 4.0.3 no longer compiles against Node 20's N-API
// headers and has been unmaintained since 2022; koffi ships prebuilt binaries and exposes
// errno (koffi.errno()), which every wrapper below needs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// koffi is CommonJS; createRequire keeps this module plain ESM.
const koffi = require('koffi') as typeof import('koffi');

const libc = koffi.load('libc.so.6');

export const raw = {
  chroot: libc.func('int chroot(const char *path)'),
  chdir: libc.func('int chdir(const char *path)'),
  fchdir: libc.func('int fchdir(int fd)'),
  mount: libc.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)'),
  umount2: libc.func('int umount2(const char *target, int flags)'),
  unshare: libc.func('int unshare(int flags)'),
  setns: libc.func('int setns(int fd, int nstype)'),
  sethostname: libc.func('int sethostname(const char *name, size_t len)'),
  execve: libc.func('int execve(const char *path, const char **argv, const char **envp)'),
  fcntl: libc.func('int fcntl(int fd, int cmd, ...)'),
  ioctl: libc.func('int ioctl(int fd, unsigned long request, ...)'),
  prctl: libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)'),
  syscall: libc.func('long syscall(long number, ...)'),
  getpid: libc.func('int getpid()'),
  getppid: libc.func('int getppid()'),
  setsid: libc.func('int setsid()'),
  setgroups: libc.func('int setgroups(size_t size, const uint32_t *list)'),
  setresuid: libc.func('int setresuid(uint32_t r, uint32_t e, uint32_t s)'),
  setresgid: libc.func('int setresgid(uint32_t r, uint32_t e, uint32_t s)'),
  mknod: libc.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
  dup2: libc.func('int dup2(int oldfd, int newfd)'),
  close: libc.func('int close(int fd)'),
  open: libc.func('int open(const char *path, int flags, ...)'),
  umask: libc.func('uint32_t umask(uint32_t mask)'),
  kill: libc.func('int kill(int pid, int sig)'),
  waitpid: libc.func('int waitpid(int pid, _Out_ int *status, int options)'),
};

export function errno(): number {
  return koffi.errno();
}
