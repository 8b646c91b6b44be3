import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeV2Limits } from '@impl/04-cgroups/index.js';
import { removeDir, tempDir } from '../helpers/index.js';
import { fakeGroup, V2_FILES } from './fake-tree.js';

describe('writeV2Limits (on a fake v2 tree)', () => {
  let dir: string;
  const read = (name: string) => readFileSync(join(dir, name), 'utf8').trim();
  beforeEach(() => (dir = fakeGroup(join(tempDir('carton-cgroup-fake-'), 'group'))));
  afterEach(() => removeDir(join(dir, '..')));

  it('writes memory.max, cpu.max, pids.max and cpuset.cpus', () => {
    writeV2Limits(dir, { memory: 32 * 1024 * 1024, cpuQuotaUs: 50000, cpuPeriodUs: 100000, pidsMax: 20, cpusetCpus: '0-1' });
    expect(read('memory.max')).toBe('33554432');
    expect(read('cpu.max')).toBe('50000 100000');
    expect(read('pids.max')).toBe('20');
    expect(read('cpuset.cpus')).toBe('0-1');
  });

  it('writes cpu.weight from shares, and swap alone from memory + swap', () => {
    writeV2Limits(dir, { cpuShares: 512, memory: 64 * 1024 * 1024, memorySwap: 96 * 1024 * 1024 });
    expect(read('cpu.weight')).toBe('20');
    expect(read('memory.swap.max')).toBe(String(32 * 1024 * 1024));
    writeV2Limits(dir, { memory: 64 * 1024 * 1024, memorySwap: -1 });
    expect(read('memory.swap.max')).toBe('max');
  });

  it('uses the default period when only a quota is given', () => {
    writeV2Limits(dir, { cpuQuotaUs: 150000 });
    expect(read('cpu.max')).toBe('150000 100000');
  });

  it('leaves the files of unset limits alone', () => {
    writeV2Limits(dir, { pidsMax: 5 });
    for (const name of ['memory.max', 'cpu.max', 'cpu.weight', 'memory.swap.max', 'cpuset.cpus']) {
      expect(read(name), name).toBe(V2_FILES[name].trim());
    }
  });
});
