// System calls of chapter 09 (security): capabilities, seccomp, closing inherited file
// descriptors, and resolving paths without leaving a root. Wrappers only; the chapter
// decides what to keep, what to filter and what to refuse.
import { readFileSync } from 'node:fs';
import { bpfProgLoad, errno, raw, seccompSetFilter } from './libc.js';
import * as C from './constants.js';
import { CartonError, check, q } from './errors.js';
import { errnoName, errnoText } from './errno.js';

const CAPABILITY_VERSION_3 = 0x20080522; // 64-bit capability sets, as two 32-bit halves

export interface CapabilitySets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

/** capset(2) for the calling thread: struct __user_cap_header_struct + two data structs. */
export function capset(sets: CapabilitySets): void {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(CAPABILITY_VERSION_3, 0); // pid 0: this thread
  const data = Buffer.alloc(24);
  const halves = (v: bigint) => [Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn)];
  const [e, p, i] = [halves(sets.effective), halves(sets.permitted), halves(sets.inheritable)];
  for (const k of [0, 1]) {
    data.writeUInt32LE(e[k], k * 12);
    data.writeUInt32LE(p[k], k * 12 + 4);
    data.writeUInt32LE(i[k], k * 12 + 8);
  }
  check(raw.capset(header, data), 'capset', () => `effective 0x${sets.effective.toString(16)} permitted 0x${sets.permitted.toString(16)}`);
}

/** prctl(PR_CAPBSET_DROP): remove one capability from the bounding set, for good. */
export function dropBounding(cap: number): void {
  check(raw.prctl(C.PR_CAPBSET_DROP, cap, 0, 0, 0), 'prctl', () => `PR_CAPBSET_DROP ${cap}`);
}

/** The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
export function capLastCap(): number {
  return Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
}

/** seccomp(SECCOMP_SET_MODE_FILTER): install a classic BPF program (8 bytes an instruction). */
export function seccompFilter(program: Buffer): void {
  check(seccompSetFilter(C.SYS_seccomp, C.SECCOMP_SET_MODE_FILTER, 0, program), 'seccomp', () => `SECCOMP_SET_MODE_FILTER (${program.length / 8} instructions)`);
}

/**
 * Load a BPF_PROG_TYPE_CGROUP_DEVICE program and attach it to the cgroup v2 directory open
 * as `cgroupFd` (BPF_F_ALLOW_MULTI, as runc does). It stays attached as long as the cgroup
 * lives; its fd is closed here.
 */
export function attachDeviceProgram(cgroupFd: number, program: Buffer): void {
  const log = Buffer.alloc(16384);
  // The verifier gives up with EAGAIN when a signal arrives while it works (a profiler's
  // SIGPROF, say): libbpf tries again, up to five times, and so do we.
  let prog = -1;
  let e = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    prog = bpfProgLoad(C.SYS_bpf, C.BPF_PROG_TYPE_CGROUP_DEVICE, program, log);
    e = prog < 0 ? errno() : 0;
    if (errnoName(e) !== 'EAGAIN') break;
  }
  if (prog < 0) {
    const words = log.toString('utf8', 0, Math.max(0, log.indexOf(0))).trim().split('\n').slice(-2).join('; ');
    throw new CartonError(`bpf BPF_PROG_LOAD (a device program of ${program.length / 8} instructions): ${errnoName(e)} (${errnoText(e)})${words ? `: ${words}` : ''}`, 'the kernel needs CONFIG_CGROUP_BPF; see carton doctor');
  }
  try {
    const attach = Buffer.alloc(20); // { u32 target_fd; u32 attach_bpf_fd; u32 attach_type; u32 attach_flags; u32 replace_bpf_fd }
    attach.writeUInt32LE(cgroupFd, 0);
    attach.writeUInt32LE(prog, 4);
    attach.writeUInt32LE(C.BPF_CGROUP_DEVICE, 8);
    attach.writeUInt32LE(C.BPF_F_ALLOW_MULTI, 12);
    check(raw.syscall(C.SYS_bpf, 'int', C.BPF_PROG_ATTACH, 'void *', attach, 'unsigned int', 20), 'bpf', () => 'BPF_PROG_ATTACH (BPF_CGROUP_DEVICE)');
  } finally {
    raw.close(prog);
  }
}

/** How many device programs are attached to the cgroup v2 directory open as `cgroupFd` (BPF_PROG_QUERY). */
export function devicePrograms(cgroupFd: number): number {
  // { u32 target_fd; u32 attach_type; u32 query_flags; u32 attach_flags; u64 prog_ids; u32 prog_cnt }
  const query = Buffer.alloc(32);
  query.writeUInt32LE(cgroupFd, 0);
  query.writeUInt32LE(C.BPF_CGROUP_DEVICE, 4);
  check(raw.syscall(C.SYS_bpf, 'int', C.BPF_PROG_QUERY, 'void *', query, 'unsigned int', 32), 'bpf', () => 'BPF_PROG_QUERY (BPF_CGROUP_DEVICE)');
  return query.readUInt32LE(24);
}

/** close_range(2) with CLOSE_RANGE_CLOEXEC: mark fds first..last close-on-exec. */
export function cloexecRange(first: number, last = 0xffffffff): void {
  check(raw.syscall(C.SYS_close_range, 'unsigned int', first, 'unsigned int', last, 'unsigned int', C.CLOSE_RANGE_CLOEXEC), 'close_range', () => `${first}..${last} (CLOSE_RANGE_CLOEXEC)`);
}

/**
 * openat2(2): open `path` relative to `dirfd` with `resolve` flags (RESOLVE_IN_ROOT: treat
 * dirfd as the root for every absolute symlink and "..", so the walk can never leave it).
 */
export function openat2(dirfd: number, path: string, flags: number, resolve: number, mode = 0): number {
  const how = Buffer.alloc(24); // struct open_how { u64 flags; u64 mode; u64 resolve; }
  how.writeBigUInt64LE(BigInt(flags), 0);
  how.writeBigUInt64LE(BigInt(mode), 8);
  how.writeBigUInt64LE(BigInt(resolve), 16);
  return check(raw.syscall(C.SYS_openat2, 'int', dirfd, 'str', path, 'void *', how, 'size_t', 24), 'openat2', () => q(path));
}

/** mkdirat(2) */
export function mkdirat(dirfd: number, name: string, mode: number): void {
  check(raw.mkdirat(dirfd, name, mode), 'mkdirat', () => q(name));
}

/**
 * _exit(2): end the process now, without Node's and libuv's teardown. A stage that fails
 * after seccomp is installed must not run it: libuv's io_uring calls are refused by the
 * default profile (as Docker's is since 25.0), and it prints a warning about them.
 */
export function exitNow(status: number): never {
  raw._exit(status);
  throw new Error('_exit returned');
}
