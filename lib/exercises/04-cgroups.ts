// Chapter 04 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const cgroups: Exercise[] = [
  {
    name: 'parse-memory',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['parseMemory'],
    test: 'test/04-cgroups/parse-memory.test.ts',
    hints: [
      'Docker\'s sizes are a number and an optional unit letter (b, k, m, g, any case); the units are powers of 1024.',
      'A regular expression with two groups; Math.floor of number × unit; anything else is a CartonError with the value in it.',
      'const m = /^(\\d+(?:\\.\\d+)?)([bkmg]?)$/i.exec(value.trim()); no match → throw the CartonError; else Math.floor(Number(m[1]) * {b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3}[unit]), with "" meaning b.',
    ],
  },
  {
    name: 'cpu-max',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['cpuMax'],
    test: 'test/04-cgroups/cpu-max.test.ts',
    hints: [
      'cpu.max holds a quota and a period in microseconds: in each period the cgroup may use quota µs of CPU time, so --cpus N is N periods\' worth.',
      'the kernel\'s Documentation/admin-guide/cgroup-v2.rst (cpu.max); reject cpus <= 0; round the quota.',
      'Throw a CartonError("invalid cpus value ...") unless cpus > 0; then return `${Math.round(cpus * periodUs)} ${periodUs}`.',
    ],
  },
  {
    name: 'shares-to-weight',
    chapter: '04-cgroups',
    file: '04-cgroups/units.ts',
    functions: ['sharesToWeight'],
    test: 'test/04-cgroups/shares-to-weight.test.ts',
    hints: [
      'cgroup v1\'s cpu.shares (2–262144) and v2\'s cpu.weight (1–10000) are linear maps of each other; 0 means \'not set\'.',
      'runc\'s conversion: weight = 1 + (shares − 2) × 9999 / 262142, rounded down.',
      'Return 0 for 0; otherwise Math.floor(1 + ((shares - 2) * 9999) / 262142).',
    ],
  },
  {
    name: 'write-v2-limits',
    chapter: '04-cgroups',
    file: '04-cgroups/v2.ts',
    functions: ['writeV2Limits'],
    test: 'test/04-cgroups/write-v2-limits.test.ts',
    hints: [
      'Each limit is one write of one value to one file of the cgroup\'s directory, and a limit that is not set is not written at all.',
      'cgroup-v2.rst: memory.max, memory.swap.max (swap only, so the difference; \'max\' for -1), cpu.max, cpu.weight, pids.max, cpuset.cpus; writeCgroupFile.',
      'if (limits.memory !== undefined) writeCgroupFile(join(dir, "memory.max"), String(limits.memory)); and so on. cpu.max is `${quota} ${period ?? 100000}`; memory.swap.max is "max" for -1, else memorySwap - memory.',
    ],
  },
  {
    name: 'join-cgroup',
    chapter: '04-cgroups',
    file: '04-cgroups/procs.ts',
    functions: ['joinCgroup'],
    test: 'test/04-cgroups/join-cgroup.test.ts',
    hints: [
      'A process moves into a cgroup when its pid is written to that cgroup\'s membership file.',
      'cgroup-v2.rst (\'Organizing Processes\'): cgroup.procs; one pid per write; writeCgroupFile.',
      'writeCgroupFile(join(dir, "cgroup.procs"), String(pid)): one write, one pid.',
    ],
  },
  {
    name: 'destroy-cgroup',
    chapter: '04-cgroups',
    file: '04-cgroups/lifecycle.ts',
    functions: ['destroyCgroup'],
    test: 'test/04-cgroups/destroy-cgroup.test.ts',
    hints: [
      'A cgroup directory can only go once no process is in it, a process only leaves by dying, and a frozen process cannot die. So the order is forced: make them able to die, kill them all (in every hierarchy), then remove the directories. A group that is already gone must not make any step fail.',
      'drivers[0].thaw?.(id) (in a try: a missing group cannot be thawed), then driver.kill(id) for each driver, the cgroup v2 one (the last on a hybrid machine) first since its cgroup.kill takes every process at once, then removeCgroupDir for every dir of drivers.flatMap((d) => d.dirs(id)). The kernel\'s Documentation/admin-guide/cgroup-v2.rst (cgroup.kill, cgroup.freeze) and cgroup-v1/freezer-subsystem.rst.',
      'const [main] = drivers; try { main.thaw?.(id) } catch {}; for (const driver of [...drivers].reverse()) driver.kill(id); for (const dir of drivers.flatMap((d) => d.dirs(id))) removeCgroupDir(dir);',
    ],
  },
];
