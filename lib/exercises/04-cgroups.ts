// Chapter 04 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const cgroups: Exercise[] = [
  {
    name: 'parse-memory',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['parseMemory'],
    test: 'test/04-cgroups/parse-memory.test.ts',
    hint: 'const m = /^(\\d+(?:\\.\\d+)?)([bkmg]?)$/i.exec(value.trim()); no match → throw the CartonError; else Math.floor(Number(m[1]) * {b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3}[unit]), with "" meaning b.',
  },
  {
    name: 'cpu-max',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['cpuMax'],
    test: 'test/04-cgroups/cpu-max.test.ts',
    hint: 'Throw a CartonError("invalid cpus value ...") unless cpus > 0; then return `${Math.round(cpus * periodUs)} ${periodUs}`.',
  },
  {
    name: 'shares-to-weight',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['sharesToWeight'],
    test: 'test/04-cgroups/shares-to-weight.test.ts',
    hint: 'Return 0 for 0; otherwise Math.floor(1 + ((shares - 2) * 9999) / 262142).',
  },
  {
    name: 'write-v2-limits',
    chapter: '04-cgroups',
    file: '04-cgroups/v2.ts',
    functions: ['writeV2Limits'],
    test: 'test/04-cgroups/write-v2-limits.test.ts',
    hint: 'if (limits.memory !== undefined) writeCgroupFile(join(dir, "memory.max"), String(limits.memory)); and so on. cpu.max is `${quota} ${period ?? 100000}`; memory.swap.max is "max" for -1, else memorySwap - memory.',
  },
  {
    name: 'join-cgroup',
    chapter: '04-cgroups',
    file: '04-cgroups/procs.ts',
    functions: ['joinCgroup'],
    test: 'test/04-cgroups/join-cgroup.test.ts',
    hint: 'writeCgroupFile(join(dir, "cgroup.procs"), String(pid)): one write, one pid.',
  },
];
