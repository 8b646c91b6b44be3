// Chapter 04 — Docker's flags in kernel units: -m 64m → bytes, --cpus 0.5 → "50000 100000",
// --cpu-shares 512 → cpu.weight. Bad values fail here, before anything touches cgroupfs.
import { CartonError } from '../../lib/sys/errors.js';
import type { Limits } from './types.js';

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const MIN_MEMORY = 6 * 1024 ** 2; // Docker refuses less: the container could not even start

// #region parseMemory
/** "64m" → 67108864. Units b, k, m, g (powers of 1024, either case); no unit means bytes. */
export function parseMemory(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(value.trim());
  if (!match) {
    throw new CartonError(`invalid memory value "${value}"`, 'use a number with an optional unit b, k, m, g, e.g. 64m or 1g');
  }
  const unit = (match[2] || 'b').toLowerCase();
  return Math.floor(Number(match[1]) * UNITS[unit]);
}
// #endregion parseMemory

export const CPU_PERIOD_US = 100_000; // the kernel's default CFS period: 100 ms

// #region cpuMax
/** --cpus 0.5 → "50000 100000": may run 50 ms in every 100 ms period (cpu.max on v2). */
export function cpuMax(cpus: number, periodUs: number = CPU_PERIOD_US): string {
  if (!(cpus > 0)) throw new CartonError(`invalid cpus value "${cpus}"`, 'use a positive number of CPUs, e.g. 0.5 or 2');
  return `${Math.round(cpus * periodUs)} ${periodUs}`;
}
// #endregion cpuMax

// #region sharesToWeight
/**
 * v1 cpu.shares (2..262144, default 1024) → v2 cpu.weight (1..10000, default 100), with the
 * linear map runc and crun use so that the same --cpu-shares means the same on both.
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0; // unset: leave the kernel's default
  return Math.floor(1 + ((shares - 2) * 9999) / 262142);
}
// #endregion sharesToWeight

function positiveInt(flag: string, value: string, hint: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new CartonError(`invalid ${flag} value "${value}"`, hint);
  }
  return n;
}

export interface LimitFlags {
  memory?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  pidsLimit?: string;
  cpusetCpus?: string;
}

// #region parseLimits
/** Docker's flags (-m, --memory-swap, --cpus, --cpu-shares, --pids-limit, --cpuset-cpus). */
export function parseLimits(opts: LimitFlags, memory: (v: string) => number = parseMemory): Limits {
  const limits: Limits = {};
  if (opts.memory !== undefined) {
    limits.memory = memory(opts.memory);
    if (limits.memory < MIN_MEMORY) {
      throw new CartonError(`memory limit "${opts.memory}" is too small`, 'the minimum is 6m, as in Docker');
    }
  }
  if (opts.memorySwap !== undefined) {
    if (limits.memory === undefined) throw new CartonError('--memory-swap needs --memory', 'set -m too, e.g. -m 64m --memory-swap 128m');
    limits.memorySwap = opts.memorySwap.trim() === '-1' ? -1 : memory(opts.memorySwap);
    if (limits.memorySwap !== -1 && limits.memorySwap < limits.memory) {
      throw new CartonError(`memory-swap "${opts.memorySwap}" is less than memory "${opts.memory}"`, 'memory-swap is memory plus swap: make it at least as large as -m, or -1 for unlimited swap');
    }
  }
  if (opts.cpus !== undefined) {
    const cpus = Number(opts.cpus);
    if (opts.cpus.trim() === '' || !Number.isFinite(cpus) || cpus <= 0) {
      throw new CartonError(`invalid cpus value "${opts.cpus}"`, 'use a positive number of CPUs, e.g. 0.5 or 2');
    }
    const [quota, period] = cpuMax(cpus).split(' ').map(Number);
    limits.cpuQuotaUs = quota;
    limits.cpuPeriodUs = period;
  }
  if (opts.cpuShares !== undefined) {
    limits.cpuShares = positiveInt('cpu-shares', opts.cpuShares, 'use a whole number from 2 to 262144 (1024 is the default weight)');
    if (limits.cpuShares < 2 || limits.cpuShares > 262144) {
      throw new CartonError(`invalid cpu-shares value "${opts.cpuShares}"`, 'use a whole number from 2 to 262144');
    }
  }
  if (opts.pidsLimit !== undefined) {
    // Docker treats 0 and -1 as "unlimited"
    const v = opts.pidsLimit.trim();
    if (v !== '0' && v !== '-1') limits.pidsMax = positiveInt('pids-limit', v, 'use a positive whole number, or -1 for no limit');
  }
  if (opts.cpusetCpus !== undefined) {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(opts.cpusetCpus.trim())) {
      throw new CartonError(`invalid cpuset-cpus value "${opts.cpusetCpus}"`, 'use a CPU list such as 0, 0-2 or 0,2');
    }
    limits.cpusetCpus = opts.cpusetCpus.trim();
  }
  return limits;
}
// #endregion parseLimits
