// Kernel constants, spelled as in C so that `man 2 mount` and this file read alike.
// Values are for Linux on x86_64 and aarch64 (the syscall numbers differ; see syscallNumbers).

// clone(2) / unshare(2) / setns(2) flags
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_FS = 0x00000200;
export const CLONE_FILES = 0x00000400;

// mount(2) flags
export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_SYNCHRONOUS = 0x10;
export const MS_REMOUNT = 0x20;
export const MS_MANDLOCK = 0x40;
export const MS_DIRSYNC = 0x80;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_MOVE = 0x2000;
export const MS_REC = 0x4000;
export const MS_SILENT = 0x8000;
export const MS_UNBINDABLE = 0x20000;
export const MS_PRIVATE = 0x40000;
export const MS_SLAVE = 0x80000;
export const MS_SHARED = 0x100000;
export const MS_RELATIME = 0x200000;
export const MS_STRICTATIME = 0x1000000;

// umount2(2) flags
export const MNT_FORCE = 0x1;
export const MNT_DETACH = 0x2;
export const MNT_EXPIRE = 0x4;
export const UMOUNT_NOFOLLOW = 0x8;

// fcntl(2)
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NOCTTY = 0o400;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

// execveat(2)
export const AT_FDCWD = -100;
export const AT_EMPTY_PATH = 0x1000;

// prctl(2)
export const PR_SET_PDEATHSIG = 1;
export const PR_SET_DUMPABLE = 4;
export const PR_CAPBSET_DROP = 24;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_CLEAR_ALL = 4;
export const PR_SET_NAME = 15;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_SET_CHILD_SUBREAPER = 36;

// signals (x86_64 and aarch64 agree)
export const SIGKILL = 9;
export const SIGTERM = 15;

// stat(2) file types, for mknod(2)
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;

// ioctl(2) requests for terminals
export const TIOCSCTTY = 0x540e;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const TIOCGPTN = 0x80045430;
export const TIOCSPTLCK = 0x40045431;
/** TIOCGPTPEER (Linux 4.13): an fd of a pty's slave, from its master, with no path lookup. */
export const TIOCGPTPEER = 0x5441;

// statfs(2) f_type of a devpts mount (linux/magic.h)
export const DEVPTS_SUPER_MAGIC = 0x1cd1;

// seccomp(2), close_range(2), openat2(2) (chapter 09)
export const SECCOMP_SET_MODE_FILTER = 1;
export const CLOSE_RANGE_CLOEXEC = 1 << 2;
export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;

// Syscalls glibc has no wrapper for. close_range and openat2 came after the tables were
// unified: the same number on every architecture.
const syscallNumbers: Record<string, { pivot_root: number; execveat: number; seccomp: number; bpf: number }> = {
  x64: { pivot_root: 155, execveat: 322, seccomp: 317, bpf: 321 },
  arm64: { pivot_root: 41, execveat: 281, seccomp: 277, bpf: 280 },
};
const numbers = syscallNumbers[process.arch];
export const SYS_pivot_root = numbers?.pivot_root ?? -1;
export const SYS_execveat = numbers?.execveat ?? -1;
export const SYS_seccomp = numbers?.seccomp ?? -1;
export const SYS_bpf = numbers?.bpf ?? -1;

// bpf(2) (linux/bpf.h): load a program, attach it to a cgroup, ask what is attached.
export const BPF_PROG_LOAD = 5;
export const BPF_PROG_ATTACH = 8;
export const BPF_PROG_QUERY = 16;
export const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
export const BPF_CGROUP_DEVICE = 6;
export const BPF_F_ALLOW_MULTI = 2;
export const SYS_close_range = 436;
export const SYS_openat2 = 437;

/** The namespace types, as named in /proc/<pid>/ns/ and their clone flags. */
export const NAMESPACES = {
  mnt: CLONE_NEWNS,
  uts: CLONE_NEWUTS,
  ipc: CLONE_NEWIPC,
  pid: CLONE_NEWPID,
  net: CLONE_NEWNET,
  cgroup: CLONE_NEWCGROUP,
  user: CLONE_NEWUSER,
} as const;
export type NamespaceName = keyof typeof NAMESPACES;

// Chapter 08: capabilities kept across a change of user, and raised into the ambient set.
export const PR_SET_KEEPCAPS = 8;
export const PR_CAP_AMBIENT_RAISE = 2;
export const O_NOFOLLOW = 0o400000;
