import { describe, expect, it } from 'vitest';
import { cpuMax } from '@impl/04-cgroups/index.js';

describe('cpuMax', () => {
  it('turns --cpus into "quota period" in microseconds', () => {
    expect(cpuMax(0.5)).toBe('50000 100000');
    expect(cpuMax(2)).toBe('200000 100000');
    expect(cpuMax(1.5, 50000)).toBe('75000 50000');
  });

  it('rounds the quota to whole microseconds', () => {
    expect(cpuMax(0.333)).toBe('33300 100000');
    expect(cpuMax(1 / 3)).toBe('33333 100000');
  });

  it('refuses zero and negative CPUs', () => {
    expect(() => cpuMax(0)).toThrow(/invalid cpus/);
    expect(() => cpuMax(-1)).toThrow(/invalid cpus/);
  });
});
