import { describe, expect, it } from 'vitest';
import { parseLimits } from '@impl/04-cgroups/index.js';
import { CartonError } from '../../lib/sys/errors.js';

const MiB = 1024 * 1024;

describe('parseLimits (Docker flags)', () => {
  it('turns every flag into kernel units', () => {
    expect(parseLimits({ memory: '64m', memorySwap: '128m', cpus: '0.5', cpuShares: '512', pidsLimit: '20', cpusetCpus: '0-1' })).toEqual({
      memory: 64 * MiB,
      memorySwap: 128 * MiB,
      cpuQuotaUs: 50000,
      cpuPeriodUs: 100000,
      cpuShares: 512,
      pidsMax: 20,
      cpusetCpus: '0-1',
    });
  });

  it('sets nothing for no flags, and treats pids-limit 0 and -1 as unlimited', () => {
    expect(parseLimits({})).toEqual({});
    expect(parseLimits({ pidsLimit: '-1' })).toEqual({});
    expect(parseLimits({ pidsLimit: '0' })).toEqual({});
    expect(parseLimits({ memory: '1g', memorySwap: '-1' })).toEqual({ memory: 1024 * MiB, memorySwap: -1 });
  });

  const bad: Array<[Parameters<typeof parseLimits>[0], RegExp]> = [
    [{ memory: '12x' }, /invalid memory value "12x"/],
    [{ memory: '4m' }, /too small/],
    [{ memory: '64m', memorySwap: '32m' }, /less than memory/],
    [{ memorySwap: '64m' }, /needs --memory/],
    [{ cpus: 'half' }, /invalid cpus value "half"/],
    [{ cpus: '0' }, /invalid cpus/],
    [{ cpus: '' }, /invalid cpus/],
    [{ cpuShares: '1' }, /invalid cpu-shares/],
    [{ cpuShares: 'lots' }, /invalid cpu-shares/],
    [{ pidsLimit: '2.5' }, /invalid pids-limit/],
    [{ pidsLimit: '-7' }, /invalid pids-limit/],
    [{ cpusetCpus: '0-' }, /invalid cpuset-cpus/],
  ];
  it.each(bad)('refuses %j with a CartonError and a hint', (flags, message) => {
    let caught: unknown;
    try {
      parseLimits(flags);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CartonError);
    expect((caught as CartonError).message).toMatch(message);
    expect((caught as CartonError).hint).toBeTruthy();
  });
});
