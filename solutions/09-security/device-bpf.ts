// Chapter 09 — the devices a container may use, on cgroup v2. v2 has no devices.allow file:
// the kernel runs a BPF program (BPF_PROG_TYPE_CGROUP_DEVICE) attached to the container's
// cgroup at every open(2) and mknod(2) of a device node, with the device's type, major,
// minor and the access asked for, and allows the access only if the program returns 1.
// This compiles the same allow list as the v1 files (devices.ts) into that program, as runc
// does (libcontainer/cgroups/devices/ebpf): the first rule that matches allows; nothing
// matched, deny. See bpf(2), and the kernel's Documentation/admin-guide/cgroup-v2.rst.
import { closeSync, openSync } from 'node:fs';
import * as sys from '../../lib/sys/index.js';
import { DEFAULT_DEVICE_RULES } from './devices.js';

/** What the program is given: struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }. */
const CTX = { accessType: 0, major: 4, minor: 8 };
// access_type: the device type in the low 16 bits, the access in the high 16.
const TYPE = { b: 1, c: 2 } as const; // BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_DEV_CHAR
const ACCESS = { m: 1, r: 2, w: 4 } as const; // BPF_DEVCG_ACC_MKNOD, _READ, _WRITE

export interface DeviceRule {
  type: 'a' | 'b' | 'c';
  /** undefined: any ('*'). */
  major?: number;
  minor?: number;
  access: number;
}

/** A v1 rule line: "c 1:3 rwm", "b *:* m", "a" (every device, every access). */
export function parseDeviceRule(line: string): DeviceRule {
  const m = /^([abc])(?: (\*|\d+):(\*|\d+) ([rwm]+))?$/.exec(line.trim());
  if (!m) throw new Error(`device rule ${JSON.stringify(line)}: expected TYPE MAJOR:MINOR ACCESS, e.g. "c 1:3 rwm"`);
  const num = (v: string | undefined) => (v === undefined || v === '*' ? undefined : Number(v));
  const access = m[4] ? [...m[4]].reduce((a, c) => a | ACCESS[c as keyof typeof ACCESS], 0) : 7;
  return { type: m[1] as DeviceRule['type'], major: num(m[2]), minor: num(m[3]), access };
}

// eBPF instructions, 8 bytes each: opcode, dst and src registers, a 16-bit offset, a 32-bit immediate.
function insn(code: number, dst: number, src: number, off: number, imm: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(code, 0);
  b.writeUInt8((src << 4) | dst, 1);
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm, 4);
  return b;
}
const LDX_W = 0x61; // r_dst = *(u32 *)(r_src + off)
const AND32_K = 0x54; // w_dst &= imm
const RSH32_K = 0x74; // w_dst >>= imm
const MOV32_X = 0xbc; // w_dst = w_src
const MOV64_K = 0xb7; // r_dst = imm
const JNE_K = 0x55; // if r_dst != imm: skip off instructions
const EXIT = 0x95;

/**
 * The program for `rules` (the allow rules; everything else is denied). Registers: r1 the
 * context; r2 the type, r3 the access, r4 the major, r5 the minor; r0 scratch, then the answer.
 */
export function deviceProgram(rules: DeviceRule[] = DEFAULT_DEVICE_RULES.map(parseDeviceRule)): Buffer {
  const out = [
    insn(LDX_W, 2, 1, CTX.accessType, 0), insn(AND32_K, 2, 0, 0, 0xffff),
    insn(LDX_W, 3, 1, CTX.accessType, 0), insn(RSH32_K, 3, 0, 0, 16),
    insn(LDX_W, 4, 1, CTX.major, 0),
    insn(LDX_W, 5, 1, CTX.minor, 0),
  ];
  for (const rule of rules) {
    // Each test skips the rest of this rule's block when it does not hold.
    const tests: Array<(skip: number) => Buffer[]> = [];
    if (rule.type !== 'a') tests.push((skip) => [insn(JNE_K, 2, 0, skip, TYPE[rule.type as 'b' | 'c'])]);
    if (rule.access !== 7) tests.push((skip) => [insn(MOV32_X, 0, 3, 0, 0), insn(AND32_K, 0, 0, 0, ~rule.access & 0xffff), insn(JNE_K, 0, 0, skip, 0)]);
    if (rule.major !== undefined) tests.push((skip) => [insn(JNE_K, 4, 0, skip, rule.major!)]);
    if (rule.minor !== undefined) tests.push((skip) => [insn(JNE_K, 5, 0, skip, rule.minor!)]);
    const allow = [insn(MOV64_K, 0, 0, 0, 1), insn(EXIT, 0, 0, 0, 0)];
    const sizes = tests.map((t) => t(0).length);
    tests.forEach((test, i) => {
      // From the jump (the last instruction of this test) to the end of the block.
      const after = sizes.slice(i + 1).reduce((a, b) => a + b, 0) + allow.length;
      out.push(...test(after));
    });
    out.push(...allow);
  }
  out.push(insn(MOV64_K, 0, 0, 0, 0), insn(EXIT, 0, 0, 0, 0));
  return Buffer.concat(out);
}

/** Attach the program for `rules` to a cgroup v2 directory: from now on its processes may open only those devices. */
export function restrictDevicesV2(dir: string, rules?: DeviceRule[]): void {
  const fd = openSync(dir, 'r');
  try {
    sys.attachDeviceProgram(fd, deviceProgram(rules));
  } finally {
    closeSync(fd);
  }
}
