// Chapter 04 — exercises: Docker's flags in kernel units. Read chapters/04-cgroups/README.md.
import { todo } from '../../lib/todo.js';
import { CartonError } from '../../lib/sys/errors.js';
import { parseLimits as solutionParseLimits, CPU_PERIOD_US, type LimitFlags } from '../../solutions/04-cgroups/units.js';
import type { Limits } from '../../solutions/04-cgroups/types.js';

export { CPU_PERIOD_US, type LimitFlags };

/**
 * "64m" → 67108864: a number (a fraction is allowed) and an optional unit b, k, m or g, in
 * either case, each a power of 1024; no unit means bytes. Round down to whole bytes.
 * Anything else: throw new CartonError(`invalid memory value "${value}"`, 'use a number with
 * an optional unit b, k, m, g, e.g. 64m or 1g').
 */
export function parseMemory(value: string): number {
  // TODO: one regular expression, then multiply by the unit.
  void value;
  void CartonError;
  todo('parseMemory', 'exercises/04-cgroups/units.ts');
}

/**
 * --cpus 0.5 → "50000 100000", the line cgroup v2's cpu.max takes: "QUOTA PERIOD" in
 * microseconds. The group may run QUOTA µs in every PERIOD µs (round QUOTA to a whole number).
 * A value that is not a positive number throws a CartonError whose message starts
 * `invalid cpus value`.
 */
export function cpuMax(cpus: number, periodUs: number = CPU_PERIOD_US): string {
  // TODO: quota = cpus × period.
  void cpus;
  void periodUs;
  todo('cpuMax', 'exercises/04-cgroups/units.ts');
}

/**
 * v1's cpu.shares (2..262144, default 1024) → v2's cpu.weight (1..10000, default 100) with
 * the formula runc and crun use: 1 + ((shares - 2) × 9999) / 262142, rounded down. 0 means
 * "not set" and stays 0.
 */
export function sharesToWeight(shares: number): number {
  // TODO: the linear map above.
  void shares;
  todo('sharesToWeight', 'exercises/04-cgroups/units.ts');
}

/** Not an exercise: Docker's flags → Limits, using your parseMemory. */
export function parseLimits(opts: LimitFlags): Limits {
  return solutionParseLimits(opts, parseMemory);
}
