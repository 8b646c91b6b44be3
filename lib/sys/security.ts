// System calls of chapter 09 (security): capabilities, seccomp, closing inherited file
// descriptors, and resolving paths without leaving a root. Wrappers only; the chapter
// decides what to keep, what to filter and what to refuse.
import { readFileSync } from 'node:fs';
import { raw, seccompSetFilter } from './libc.js';
import * as C from './constants.js';
import { check, q } from './errors.js';

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
