// Chapter 09 — a seccomp profile compiled to classic BPF (man 2 seccomp). The kernel runs
// the program at every system call with struct seccomp_data as its input:
//   offset 0  int nr            the system call number
//   offset 4  u32 arch          AUDIT_ARCH_*: numbers mean different calls on each
//   offset 16 u64 args[6]       the arguments (little-endian: low half first)
// and acts on the value it returns (SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | errno, ...).
// The program: check the architecture, then for each rule "is it this call? (and do its
// arguments match?) then return its action", and at the end the default action. Classic
// BPF jumps only forward, by at most 255, so each test jumps over one block, never far.
import { CartonError } from '../../lib/sys/errors.js';
import { applies, type SeccompAction, type SeccompArg, type SeccompProfile, type Target } from './profile.js';
import { AARCH64, X86_64 } from './syscall-numbers.js';

// BPF opcodes (linux/bpf_common.h)
const LD_W_ABS = 0x20;
const ALU_AND_K = 0x54;
const JMP_JEQ_K = 0x15;
const JMP_JGT_K = 0x25;
const JMP_JGE_K = 0x35;
const RET_K = 0x06;

// seccomp return values (linux/seccomp.h)
const RET = {
  KILL_PROCESS: 0x80000000, KILL_THREAD: 0, TRAP: 0x00030000, ERRNO: 0x00050000,
  TRACE: 0x7ff00000, LOG: 0x7ffc0000, ALLOW: 0x7fff0000,
};

/** The architectures carton compiles for: audit number, syscall table, Docker's names. */
export const ARCHES: Record<string, { audit: number; table: Record<string, number>; scmp: string; x32?: boolean }> = {
  amd64: { audit: 0xc000003e, table: X86_64, scmp: 'SCMP_ARCH_X86_64', x32: true },
  arm64: { audit: 0xc00000b7, table: AARCH64, scmp: 'SCMP_ARCH_AARCH64' },
};
const X32_SYSCALL_BIT = 0x40000000;

export interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const ins = (code: number, k: number, jt = 0, jf = 0): Instruction => ({ code, jt, jf, k: k >>> 0 });
const loadNr = () => ins(LD_W_ABS, 0);

export function actionValue(action: SeccompAction, errno: number | undefined): number {
  switch (action) {
    case 'SCMP_ACT_ALLOW': return RET.ALLOW;
    case 'SCMP_ACT_ERRNO': return (RET.ERRNO | ((errno ?? 1) & 0xffff)) >>> 0;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD': return RET.KILL_THREAD;
    case 'SCMP_ACT_KILL_PROCESS': return RET.KILL_PROCESS;
    case 'SCMP_ACT_TRAP': return RET.TRAP;
    case 'SCMP_ACT_LOG': return RET.LOG;
    case 'SCMP_ACT_TRACE': return (RET.TRACE | ((errno ?? 0) & 0xffff)) >>> 0;
  }
}

/**
 * One argument condition as BPF that falls through when it holds and jumps `fail` further
 * instructions (counted from its end) when it does not. 64-bit values are compared as two
 * 32-bit halves, the high half first.
 */
function argTest(arg: SeccompArg, fail: number): Instruction[] {
  const hiOff = 16 + 8 * arg.index + 4;
  const loOff = 16 + 8 * arg.index;
  const split = (v: number) => [Math.floor(v / 2 ** 32) >>> 0, v >>> 0];
  const [hi, lo] = split(arg.value);
  // Blocks below are written with `F` for "jump to failure": its distance from each jump.
  switch (arg.op) {
    case 'SCMP_CMP_EQ':
      return [ins(LD_W_ABS, hiOff), ins(JMP_JEQ_K, hi, 0, 2 + fail), ins(LD_W_ABS, loOff), ins(JMP_JEQ_K, lo, 0, fail)];
    case 'SCMP_CMP_NE': // holds if either half differs
      return [ins(LD_W_ABS, hiOff), ins(JMP_JEQ_K, hi, 0, 2), ins(LD_W_ABS, loOff), ins(JMP_JEQ_K, lo, fail, 0)];
    case 'SCMP_CMP_MASKED_EQ': { // value is the mask, valueTwo what the masked argument must be
      const [vhi, vlo] = split(arg.valueTwo ?? 0);
      return [ins(LD_W_ABS, hiOff), ins(ALU_AND_K, hi), ins(JMP_JEQ_K, vhi, 0, 3 + fail), ins(LD_W_ABS, loOff), ins(ALU_AND_K, lo), ins(JMP_JEQ_K, vlo, 0, fail)];
    }
    case 'SCMP_CMP_GT':
    case 'SCMP_CMP_GE': { // hi > v.hi holds; hi == v.hi then compare lo; else fails
      const low = arg.op === 'SCMP_CMP_GT' ? JMP_JGT_K : JMP_JGE_K;
      return [ins(LD_W_ABS, hiOff), ins(JMP_JGT_K, hi, 3, 0), ins(JMP_JEQ_K, hi, 0, 2 + fail), ins(LD_W_ABS, loOff), ins(low, lo, 0, fail)];
    }
    case 'SCMP_CMP_LT':
    case 'SCMP_CMP_LE': { // the negation of GE / GT
      const low = arg.op === 'SCMP_CMP_LT' ? JMP_JGE_K : JMP_JGT_K;
      return [ins(LD_W_ABS, hiOff), ins(JMP_JGT_K, hi, 3 + fail, 0), ins(JMP_JEQ_K, hi, 0, 2), ins(LD_W_ABS, loOff), ins(low, lo, fail, 0)];
    }
  }
}

/**
 * A rule for one system call: "if nr == N and every argument condition holds, return the
 * action". On a mismatch the block ends by reloading nr (argument tests overwrite it).
 */
function ruleBlock(nr: number, args: SeccompArg[], action: number): Instruction[] {
  if (args.length === 0) return [ins(JMP_JEQ_K, nr, 0, 1), ins(RET_K, action)];
  const tests: Instruction[][] = [];
  // Build from the end: each test's failure jumps to the final reload of nr.
  let after = 1; // the ret below
  for (const arg of [...args].reverse()) {
    const t = argTest(arg, after);
    tests.unshift(t);
    after += t.length;
  }
  const body = [...tests.flat(), ins(RET_K, action), loadNr()];
  return [ins(JMP_JEQ_K, nr, 0, body.length), ...body];
}

/** Compile `profile` for `target`: the BPF program, 8 bytes an instruction, ready for seccomp(2). */
export function compileProfile(profile: SeccompProfile, target: Target, ruleApplies = applies): Buffer {
  const arch = ARCHES[target.arch];
  if (!arch) throw new CartonError(`seccomp: carton has no system call table for ${target.arch}`, 'use --security-opt seccomp=unconfined on this machine');
  if (profile.architectures?.length && !profile.architectures.includes(arch.scmp)) {
    throw new CartonError(`seccomp profile does not list this machine's architecture ${arch.scmp}`);
  }
  const defaultAction = actionValue(profile.defaultAction, profile.defaultErrnoRet);
  const program: Instruction[] = [
    // A call made with another architecture's numbers (a 32-bit program) would be read with
    // the wrong table: refuse it outright. carton compiles for the native one only.
    ins(LD_W_ABS, 4), ins(JMP_JEQ_K, arch.audit, 1, 0), ins(RET_K, RET.KILL_PROCESS),
    loadNr(),
  ];
  // x32 shares x86-64's audit arch and marks its calls with bit 30: not this table's numbers.
  if (arch.x32) program.push(ins(JMP_JGE_K, X32_SYSCALL_BIT, 0, 1), ins(RET_K, defaultAction));
  for (const rule of profile.syscalls ?? []) {
    if (!ruleApplies(rule, target)) continue;
    const action = actionValue(rule.action, rule.errnoRet ?? (rule.action === 'SCMP_ACT_ERRNO' ? profile.defaultErrnoRet : undefined));
    if (action === defaultAction && !rule.args?.length) continue; // says nothing new
    for (const name of rule.names) {
      const nr = arch.table[name];
      if (nr === undefined) continue; // not a call on this architecture (e.g. chown32)
      program.push(...ruleBlock(nr, rule.args ?? [], action));
    }
  }
  program.push(ins(RET_K, defaultAction));
  if (program.length > 4096) throw new CartonError(`seccomp profile compiles to ${program.length} instructions; the kernel takes at most 4096`);
  return encode(program);
}

export function encode(program: Instruction[]): Buffer {
  const out = Buffer.alloc(program.length * 8);
  program.forEach((p, i) => {
    out.writeUInt16LE(p.code, i * 8);
    out.writeUInt8(p.jt, i * 8 + 2);
    out.writeUInt8(p.jf, i * 8 + 3);
    out.writeUInt32LE(p.k, i * 8 + 4);
  });
  return out;
}

/** Docker's (Go's) name for this machine's architecture. */
export function nativeArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}
