import { describe, expect, it } from 'vitest';
import { parseMemory } from '@impl/04-cgroups/index.js';

describe('parseMemory', () => {
  it('reads Docker units as powers of 1024', () => {
    expect(parseMemory('512b')).toBe(512);
    expect(parseMemory('512k')).toBe(512 * 1024);
    expect(parseMemory('64m')).toBe(64 * 1024 * 1024);
    expect(parseMemory('1g')).toBe(1024 ** 3);
  });

  it('takes bytes without a unit, either case, and fractions', () => {
    expect(parseMemory('1048576')).toBe(1048576);
    expect(parseMemory('64M')).toBe(64 * 1024 * 1024);
    expect(parseMemory('1.5g')).toBe(1.5 * 1024 ** 3);
  });

  it('refuses what is not a size, naming the value', () => {
    for (const bad of ['12x', 'm', '', '-5m', 'abc', '1 2m']) {
      expect(() => parseMemory(bad)).toThrow(`invalid memory value "${bad}"`);
    }
  });
});
