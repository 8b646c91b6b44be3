// A classic-BPF interpreter for seccomp programs, for unit tests of the compiler: it runs
// the instructions over a struct seccomp_data the way the kernel does (only the opcodes a
// seccomp filter may use). The kernel tests prove the same programs for real.
export interface SeccompData {
  nr: number;
  arch: number;
  args?: bigint[];
}

export function runFilter(program: Buffer, data: SeccompData): number {
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    const index = Math.floor((offset - 16) / 8);
    const value = data.args?.[index] ?? 0n;
    return Number((offset - 16) % 8 === 0 ? value & 0xffffffffn : (value >> 32n) & 0xffffffffn);
  };
  let a = 0;
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: a = word(k); break; // ld [k]
      case 0x54: a = (a & k) >>> 0; break; // and #k
      case 0x05: pc += k; break; // ja
      case 0x15: pc += a === k ? jt : jf; break; // jeq
      case 0x25: pc += a > k ? jt : jf; break; // jgt
      case 0x35: pc += a >= k ? jt : jf; break; // jge
      case 0x45: pc += (a & k) !== 0 ? jt : jf; break; // jset
      case 0x06: return k; // ret #k
      default: throw new Error(`opcode 0x${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('the program ran off its end');
}
